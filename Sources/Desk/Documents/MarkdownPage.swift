import Foundation

/// The Markdown the letter and statement templates write, as HTML for the printable page: headings
/// (`#`, `##`), pipe tables with an alignment row (`---:` right-aligned), `**bold**`, and
/// paragraphs whose lines keep their breaks (an address block). Everything else is text, escaped:
/// a customer's name is never markup. Not a general Markdown reader (one was tried and read a
/// name in angle brackets as a tag, swallowing the page); the templates keep to this subset.
enum MarkdownPage {
    static func html(_ markdown: String) -> String {
        var out: [String] = []
        var paragraph: [String] = []
        var table: [String] = []
        func flushParagraph() {
            if !paragraph.isEmpty { out.append("<p>" + paragraph.map(inline).joined(separator: "<br>\n") + "</p>") }
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
                table.append(line)
                continue
            }
            flushTable()
            if line.isEmpty {
                flushParagraph()
            } else if line.hasPrefix("## ") {
                flushParagraph(); out.append("<h2>" + inline(String(line.dropFirst(3))) + "</h2>")
            } else if line.hasPrefix("# ") {
                flushParagraph(); out.append("<h1>" + inline(String(line.dropFirst(2))) + "</h1>")
            } else {
                paragraph.append(line)
            }
        }
        flushTable(); flushParagraph()
        return out.joined(separator: "\n")
    }

    /// A header row, an alignment row, then the body; a table without the alignment row is all body.
    static func tableHTML(_ rows: [String]) -> String {
        let cells = rows.map(cellsOf)
        let hasHeader = cells.count >= 2 && cells[1].allSatisfy { cell in !cell.isEmpty && cell.allSatisfy { "-:".contains($0) } }
        let right = hasHeader ? cells[1].map { $0.hasSuffix(":") } : []
        func row(_ values: [String], tag: String) -> String {
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

    /// `| a | b |` as ["a", "b"] (the outer bars optional at the end).
    static func cellsOf(_ line: String) -> [String] {
        var parts = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.first?.isEmpty == true { parts.removeFirst() }
        if parts.last?.isEmpty == true { parts.removeLast() }
        return parts
    }

    /// Escaped text, with `**bold**` made strong.
    static func inline(_ text: String) -> String {
        var html = ""
        for character in text {
            switch character {
            case "&": html += "&amp;"
            case "<": html += "&lt;"
            case ">": html += "&gt;"
            case "\"": html += "&quot;"
            default: html.append(character)
            }
        }
        var pieces = html.components(separatedBy: "**")
        // An odd marker out (no closing one) stays as written, with the text after it.
        let unpaired = pieces.count % 2 == 0 ? "**" + pieces.removeLast() : ""
        return pieces.enumerated().map { index, piece in index % 2 == 1 ? "<strong>" + piece + "</strong>" : piece }.joined() + unpaired
    }
}
