import Foundation
import SwiftCSV

/// One problem in an import file, located so a person can find and fix it.
public struct ImportIssue: Sendable, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int
    public var column: String?
    public var reason: String
    public var description: String {
        "\(file):\(line)" + (column.map { " column \"\($0)\"" } ?? "") + ": \(reason)"
    }
}

/// A CSV file read as UTF-8 text (BOM and CRLF tolerated), with rows addressed by header name.
struct CSVTable {
    let file: String
    let header: [String]
    /// Rows as written (not padded to the header's width), blank lines left out.
    let rows: [[String]]
    /// The line of the file each row starts on (a quoted value may span lines).
    let lines: [Int]

    /// Refuses files that are not UTF-8 (naming the first bad byte and its line) rather than guessing.
    static func load(path: String) throws -> CSVTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DeskError.invalid("cannot read \(path): no such file or not readable")
        }
        let bytes = [UInt8](data)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let (offset, line) = firstInvalidUTF8(bytes)
            throw DeskError.invalid(Phrase("\(path):\(line): the file is not UTF-8 (bad byte at offset \(offset)); "
                + "if it came from a Chinese Excel it is probably GBK: convert it with `iconv -f GBK -t UTF-8`"))
        }
        return try parse(text: text, file: path)
    }

    static func parse(text: String, file: String) throws -> CSVTable {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        guard !normalized.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DeskError.invalid("\(file): the file is empty")
        }
        do {
            // Only the header here (rowLimit): the rows are read once, record by record, below.
            let csv = try EnumeratedCSV(string: normalized, delimiter: .comma, loadColumns: false, rowLimit: 1)
            let header = csv.header.map { $0.trimmingCharacters(in: .whitespaces) }
            // Records read one by one: `csv.rows` pads short rows to the widest, which hides a row
            // with a cell too few or too many (and turns a blank line into a row of empty cells).
            var rows: [[String]] = []
            var lines: [Int] = []
            var line = 1
            var isHeader = true
            try csv.enumerateAsArray(startAt: 0, rowLimit: nil) { cells in
                defer { line += 1 + cells.reduce(0) { $0 + $1.utf8.lazy.filter { $0 == 0x0A }.count } }
                if isHeader { isHeader = false; return }
                guard !cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return }
                rows.append(cells)
                lines.append(line)
            }
            // A quote never closed swallows the rest of the file into one value, which the
            // parser accepts: the row then "has too few cells" and no later row is checked.
            // Only an odd count of quotes can leave one open: a file without is not walked again.
            if normalized.utf8.lazy.filter({ $0 == 0x22 }).count % 2 == 1,
               let problem = quoteProblem(in: normalized), problem.reason.hasPrefix("a quoted value") {
                throw DeskError.invalid("\(file):\(problem.line):\(problem.column): \(problem.reason)")
            }
            return CSVTable(file: file, header: header, rows: rows, lines: lines)
        } catch let error as DeskError {
            throw error
        } catch {
            if let problem = quoteProblem(in: normalized) {
                throw DeskError.invalid("\(file):\(problem.line):\(problem.column): \(problem.reason)")
            }
            throw DeskError.invalid("\(file): not a readable CSV file (\(error))")
        }
    }

    /// Where a file breaks CSV's quoting, for a message a person can act on (the parser says only
    /// what it found, not where).
    static func quoteProblem(in text: String) -> (line: Int, column: Int, reason: String)? {
        var line = 1, column = 0
        var inQuotes = false, fieldStart = true, afterClosingQuote = false
        var opened = (line: 1, column: 1)  // where the quoted value being read began
        for character in text {
            column += 1
            if inQuotes {
                if character == "\"" { inQuotes = false; afterClosingQuote = true } else if character == "\n" { line += 1; column = 0 }
                continue
            }
            if afterClosingQuote {
                afterClosingQuote = false
                if character == "\"" { inQuotes = true; continue }  // "" is a quote inside the value
                if character != "," && character != "\n" { return (line, column, "text after the closing quote of a value") }
            }
            switch character {
            case "\"":
                guard fieldStart else {
                    return (line, column, "a double quote inside a value that does not start with one (quote the whole value and double the quote: \"A\"\"b\")")
                }
                inQuotes = true; fieldStart = false; opened = (line, column)
            case ",": fieldStart = true
            case "\n": fieldStart = true; line += 1; column = 0
            default: fieldStart = false
            }
        }
        return inQuotes ? (opened.line, opened.column, "a quoted value that starts here is never closed (a value with a comma is quoted at both ends: \"Acme, Inc\")") : nil
    }

    static func firstInvalidUTF8(_ bytes: [UInt8]) -> (offset: Int, line: Int) {
        var line = 1, index = 0
        while index < bytes.count {
            let b = bytes[index]
            let length = b < 0x80 ? 1 : b >> 5 == 0b110 ? 2 : b >> 4 == 0b1110 ? 3 : b >> 3 == 0b11110 ? 4 : 0
            if length == 0 || index + length > bytes.count { return (index, line) }
            let chunk = Array(bytes[index..<index + length])
            if String(validating: chunk, as: UTF8.self) == nil { return (index, line) }
            if b == 0x0A { line += 1 }
            index += length
        }
        return (index, line)
    }
}
