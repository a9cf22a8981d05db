import Foundation

extension Optional<String> {
    /// A document number as given, without the spaces round it; nil when nothing is left.
    public var trimmedNumber: String? {
        guard let text = self?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        return text
    }
}
