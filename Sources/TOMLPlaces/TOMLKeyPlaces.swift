import Foundation

/// Where each key of a TOML file is set, so a value refused for what it means (a policy's rate,
/// a theme's colour) is named by line and column as a syntax error is: the TOML library gives
/// positions for syntax errors only.
///
/// Reads the text line by line as TOML lays it out: `[table]` and `[[array.table]]` headers, then
/// `key = value` lines (dotted and quoted keys too). A value spread over several lines is found at
/// its key's line; lines inside it hold no key and are passed over.
public struct TOMLKeyPlaces: Sendable {
    public struct Place: Equatable, Sendable {
        public let line: Int
        public let column: Int
        /// As an editor and a syntax error give it: ":line:column".
        public var suffix: String { ":\(line):\(column)" }
    }

    /// By full key path; the nth `[[a.b]]` table (from 0) is the component `b[n]`.
    private var places: [[String]: Place] = [:]

    /// A TOML line end: "\n", or "\r\n" (one Character to Swift, which a split on "\n" never
    /// meets), and no other of Unicode's line breaks.
    static func isLineEnd(_ character: Character) -> Bool { character == "\n" || character == "\r\n" }

    public init(text: String) {
        var table: [String] = []
        var arrayTables: [String: Int] = [:]
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: TOMLKeyPlaces.isLineEnd).enumerated() {
            let indent = raw.prefix { $0 == " " || $0 == "\t" }.count
            let line = raw.dropFirst(indent)
            let place = Place(line: index + 1, column: indent + 1)
            if line.hasPrefix("[") {  // a table's header, [name] or [[name]] (the next of an array of tables)
                let array = line.hasPrefix("[[")
                guard let end = line.firstIndex(of: "]") else { continue }
                table = TOMLKeyPlaces.keyPath(line[line.index(line.startIndex, offsetBy: array ? 2 : 1)..<end])
                if array, let last = table.last {
                    let name = table.joined(separator: ".")
                    table[table.count - 1] = "\(last)[\(arrayTables[name, default: 0])]"
                    arrayTables[name, default: 0] += 1
                }
                record(table, place)
            } else if let first = line.first, first.isLetter || first.isNumber || first == "_" || first == "-" || first == "\"" || first == "'",
                      let equals = line.firstIndex(of: "=") {
                record(table + TOMLKeyPlaces.keyPath(line[..<equals]), place)
            }
        }
    }

    private mutating func record(_ path: [String], _ place: Place) {
        if places[path] == nil { places[path] = place }
    }

    /// Where `path` is set; a key the file leaves out (or sets inside an inline table) is placed
    /// at the nearest enclosing key or table header the file has; nil when it has none.
    public func place(of path: [String]) -> Place? {
        var path = path
        while !path.isEmpty {
            if let place = places[path] { return place }
            path.removeLast()
        }
        return nil
    }

    /// A dotted name as messages give it ("aging.collection_buckets[0].from"): an item of a list
    /// is placed at the list's key.
    public func place(ofDotted name: String) -> Place? {
        place(of: TOMLKeyPlaces.keyPath(name.prefix { $0 != "[" }))
    }

    /// A TOML key (`a.b`, `"quoted key".c`, with spaces around the dots) as its components.
    public static func keyPath(_ text: Substring) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "." {
                parts.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current.trimmingCharacters(in: .whitespaces))
        return parts
    }
}

/// A TOML syntax error as one sentence with its place, and what to write when the value is
/// text left without quotes (`rate = 12%`, `li.na = 李娜`), the slip people make most.
public enum TOMLSyntaxError {
    public static func text(file: String, line: Int, column: Int, problem: String, source: String) -> String {
        let place = "\(file):\(line):\(column): \(problem)"
        let lines = source.split(omittingEmptySubsequences: false, whereSeparator: TOMLKeyPlaces.isLineEnd)
        guard line >= 1, line <= lines.count, let equals = lines[line - 1].firstIndex(of: "=") else { return place }
        let key = lines[line - 1][..<equals].trimmingCharacters(in: .whitespaces)
        let value = lines[line - 1][lines[line - 1].index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty, let first = value.first, !"\"'[{".contains(first),
              !["true", "false"].contains(value), !isNumber(value) else { return place }
        // A key with a dot, left bare, is a table path: quoted too (a login such as li.na).
        let written = key.contains(".") && !key.hasPrefix("\"") ? "\"\(key)\"" : key
        return place + "; text goes in quotes: \(written) = \"\(value.replacingOccurrences(of: "\"", with: "\\\""))\""
    }

    /// Whether `value` is written as a TOML number (`12`, `-3.5`, `1_000`, `2e3`, `inf`): such a
    /// value needs no quotes. Read by its characters, not converted.
    static func isNumber(_ value: String) -> Bool {
        var rest = Substring(value.replacingOccurrences(of: "_", with: ""))
        if rest.first == "+" || rest.first == "-" { rest = rest.dropFirst() }
        if rest == "inf" || rest == "nan" { return true }
        if ["0x", "0o", "0b"].contains(String(rest.prefix(2))) { return rest.count > 2 && rest.dropFirst(2).allSatisfy(\.isHexDigit) }
        let mantissa = rest.prefix { $0 != "e" && $0 != "E" }
        let exponent = rest.dropFirst(mantissa.count).dropFirst()
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              parts.contains(where: { !$0.isEmpty }) else { return false }
        guard mantissa.count < rest.count else { return true }
        let digits = exponent.first == "+" || exponent.first == "-" ? exponent.dropFirst() : exponent
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
