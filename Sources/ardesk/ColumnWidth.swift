/// TEMPORARY: display width until the Terminal module's DisplayWidth is merged.
func columnWidth(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { total, s in
        let v = s.value
        let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v)
        return total + (wide ? 2 : 1)
    }
}
