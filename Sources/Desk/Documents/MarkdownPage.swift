import Foundation

/// The Markdown the letter and statement templates write, as HTML for the printable page: headings
/// (`#`, `##`), pipe tables with an alignment row (`---:` right-aligned), `**bold**`, and
/// paragraphs whose lines keep their breaks (an address block). A backslash makes the character
/// after it plain (`\|` inside a cell, `\*`); everything else is text, escaped. Not a general
/// Markdown reader (one was tried and read a name in angle brackets as a tag, swallowing the
/// page); the templates keep to this subset, and the values put into them are escaped for it
/// (`escapedValues`), so a customer's name or a document's number is never markup.
enum MarkdownPage {
    static func html(_ markdown: String) -> String {
        var out: [String] = []
        var paragraph: [String] = []
        var table: [[Marked]] = []
        func flushParagraph() {
            if !paragraph.isEmpty { out.append("<p>" + paragraph.map { inline(marked($0)) }.joined(separator: "<br>\n") + "</p>") }
            paragraph = []
        }
        func flushTable() {
            if !table.isEmpty { out.append(tableHTML(table)) }
            table = []
        }
        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("|") {
                flushParagraph()
                table.append(marked(line))
                continue
            }
            flushTable()
            if line.isEmpty {
                flushParagraph()
            } else if line.hasPrefix("## ") {
                flushParagraph(); out.append("<h2>" + inline(marked(line.dropFirst(3))) + "</h2>")
            } else if line.hasPrefix("# ") {
                flushParagraph(); out.append("<h1>" + inline(marked(line.dropFirst(2))) + "</h1>")
            } else {
                paragraph.append(line)
            }
        }
        flushTable(); flushParagraph()
        return out.joined(separator: "\n")
    }

    /// A character of a line, and whether a backslash made it plain.
    typealias Marked = (character: Character, plain: Bool)

    static func marked(_ text: some StringProtocol) -> [Marked] {
        var out: [Marked] = []
        var escaping = false
        for character in text {
            if escaping {
                // Before punctuation a backslash makes it plain; before anything else it is itself.
                if character.isPunctuation || character.isSymbol {
                    out.append((character, true))
                } else {
                    out.append(("\\", true)); out.append((character, false))
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append((character, false))
            }
        }
        if escaping { out.append(("\\", true)) }
        return out
    }

    /// A header row, an alignment row, then the body; a table without the alignment row is all body.
    static func tableHTML(_ rows: [[Marked]]) -> String {
        let cells = rows.map(cellsOf)
        let hasHeader = cells.count >= 2 && cells[1].allSatisfy { cell in
            !cell.isEmpty && cell.allSatisfy { !$0.plain && "-:".contains($0.character) }
        }
        let right = hasHeader ? cells[1].map { $0.last?.character == ":" } : []
        func row(_ values: [[Marked]], tag: String) -> String {
            "<tr>" + values.enumerated().map { index, value in
                let align = index < right.count && right[index] ? " class=\"num\"" : ""
                return "<\(tag)\(align)>" + inline(value) + "</\(tag)>"
            }.joined() + "</tr>"
        }
        var html = ["<table>"]
        if hasHeader {
            html.append("<thead>" + row(cells[0], tag: "th") + "</thead>")
            html.append("<tbody>" + cells.dropFirst(2).map { row($0, tag: "td") }.joined(separator: "\n") + "</tbody>")
        } else {
            html.append("<tbody>" + cells.map { row($0, tag: "td") }.joined(separator: "\n") + "</tbody>")
        }
        html.append("</table>")
        return html.joined(separator: "\n")
    }

    /// `| a | b |` as its cells, split at the bars no backslash made plain (the outer ones optional).
    static func cellsOf(_ line: [Marked]) -> [[Marked]] {
        var cells: [[Marked]] = [[]]
        for item in line {
            if item.character == "|" && !item.plain { cells.append([]) } else { cells[cells.count - 1].append(item) }
        }
        func trimmed(_ cell: [Marked]) -> [Marked] {
            Array(cell.drop { $0.character == " " && !$0.plain }.reversed().drop { $0.character == " " && !$0.plain }.reversed())
        }
        cells = cells.map(trimmed)
        if cells.first?.isEmpty == true { cells.removeFirst() }
        if cells.last?.isEmpty == true { cells.removeLast() }
        return cells
    }

    /// Escaped text, with `**bold**` made strong (an odd marker out stays as written).
    static func inline(_ text: [Marked]) -> String {
        var markers: [Int] = []
        var index = 0
        while index + 1 < text.count {
            if text[index] == ("*", false) && text[index + 1] == ("*", false) { markers.append(index); index += 2 } else { index += 1 }
        }
        if markers.count % 2 == 1 { markers.removeLast() }
        var html = "", bold = false
        index = 0
        while index < text.count {
            if markers.contains(index) {
                html += bold ? "</strong>" : "<strong>"
                bold.toggle()
                index += 2
                continue
            }
            switch text[index].character {
            case "&": html += "&amp;"
            case "<": html += "&lt;"
            case ">": html += "&gt;"
            case "\"": html += "&quot;"
            default: html.append(text[index].character)
            }
            index += 1
        }
        return html
    }

    /// The values a template is rendered with, their text made plain for this reader (and any
    /// Markdown one): a backslash before `\`, `*`, `|`, and a leading `#`. Dictionaries and
    /// lists are walked; numbers and flags are left as they are.
    static func escapedValues(_ value: Any) -> Any {
        switch value {
        case let text as String: return escaped(text)
        case let object as [String: Any]: return object.mapValues(escapedValues)
        case let list as [[String: Any]]: return list.map { $0.mapValues(escapedValues) }
        case let list as [Any]: return list.map(escapedValues)
        default: return value
        }
    }

    static func escaped(_ text: String) -> String {
        var out = ""
        for (offset, character) in text.enumerated() {
            if character == "\\" || character == "*" || character == "|" || (offset == 0 && character == "#") { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
