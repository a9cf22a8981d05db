/// Terminal column widths: CJK and other East Asian wide characters take two columns, combining
/// marks none. `String.count` is not a width (上海 is 2 characters and 4 columns). A built-in table
/// keeps widths the same with or without a UTF-8 locale, and the ncurses backend places every cell
/// at the column this table says, so screen and model cannot disagree.
public enum DisplayWidth {
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        if v < 0x300 { return 1 }
        if isZeroWidth(v) { return 0 }
        return isWide(v) ? 2 : 1
    }

    public static func of(_ character: Character) -> Int {
        // A grapheme's width is its first non-zero scalar's (base plus combining marks).
        for scalar in character.unicodeScalars {
            let w = of(scalar)
            if w > 0 { return w }
        }
        return 0
    }

    public static func of(_ text: String) -> Int {
        if let width = widthByScalar(text) { return width }
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    /// The width of `text` summed scalar by scalar, or nil when it holds a scalar that may join a
    /// scalar of some width into one character (an emoji sequence, a spacing mark, a conjoining
    /// jamo): those are measured character by character. Finding characters is most of the cost
    /// of a width, and Latin text, Chinese text and the screens' own symbols need no such search
    /// (a combining mark there is a scalar of no width either way).
    static func widthByScalar(_ text: String) -> Int? {
        var total = 0
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x300 {
                total += v < 0x20 || (0x7F..<0xA0).contains(v) ? 0 : 1
                continue
            }
            switch v {
            case 0x2000..<0x200D, 0x200E..<0x2300, 0x2500..<0x2600, 0x2700..<0x2800,  // punctuation, arrows, boxes, dingbats (no joiner)
                 0x3000..<0x302A, 0x3030..<0x3099, 0x309B..<0xA000,  // CJK, less the marks that join kana and tones
                 0xFF00..<0xFF9E, 0xFFA0..<0xFFF0:  // full and half width forms, less the half-width kana voicing marks
                total += of(scalar)
            default:
                return nil
            }
        }
        return total
    }

    /// The width a column needs for `texts` (the cells on screen), and at least `least`.
    public static func widest(_ texts: some Sequence<String>, atLeast least: Int) -> Int {
        texts.reduce(least) { max($0, of($1)) }
    }

    /// Cuts `text` to at most `width` columns, ending with `ellipsis` when something was cut.
    /// Never splits a wide character: a column left over is left empty.
    public static func truncate(_ text: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if of(text) <= width { return text }
        let room = width - of(ellipsis)
        guard room >= 0 else { return "" }
        if widthByScalar(text) != nil {  // cut by scalar, as measured
            var result = String.UnicodeScalarView()
            var used = 0
            for scalar in text.unicodeScalars {
                let w = of(scalar)
                if used + w > room { break }
                result.append(scalar)
                used += w
            }
            return String(result) + ellipsis
        }
        var result = ""
        var used = 0
        for character in text {
            let w = of(character)
            if used + w > room { break }
            result.append(character)
            used += w
        }
        return result + ellipsis
    }

    /// Keeps the end of `text` in at most `width` columns, starting with `ellipsis` when something
    /// was cut: where a field being typed into shows its caret.
    public static func truncateHead(_ text: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if of(text) <= width { return text }
        let room = width - of(ellipsis)
        guard room >= 0 else { return "" }
        var kept: [Character] = []
        var used = 0
        for character in text.reversed() {
            let w = of(character)
            if used + w > room { break }
            kept.append(character)
            used += w
        }
        return ellipsis + String(kept.reversed())
    }

    /// `text` wrapped to `width` in at most two lines, the rest of it cut into the second (a
    /// detail line under a list, with room for two).
    public static func wrapInTwoLines(_ text: String, to width: Int) -> [String] {
        let lines = wrap(text, to: width)
        guard lines.count > 2 else { return lines }
        // Cut between items (" · ") where one ends in the room, not inside an amount.
        let rest = lines[1...].joined(separator: " ")
        var items = rest.components(separatedBy: " · ")
        while items.count > 1 {
            items.removeLast()
            let kept = items.joined(separator: " · ") + " · …"
            if of(kept) <= width { return [lines[0], kept] }
        }
        return [lines[0], truncate(rest, to: width)]
    }

    /// Breaks `text` into lines of at most `width` columns: Latin words at the last space that
    /// fits, Chinese text after any character (it needs no spaces), and never so that a line
    /// starts with closing punctuation (，。、；：？！ and closing brackets go with the character
    /// before them, as Chinese typesetting has it).
    public static func wrap(_ text: String, to width: Int) -> [String] {
        guard width > 1 else { return [text] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line: [Character] = []
            var used = 0
            for character in paragraph {
                let w = of(character)
                if used + w > width {
                    if character == " " {  // the line ends right here: the space is the break
                        lines.append(String(line))
                        line = []
                        used = 0
                        continue
                    }
                    var cut = line.count
                    if w < 2, !isWideCharacter(line.last),
                       let edge = line.lastIndex(where: { $0 == " " || isWideCharacter($0) }), edge > 0 {
                        cut = line[edge] == " " ? edge : edge + 1  // a Latin word goes down whole
                    }
                    // No line starts with closing punctuation, nor ends with an opening one: the
                    // characters next to them go down too.
                    func startsNext(_ at: Int) -> Character { at < line.count ? line[at] : character }
                    func isLatinLetter(_ c: Character) -> Bool { c != " " && !isWideCharacter(c) && !closesText(c) && !opensText(c) }
                    while cut > 1 && (closesText(startsNext(cut)) || opensText(line[cut - 1])) {
                        cut -= 1
                        // Pulled back into a Latin word (for the punctuation after it): the whole word goes down.
                        if isLatinLetter(line[cut - 1]) && isLatinLetter(startsNext(cut)),
                           let edge = line[..<cut].lastIndex(where: { $0 == " " || isWideCharacter($0) }), edge > 0 {
                            cut = line[edge] == " " ? edge : edge + 1
                        }
                    }
                    lines.append(String(line[..<cut]))
                    var rest = Array(line[cut...])
                    if rest.first == " " { rest.removeFirst() }  // the space a word was broken at
                    line = rest
                    used = line.reduce(0) { $0 + of($1) }
                }
                line.append(character)
                used += w
            }
            lines.append(String(line))
        }
        return lines
    }

    static func isWideCharacter(_ character: Character?) -> Bool { character.map { of($0) == 2 } ?? false }

    /// Punctuation a line must not start with.
    static func closesText(_ character: Character) -> Bool { "，。、；：？！）》」』】〕”’…,.;:?!)".contains(character) }

    /// Punctuation a line must not end with.
    static func opensText(_ character: Character) -> Bool { "（《「『【〔“‘(".contains(character) }

    public enum Alignment: Sendable { case left, right }

    /// Truncates and pads with spaces to exactly `width` columns.
    public static func fit(_ text: String, to width: Int, alignment: Alignment = .left) -> String {
        guard width > 0 else { return "" }
        let textWidth = of(text)  // measured once: most cells fit as they are
        let cut = textWidth <= width ? text : truncate(text, to: width)
        let pad = String(repeating: " ", count: max(0, width - (textWidth <= width ? textWidth : of(cut))))
        return alignment == .left ? cut + pad : pad + cut
    }

    static func isZeroWidth(_ v: UInt32) -> Bool {
        (0x300...0x36F).contains(v) || (0x1AB0...0x1AFF).contains(v) || (0x1DC0...0x1DFF).contains(v)
            || (0x20D0...0x20FF).contains(v) || (0xFE20...0xFE2F).contains(v) || v == 0x200B || v == 0x200C
            || v == 0x200D || v == 0xFEFF || (0xFE00...0xFE0F).contains(v)
    }

    /// East Asian Wide and Fullwidth ranges (Unicode 15), plus the emoji presentation block.
    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3, 0x25FD...0x25FE,
             0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE,
             0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA, 0x26FD, 0x2705,
             0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757, 0x2795...0x2797, 0x27B0, 0x27BF,
             0x2B1B...0x2B1C, 0x2B50, 0x2B55, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF,
             0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F300...0x1F64F, 0x1F680...0x1F6FF,
             0x1F900...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
