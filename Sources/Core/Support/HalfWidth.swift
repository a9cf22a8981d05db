extension String {
    /// Full-width ASCII forms (what a Chinese input method types: １２３．５０, －, ：) as the
    /// ASCII characters amounts, dates and numbers are read in; the ideographic space as a space.
    public var halfWidth: String {
        guard unicodeScalars.contains(where: { (0xFF01...0xFF5E).contains($0.value) || $0.value == 0x3000 }) else { return self }
        return String(String.UnicodeScalarView(unicodeScalars.map { scalar in
            switch scalar.value {
            case 0xFF01...0xFF5E: return Unicode.Scalar(scalar.value - 0xFEE0)!
            case 0x3000: return " "
            default: return scalar
            }
        }))
    }
}
