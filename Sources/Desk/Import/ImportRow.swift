import Core

/// One CSV row being read, collecting every problem instead of stopping at the first.
struct Row {
    let file: String
    let line: Int
    let cells: [String]
    /// The file's header, for naming a field's column as the file spells it.
    let header: [String]
    let columns: [String: Int]
    let options: Importer.Options
    let currency: Currency
    /// What separates the file's columns: in a file of semicolons (a European spreadsheet's) a
    /// comma in an amount may be its decimal mark.
    let separator: Character
    var issues: [ImportIssue] = []

    init(file: String, line: Int, cells: [String], header: [String], columns: [String: Int], options: Importer.Options, currency: Currency,
         separator: Character = ",") {
        self.file = file; self.line = line; self.cells = cells; self.header = header; self.columns = columns
        self.options = options; self.currency = currency; self.separator = separator
    }

    func columnName(_ field: String) -> String { columns[field].map { header[$0] } ?? options.columnForField[field] ?? field }

    mutating func fail(_ field: String, _ reason: String) {
        // A column the file names otherwise (mapped, or a foreign header) says what it was read as.
        let name = columnName(field)
        issues.append(ImportIssue(file: file, line: line, column: name, readAs: name.lowercased() == field.lowercased() ? nil : field, reason: reason))
    }

    /// The fields whose cells in this row are not empty.
    var givenFields: Set<String> { Set(columns.keys.filter { !text($0).isEmpty }) }

    func text(_ field: String) -> String {
        guard let index = columns[field], index < cells.count else { return "" }
        let text = cells[index].trimmingCharacters(in: .whitespaces)
        // The apostrophe a spreadsheet (and `export csv`, see `ReportTable.inert`) puts before
        // text it must not run as a formula is not part of the text.
        if text.hasPrefix("'"), let next = text.dropFirst().first, ReportTable.formulaStarts.contains(next) {
            return text.dropFirst().trimmingCharacters(in: .whitespaces)
        }
        return text
    }

    func hasValue(_ field: String) -> Bool { !text(field).isEmpty }

    mutating func required(_ field: String) -> String? {
        let value = text(field)
        if value.isEmpty { fail(field, "is empty"); return nil }
        // A number, an id or a name is one line: a line break quoted into a cell would break
        // every table it is printed in (a statement's row split in two).
        if value.contains(where: \.isNewline) {
            fail(field, "holds a line break (\(value.debugDescription)): a number, an id or a name is one line")
            return nil
        }
        return value
    }

    mutating func date(_ field: String) -> Day? {
        let value = text(field)
        if value.isEmpty { fail(field, "is empty"); return nil }
        guard let day = options.dateFormat.parse(value) else {
            // In the format, but no day of the calendar: the format is right, the date is not.
            // (A month past 12 or a day past 31 says rather that the format is not the file's.)
            if let parts = options.dateFormat.parts(value), (1...12).contains(parts.month), (1...31).contains(parts.day), (1...9999).contains(parts.year) {
                fail(field, "\"\(value)\" is no day of the calendar; month \(parts.month) of \(parts.year) has \(Day.daysIn(month: parts.month, year: parts.year)) days")
                return nil
            }
            if let parts = options.dateFormat.parts(value), options.dateFormat.startsWithYear {
                let wrong = !(1...12).contains(parts.month) ? "month \(parts.month)"
                    : !(1...Day.daysIn(month: parts.month, year: max(1, parts.year))).contains(parts.day) ? "day \(parts.day)" : "year \(parts.year)"
                fail(field, "\"\(value)\" is in the format \(options.dateFormat), but there is no \(wrong)")
                return nil
            }
            // The hint only while the format is the default, or when the cell's numbers say it is not the file's.
            let swapped = options.dateFormat.parts(value).map { (13...31).contains($0.month) && (1...12).contains($0.day) } ?? false
            let guesses = DateFormat.guesses(for: value).map { "--date-format \($0)" }
            let hint = options.dateFormat.description == DateFormat.iso.description
                ? " (use " + (guesses.isEmpty ? "--date-format" : guesses.joined(separator: " or ")) + ")"
                : swapped ? " (is --date-format the file's? day and month may be the other way round)" : ""
            fail(field, "\"\(value)\" is not a date in the format \(options.dateFormat)" + hint)
            return nil
        }
        // A four-digit year far from any business's books is a slip ("0026" for 2026), not a date.
        if let implausible = RelativeDay.implausibleYear(day) {
            fail(field, "\"\(value)\" " + implausible)
            return nil
        }
        return day
    }

    mutating func money(_ field: String, required: Bool = false) -> Money? {
        let value = text(field)
        if value.isEmpty { if required { fail(field, "is empty") }; return nil }
        // 1,500 in a file of semicolons is 1.5 where it was written and 1,500 here: refused, not
        // guessed (1,500.00, with its decimal point, says which mark is which).
        if separator != ",", value.contains(","), !value.contains(".") {
            fail(field, "\"\(value)\" is unclear in a file separated by \(separator == ";" ? "semicolons" : "tabs"), where a comma may be the decimal mark: write it without grouping, with a point for decimals (1500 or 1.5)")
            return nil
        }
        guard let money = currency.parse(value) else {
            fail(field, "\"\(value)\" is not an amount in \(currency.code) (\(currency.refusal(of: value)))")
            return nil
        }
        return money
    }

    /// Every cell read holds text only: an ESC in a name or note would act on the terminal of
    /// whoever later lists it (see `actsOnTheScreen`).
    mutating func refuseScreenControls() {
        for (field, index) in columns.sorted(by: { $0.value < $1.value }) where index < cells.count {
            guard let (scalar, position) = cells[index].firstScreenControl else { continue }
            fail(field, "holds a control character, \(scalar.controlName), at character \(position): only text is imported")
        }
    }

    /// A value longer than any field needs (a whole file pasted into a cell) is refused here,
    /// at its row and column, rather than by the log when the import is written.
    static let longestValue = 65_536

    mutating func refuseOversizedCells() {
        for (field, index) in columns.sorted(by: { $0.value < $1.value }) where index < cells.count {
            let size = cells[index].utf8.count
            if size > Row.longestValue { fail(field, "holds \(size) bytes; a value may hold at most \(Row.longestValue)") }
        }
    }

    /// yes/no, true/false, y/n, 1/0 (any case), 是/否; empty is no.
    mutating func flag(_ field: String) -> Bool {
        switch text(field).lowercased() {
        case "", "no", "n", "false", "0", "否": return false
        case "yes", "y", "true", "1", "是": return true
        case let other: fail(field, "\"\(other)\" is not yes or no"); return false
        }
    }

    mutating func integer(_ field: String, default fallback: Int, range: ClosedRange<Int>) -> Int {
        let value = text(field)
        if value.isEmpty { return fallback }
        guard let n = Int(value), range.contains(n) else { fail(field, "\"\(value)\" is not a whole number from \(range.lowerBound) to \(range.upperBound)"); return fallback }
        return n
    }

    mutating func checkCurrency() {
        let code = Currency.isoCode(for: text("currency"))
        if !code.isEmpty, code != currency.code {
            fail("currency", "\(code) differs from the book's currency \(currency.code) (one currency per book)")
        }
    }
}
