import Foundation

/// What a phone number and an e-mail address must look like to be dialled or written to: a
/// collector types them from a call, where a slip ("call me maybe" in the phone field) would
/// otherwise only show when someone tries to use it. Kept loose: formats vary by country.
public enum ContactCheck {
    /// Digits with the usual separators, `+` for the country, and an extension (`x12`, `ext 12`,
    /// `转12`); at least five digits. Empty is fine (not known).
    public static func phoneProblem(_ phone: String) -> Phrase? {
        let trimmed = phone.halfWidth.trimmingCharacters(in: .whitespaces)  // an input method's １３８－…
        guard !trimmed.isEmpty else { return nil }
        var rest = trimmed.lowercased()
        for word in ["ext.", "ext", "转", "x"] { rest = rest.replacingOccurrences(of: word, with: " ") }
        let digits = rest.filter { $0.isNumber }.count
        let allowed = rest.allSatisfy { $0.isNumber || " +-().,/".contains($0) }
        guard allowed && digits >= 5 else {
            return Phrase("the phone \"\(trimmed)\" is not a number to dial (digits, + - ( ) and spaces, at least five digits)",
                          zh: "电话“\(trimmed)”不是可拨打的号码（数字、+ - ( ) 和空格，至少五位数字）")
        }
        return nil
    }

    /// One `@` between a name and a domain with a dot, no spaces. Empty is fine (not known).
    public static func emailProblem(_ email: String) -> Phrase? {
        let trimmed = email.halfWidth.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        let domain = parts.count == 2 ? parts[1] : ""
        guard parts.count == 2, !parts[0].isEmpty, !trimmed.contains(where: \.isWhitespace),
              domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix(".") else {
            return Phrase("the e-mail \"\(trimmed)\" is not an address (name@example.com)", zh: "邮箱“\(trimmed)”不是有效地址（如 name@example.com）")
        }
        return nil
    }
}
