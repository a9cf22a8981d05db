/// Characters that act on a terminal or on the order text is shown in, rather than show: C0 and
/// C1 controls and DEL (an ESC starts a sequence that recolours, moves or retitles a terminal),
/// and the bidirectional overrides and isolates (which can show "100" as "001"). A note, reason
/// or imported cell holding one is refused; line breaks and tabs are kept, as every view shows
/// them as spaces.
extension Unicode.Scalar {
    public var actsOnTheScreen: Bool {
        switch value {
        case 0x0A, 0x0D, 0x09: return false
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// How a message names it: "ESC (U+001B)".
    public var controlName: String {
        let hex = String(value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let names: [UInt32: String] = [0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x1B: "ESC", 0x7F: "DEL", 0x9B: "CSI"]
        return names[value].map { "\($0) (\(code))" } ?? code
    }
}

extension String {
    /// The first character that acts on the screen, with its place counted in characters from 1.
    public var firstScreenControl: (scalar: Unicode.Scalar, position: Int)? {
        for (index, scalar) in unicodeScalars.enumerated() where scalar.actsOnTheScreen { return (scalar, index + 1) }
        return nil
    }

    /// The text with each character that acts on the screen shown instead (ESC as ^[, DEL as ^?,
    /// others as <U+202E>): for printing text a log written before they were refused may hold.
    public var screenControlsShown: String {
        guard unicodeScalars.contains(where: \.actsOnTheScreen) else { return self }
        var out = ""
        for scalar in unicodeScalars {
            if !scalar.actsOnTheScreen { out.unicodeScalars.append(scalar); continue }
            switch scalar.value {
            case 0x00...0x1F: out += "^" + String(Unicode.Scalar(UInt8(scalar.value + 0x40)))
            case 0x7F: out += "^?"
            default: out += "<" + scalar.controlName + ">"
            }
        }
        return out
    }
}
