import Core

/// What went wrong, in one sentence a collector can act on.
public enum DeskError: Error, CustomStringConvertible, Sendable {
    case noBook(String)
    case bookExists(String)
    case readOnly(String)
    case refused(String)
    case invalid(String)
    case notAllowed(String)
    case replay(sequence: UInt64, line: Int, reason: String)

    public var description: String {
        switch self {
        case .noBook(let path):
            return "no book at \(path); create one with `ardesk init --book \(path)` or `ardesk demo --book \(path)`"
        case .bookExists(let path): return "a book already exists at \(path)"
        case .readOnly(let why): return "this book is open read-only (\(why)); nothing was saved"
        case .refused(let why), .invalid(let why): return why
        case .notAllowed(let why): return why
        case .replay(let seq, let line, let reason):
            return "journal record \(seq) (line \(line)) cannot be applied: \(reason)"
        }
    }
}
