/// A frame as a grid of cells. Screens draw into it; the ncurses backend copies it out (sending
/// only the cells that changed) and tests read it back as text.
public struct Screen: Sendable, Equatable {
    public struct Cell: Sendable, Equatable {
        /// The character shown, or nil for the right half of a wide character.
        public var character: Character?
        public var role: Role
        public static let blank = Cell(character: " ", role: .normal)
    }

    public let rows: Int
    public let cols: Int
    public private(set) var cells: [Cell]

    public init(rows: Int, cols: Int) {
        self.rows = max(0, rows)
        self.cols = max(0, cols)
        cells = Array(repeating: .blank, count: self.rows * self.cols)
    }

    public subscript(row: Int, col: Int) -> Cell { cells[row * cols + col] }

    /// Writes `text` from (row, col), clipped to `width` columns (default: to the right edge).
    /// Returns the column after the last one written. A wide character that does not fit is not
    /// split; overwriting half of an existing wide character blanks its other half.
    @discardableResult
    public mutating func put(_ text: String, row: Int, col: Int, width: Int? = nil, role: Role = .normal) -> Int {
        guard row >= 0, row < rows, col < cols else { return col }
        let limit = min(cols, col + (width ?? cols - col))
        var x = col
        for character in text {
            let w = DisplayWidth.of(character)
            if w == 0 { continue }
            if x + w > limit { break }
            if x >= 0 {
                clearWideNeighbours(row: row, col: x, width: w)
                cells[row * cols + x] = Cell(character: character, role: role)
                if w == 2 { cells[row * cols + x + 1] = Cell(character: nil, role: role) }
            }
            x += w
        }
        return x
    }

    /// Paints `width` columns from (row, col) with spaces of `role` (a selection bar, a status line).
    public mutating func fill(row: Int, col: Int = 0, width: Int? = nil, role: Role) {
        guard row >= 0, row < rows else { return }
        let end = min(cols, col + (width ?? cols - col))
        guard col < end else { return }
        clearWideNeighbours(row: row, col: max(0, col), width: end - max(0, col))
        for x in max(0, col)..<end { cells[row * cols + x] = Cell(character: " ", role: role) }
    }

    /// Changes the role of cells without changing their characters (highlighting a row).
    public mutating func paint(row: Int, col: Int = 0, width: Int? = nil, role: Role) {
        guard row >= 0, row < rows else { return }
        let end = min(cols, col + (width ?? cols - col))
        for x in max(0, col)..<max(max(0, col), end) { cells[row * cols + x].role = role }
    }

    /// A box with single lines, title on the top edge.
    public mutating func box(top: Int, left: Int, height: Int, width: Int, title: String = "", role: Role = .border) {
        guard height >= 2, width >= 2 else { return }
        let right = left + width - 1, bottom = top + height - 1
        put("┌" + String(repeating: "─", count: width - 2) + "┐", row: top, col: left, role: role)
        for y in top + 1..<bottom {
            put("│", row: y, col: left, role: role)
            put("│", row: y, col: right, role: role)
        }
        put("└" + String(repeating: "─", count: width - 2) + "┘", row: bottom, col: left, role: role)
        if !title.isEmpty { put(" " + DisplayWidth.truncate(title, to: max(1, width - 6)) + " ", row: top, col: left + 2, width: width - 4, role: .title) }
    }

    /// The screen as lines of text, trailing spaces removed: what a snapshot test compares.
    public func text() -> String {
        (0..<rows).map { line($0) }.joined(separator: "\n")
    }

    public func line(_ row: Int) -> String {
        var s = ""
        for x in 0..<cols { if let c = cells[row * cols + x].character { s.append(c) } }
        while s.last == " " { s.removeLast() }
        return s
    }

    public func role(row: Int, col: Int) -> Role { cells[row * cols + col].role }

    private mutating func clearWideNeighbours(row: Int, col: Int, width: Int) {
        let base = row * cols
        // Writing onto the right half of a wide character: blank its left half.
        if col > 0, cells[base + col].character == nil { cells[base + col - 1].character = " " }
        // Writing onto the left half of a wide character whose right half we do not cover.
        let last = col + width - 1
        if last + 1 < cols, cells[base + last + 1].character == nil, DisplayWidth.of(cells[base + last].character ?? " ") == 2 {
            cells[base + last + 1].character = " "
        }
    }
}
