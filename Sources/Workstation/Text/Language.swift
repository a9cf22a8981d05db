/// The user-interface language: English or Simplified Chinese. Chosen by `--lang`, else from
/// LC_ALL / LC_MESSAGES / LANG; independent of the C locale used for character width.
public enum Language: String, Sendable, CaseIterable {
    case en, zh

    public static func from(environment: [String: String]) -> Language {
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[key], !value.isEmpty {
                return value.lowercased().hasPrefix("zh") ? .zh : .en
            }
        }
        return .en
    }

    /// Picks the text for this language from an (English, Chinese) pair.
    func pick(_ pair: (en: String, zh: String)) -> String { self == .zh ? pair.zh : pair.en }
}
