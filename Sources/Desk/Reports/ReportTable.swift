import FlatJSON

/// A report as rows of text cells, so one computation serves the table, CSV and JSON formats.
public struct ReportTable: Sendable {
    public enum Alignment: Sendable { case left, right }
    /// What a column's cells are, for JSON: text stays a string (amounts too: exact decimals, as
    /// every report gives them), a count becomes a number, a percentage its digits ("-": null);
    /// so does a column of figures in mixed units whose unit a column beside it names.
    public enum Kind: Sendable { case text, count, percent }
    public struct Column: Sendable {
        public var title: String
        public var key: String
        public var alignment: Alignment
        public var kind: Kind
        /// False for a column only machine readers need (CSV, JSON): a unit the text shows on its values.
        public var inText: Bool
        public init(_ title: String, key: String? = nil, _ alignment: Alignment = .left, kind: Kind = .text, inText: Bool = true) {
            self.title = title; self.key = key ?? title.lowercased().replacingOccurrences(of: " ", with: "_")
            self.alignment = alignment; self.kind = kind; self.inText = inText
        }

        func json(_ cell: String) -> JSONValue {
            switch kind {
            case .text: return .string(cell)
            case .count: return Int64(cell).map { .int($0) } ?? .string(cell)
            case .percent: return cell == "-" || cell.isEmpty ? .null : .string(cell.hasSuffix("%") ? String(cell.dropLast()) : cell)
            }
        }

        /// The cell as CSV carries it: a percentage its digits ("-" empty), as in JSON.
        func csv(_ cell: String) -> String {
            guard case .percent = kind else { return cell }
            return cell == "-" ? "" : cell.hasSuffix("%") ? String(cell.dropLast()) : cell
        }
    }

    public var title: String
    public var columns: [Column]
    public var rows: [[String]]
    /// Lines printed under a table (totals, conventions); not part of CSV.
    public var notes: [String]

    public init(title: String, columns: [Column], rows: [[String]] = [], notes: [String] = []) {
        self.title = title; self.columns = columns; self.rows = rows; self.notes = notes
    }

    /// RFC 4180 CSV with a header row; percentages are their digits (see `Column.csv`).
    public var csv: String {
        let cells = rows.map { row in row.indices.map { $0 < columns.count ? columns[$0].csv(row[$0]) : row[$0] } }
        return ([columns.map(\.title)] + cells).map { $0.map(ReportTable.csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    static func csvField(_ raw: String) -> String {
        let text = inert(raw)
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Text a spreadsheet would run as a formula (`=HYPERLINK(…)` typed as a customer's name,
    /// `+86 …` read as a sum) kept as text with a leading apostrophe, as spreadsheets write it;
    /// numbers (`-12.50`) as they are.
    /// What a spreadsheet reads a cell starting with as a formula (or a control it acts on).
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    static func inert(_ text: String) -> String {
        // Text that starts with the apostrophe itself keeps it, behind one more: an import takes one off.
        if text.first == "'", let next = text.dropFirst().first, formulaStarts.contains(next) { return "'" + text }
        guard let first = text.first, formulaStarts.contains(first), text != "-" else { return text }  // "-": none
        let number = text.dropFirst().allSatisfy { $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") } && text.count > 1
        return number && first != "=" && first != "@" ? text : "'" + text
    }

    /// Rows as JSON objects keyed by column key.
    public var jsonRows: JSONValue {
        .array(rows.map { row in
            .object(JSONObject(zip(columns, row).map { (key: $0.key, value: $0.json($1)) }))
        })
    }

    /// Plain text with columns padded by `width` (display columns, so CJK aligns).
    public func text(width: (String) -> Int) -> String {
        let shown = self.columns.indices.filter { self.columns[$0].inText }
        let columns = shown.map { self.columns[$0] }
        // A line break typed into a reason would break the table: in text, a cell is one line.
        let rows = self.rows.map { row in
            shown.map { $0 < row.count ? row[$0].onOneLine : "" }
        }
        // Each cell measured once: a report of 50,000 customers has hundreds of thousands.
        let cellWidths = rows.map { $0.map(width) }
        let widths = columns.indices.map { i in
            max(width(columns[i].title), cellWidths.map { i < $0.count ? $0[i] : 0 }.max() ?? 0)
        }
        func line(_ cells: [String], _ cellWidths: [Int]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: max(0, widths[i] - cellWidths[i]))
                return columns[i].alignment == .right ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingTrailingSpaces
        }
        // A last column of free text (notes) is not padded, and its rule stops at 40 columns: the
        // longest note would draw it across the terminal and beyond.
        var rules = widths
        if let last = columns.indices.last, columns[last].alignment == .left {
            rules[last] = max(width(columns[last].title), min(widths[last], 40))
        }
        var lines = [title, line(columns.map(\.title), columns.map { width($0.title) }),
                     rules.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        lines += zip(rows, cellWidths).map(line)
        lines += notes
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    /// Without the spaces at its end, found byte by byte.
    var trimmingTrailingSpaces: String {
        var end = utf8.endIndex
        while end > utf8.startIndex, utf8[utf8.index(before: end)] == 0x20 { end = utf8.index(before: end) }
        return end == utf8.endIndex ? self : String(self[..<end])
    }

    /// Its lines joined by a space (a line break typed into a reason would break a text table).
    /// Most cells hold no byte that can start a line break, and are kept as they are without
    /// being read character by character.
    var onOneLine: String {
        // \n \v \f \r, and the first bytes of U+0085 (C2 85) and U+2028/2029 (E2 80 A8/A9).
        guard utf8.contains(where: { (0x0A...0x0D).contains($0) || $0 == 0xC2 || $0 == 0xE2 }) else { return self }
        return split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
