import Core

/// The order an import plans its rows in, read before any row is planned.
extension Importer {
    /// The rows in the order they are planned: payments by their date (the file's order within a
    /// day, and first those whose date does not read, to be refused), since each is allocated
    /// oldest due first as of its day and a bank's statement often lists the newest first; the
    /// other kinds in the file's order. With it, the line each key (the kind's first field) first
    /// appears on in the file, so that a repeat is named against the earlier line.
    func rowOrder(_ table: CSVTable, columns: [String: Int]) -> (order: [Int], firstLines: [String: Int]) {
        var firstLines: [String: Int] = [:]
        var days: [Day?] = []
        for (index, cells) in table.rows.enumerated() {
            guard cells.count == table.header.count else { days.append(nil); continue }
            var row = Row(file: table.file, line: table.lines[index], cells: cells, header: table.header, columns: columns,
                          options: options, currency: book.currency, separator: table.separator)
            let key = row.text(kind.fields[0].name)
            if !key.isEmpty, firstLines[key] == nil { firstLines[key] = table.lines[index] }
            days.append(kind == .payments ? row.date("date") : nil)
        }
        guard kind == .payments else { return (Array(table.rows.indices), firstLines) }
        let order = table.rows.indices.sorted { a, b in
            let (dayA, dayB) = (days[a] ?? Day(ordinal: Int32.min), days[b] ?? Day(ordinal: Int32.min))
            return dayA != dayB ? dayA < dayB : a < b
        }
        return (order, firstLines)
    }
}
