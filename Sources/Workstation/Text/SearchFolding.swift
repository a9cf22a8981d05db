import Core
import Foundation

/// Text as a search compares it, the same for what is typed and what is searched: lower case,
/// full-width letters and digits as ASCII, an accented Latin letter as its letter (é typed as
/// one character or as e and an accent, or typed as e, finds Café either way), and characters
/// that show nothing (a zero-width space, a tab pasted into a name) left out, as the lists show them.
enum SearchFolding {
    static func fold(_ text: String) -> String {
        let lower = text.halfWidth.lowercased()
        guard lower.unicodeScalars.contains(where: needsFolding) else { return lower }  // nearly every name
        var folded = String.UnicodeScalarView()
        for scalar in lower.unicodeScalars {
            switch scalar.value {
            case 0x0300...0x036F, 0x200B...0x200F, 0x2060, 0xFEFF, 0x00AD, 0x09: continue  // accents, invisibles, a tab the lists do not show
            case 0x0A, 0x0D, 0x00A0: folded.append(" ")  // a no-break space pasted from a spreadsheet too
            case 0x00C0...0x024F, 0x1E00...0x1EFF:  // Latin with accents, Vietnamese's stacked ones
                // One scalar at a time (not the whole text decomposed: Hangul would come apart).
                let base = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars.first ?? scalar
                folded.append(base.value < 0x80 ? base : SearchFolding.letters[scalar] ?? scalar)
            default: folded.append(scalar)
            }
        }
        return String(folded)
    }

    /// Letters with a stroke rather than an accent, which have no decomposition (Søren, Łódź, Đà Nẵng).
    private static let letters: [Unicode.Scalar: Unicode.Scalar] = ["ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ŧ": "t", "ƀ": "b", "ɨ": "i"]

    private static func needsFolding(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D, 0x00A0, 0x00AD, 0x00C0...0x036F, 0x1E00...0x1EFF, 0x200B...0x200F, 0x2060, 0xFEFF: return true
        default: return false
        }
    }
}
