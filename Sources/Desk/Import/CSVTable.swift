import Foundation
import SwiftCSV

/// One problem in an import file, located so a person can find and fix it.
public struct ImportIssue: Sendable, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int
    public var column: String?
    /// The field a column the file names otherwise was read as (`InvoiceAmount` as amount).
    public var readAs: String?
    public var reason: String
    public init(file: String, line: Int, column: String?, readAs: String? = nil, reason: String) {
        self.file = file; self.line = line; self.column = column; self.readAs = readAs; self.reason = reason
    }
    public var description: String {
        "\(file):\(line)" + (column.map { " column \"\($0)\"" } ?? "") + (readAs.map { " (read as \($0))" } ?? "") + ": \(reason)"
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
    /// What separates its columns: a comma, or the semicolon (or tab) a header without a comma
    /// is written with (Excel in a European locale saves CSV with semicolons).
    var separator: Character = ","
    /// The line the header is on: 2 after Excel's `sep=` line.
    var headerLine = 1

    /// Refuses files that are not UTF-8 (naming the first bad byte and its line) rather than guessing.
    static func load(path: String) throws -> CSVTable {
        let bytes = try readAll(path)
        // A workbook (.xlsx is a zip; .xls an OLE file) is not text in any encoding.
        if bytes.starts(with: Array("PK\u{03}\u{04}".utf8)) || bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw DeskError.invalid(Phrase("\(path): the file is a spreadsheet workbook (Excel, LibreOffice), not CSV; save it as \"CSV UTF-8 (comma delimited)\" (Excel: File › Save As) and import that file",
                                           zh: "\(path)：这是电子表格工作簿（Excel、LibreOffice），不是 CSV；请另存为“CSV UTF-8（逗号分隔）”，再导入该文件"))
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
                throw DeskError.invalid(Phrase("\(path): the file is UTF-16 (Excel's \"Unicode text\"), not UTF-8; save it as \"CSV UTF-8\" or convert it with `iconv -f UTF-16 -t UTF-8 \(path) > utf8.csv`"))
            }
            let (offset, line) = firstInvalidUTF8(bytes)
            let encoding = likelyEncoding(bytes)
            throw DeskError.invalid(Phrase("\(path):\(line): the file is not UTF-8 (bad byte at offset \(offset)); "
                + (encoding == "GBK" ? "if it came from a Chinese Excel it is probably GBK: convert it with `iconv -f GB18030 -t UTF-8 \(path) > utf8.csv` (GB18030 reads all of GBK, and the rarer characters too), or save it from Excel as \"CSV UTF-8\""
                   : "its accented letters look like Windows-1252 (Western European): convert it with `iconv -f CP1252 -t UTF-8 \(path) > utf8.csv`")))
        }
        return try parse(text: text, file: path)
    }

    /// The file's bytes, read to its end: a pipe (`<(iconv …)`) or a device reads as a file
    /// does (`FileManager.contents` gave nothing for them). Why it cannot be read, when not.
    static func readAll(_ path: String) throws -> [UInt8] {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw DeskError.invalid("cannot read \(path): it is a folder, not a file")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let why = FileManager.default.fileExists(atPath: path) ? "not readable (permissions)" : "no such file"
            throw DeskError.invalid("cannot read \(path): \(why)")
        }
        defer { try? handle.close() }
        do {
            return [UInt8](try handle.readToEnd() ?? Data())
        } catch {
            throw DeskError.invalid("cannot read \(path): \(error.localizedDescription)")
        }
    }

    /// GBK or Windows-1252, from how its bytes above ASCII come: Chinese text in runs (two bytes
    /// a character), accented letters one at a time between ASCII ones.
    static func likelyEncoding(_ bytes: [UInt8]) -> String {
        var runs = 0, single = 0, index = 0
        while index < bytes.count {
            guard bytes[index] >= 0x80 else { index += 1; continue }
            var end = index
            while end < bytes.count && bytes[end] >= 0x80 { end += 1 }
            // GBK (and GB18030) characters are two bytes (or four): a run of odd length is not Chinese.
            if end - index >= 2 && (end - index) % 2 == 0 { runs += 1 } else { single += 1 }
            index = end
        }
        return runs > single ? "GBK" : "CP1252"
    }

    /// The separator of the header line `text` starts with (see `separator`).
    static func separator(of text: String) -> Character {
        let header = text.prefix { $0 != "\n" }
        var inQuotes = false
        var counts: [Character: Int] = [:]
        for character in header {
            if character == "\"" { inQuotes.toggle() } else if !inQuotes, [",", ";", "\t"].contains(character) { counts[character, default: 0] += 1 }
        }
        guard counts[",", default: 0] == 0 else { return "," }
        return counts[";", default: 0] > 0 ? ";" : counts["\t", default: 0] > 0 ? "\t" : ","
    }

    static func parse(text: String, file: String) throws -> CSVTable {
        var normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        if normalized.unicodeScalars.first == "\u{FEFF}" { normalized.unicodeScalars.removeFirst() }  // a byte-order mark
        // Excel's first line naming the separator (`sep=;`) is no header: left out, its line counted.
        var skippedLines = 0
        var named: Character?  // the separator a `sep=` line names, which a guess must not overrule
        let sepLine = normalized.prefix { $0 != "\n" }.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        if sepLine.hasPrefix("sep="), sepLine.count <= 5, normalized.contains("\n") {
            guard let given = sepLine.dropFirst(4).first, [",", ";", "\t"].contains(given) else {
                throw DeskError.invalid("\(file):1: the file names its separator as \"\(sepLine.dropFirst(4))\" (\(sepLine)): ardesk reads commas, semicolons or tabs")
            }
            named = given
            normalized = String(normalized[normalized.index(after: normalized.firstIndex(of: "\n")!)...])
            skippedLines = 1
        }
        // A Ctrl-Z closing the file is the end-of-file mark older DOS programs write, no row.
        while let last = normalized.unicodeScalars.last, last == "\u{1A}" || (last == "\n" && normalized.unicodeScalars.dropLast().last == "\u{1A}") {
            normalized.unicodeScalars.removeLast()
        }
        guard !normalized.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DeskError.invalid("\(file): the file is empty")
        }
        let separator = named ?? separator(of: normalized)
        do {
            // Only the header here (rowLimit): the rows are read once, record by record, below.
            let csv = try EnumeratedCSV(string: normalized, delimiter: CSVDelimiter.character(separator), loadColumns: false, rowLimit: 1)
            let header = csv.header.map { $0.trimmingCharacters(in: .whitespaces) }
            // Records read one by one: `csv.rows` pads short rows to the widest, which hides a row
            // with a cell too few or too many (and turns a blank line into a row of empty cells).
            var rows: [[String]] = []
            var lines: [Int] = []
            var line = 1 + skippedLines  // a `sep=` line before the header counts
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
               let problem = quoteProblem(in: normalized, separator: separator), problem.reason.hasPrefix("a quoted value") {
                throw DeskError.invalid("\(file):\(problem.line + skippedLines):\(problem.column): \(problem.reason)")
            }
            return CSVTable(file: file, header: header, rows: rows, lines: lines, separator: separator, headerLine: 1 + skippedLines)
        } catch let error as DeskError {
            throw error
        } catch {
            if let problem = quoteProblem(in: normalized, separator: separator) {
                throw DeskError.invalid("\(file):\(problem.line + skippedLines):\(problem.column): \(problem.reason)")
            }
            throw DeskError.invalid("\(file): not a readable CSV file (\(error))")
        }
    }

    /// Where a file breaks CSV's quoting, for a message a person can act on (the parser says only
    /// what it found, not where).
    static func quoteProblem(in text: String, separator: Character = ",") -> (line: Int, column: Int, reason: String)? {
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
                if character != separator && character != "\n" { return (line, column, "text after the closing quote of a value") }
            }
            switch character {
            case "\"":
                guard fieldStart else {
                    return (line, column, "a double quote inside a value that does not start with one (quote the whole value and double the quote: \"A\"\"b\")")
                }
                inQuotes = true; fieldStart = false; opened = (line, column)
            case separator: fieldStart = true
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
