import Foundation
import Mustache

/// Letter and statement templates, edited by users without recompiling. Looked up in the book's
/// own `templates/` folder first, then `$ARDESK_TEMPLATES`, then the `templates/` folder shipped
/// beside the program (the repository's), then the copies built into the program
/// (`ShippedTemplates`), so a team can override one letter and keep the rest.
public struct TemplateLibrary: Sendable {
    public let folders: [String]
    /// The book whose own `templates/` folder comes first: a template there is read only when
    /// root or the book's owner wrote it (see `TrustedFile`).
    let book: BookFolder?
    /// Each template read, checked and parsed once for this library's life (a dunning run's
    /// thousand letters share one), not once a document.
    private let parsed = ParsedTemplates()

    public init(folders: [String], book: BookFolder? = nil) { self.folders = folders; self.book = book }

    public static func standard(book: BookFolder, environment: [String: String] = ProcessInfo.processInfo.environment) -> TemplateLibrary {
        var folders = [book.path + "/templates"]
        if let env = environment["ARDESK_TEMPLATES"], !env.isEmpty { folders.append(env) }
        folders += shippedFolders(named: "templates")
        return TemplateLibrary(folders: folders, book: book)
    }

    /// `NAME/` next to the executable, or in the package root above `.build/<config>/`.
    public static func shippedFolders(named name: String) -> [String] {
        // The program's own path (not its name as typed: `ardesk` run from PATH would make the
        // working folder's templates/ look shipped).
        let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first ?? "."
        let executable = URL(fileURLWithPath: own).resolvingSymlinksInPath()
        var candidates: [String] = []
        var dir = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent(name).path)
            dir.deleteLastPathComponent()
        }
        candidates.append("/usr/local/share/ardesk/" + name)
        return candidates
    }

    /// Whether `file` can be rendered: found in a folder or built into the program.
    public func has(_ file: String) -> Bool { path(of: file) != nil || ShippedTemplates.files[file] != nil }

    /// The path of `file` in the first folder that has it.
    public func path(of file: String) -> String? {
        // In the book's own folder a link to nowhere is refused, not passed over (see `load`);
        // elsewhere what is not there falls back to the next folder and the built-in copy.
        folders.lazy.map { $0 + "/" + file }.first { path in
            self.isBookOwn(path) ? TrustedFile.entryExists(path) : FileManager.default.fileExists(atPath: path)
        }
    }

    /// Renders `file` with `context`; a missing or malformed template is one clear sentence.
    /// Without a file of that name in any folder, the copy built into the program is used.
    /// `fields`: every name the document fills in (any depth); a tag naming another (a typo, a
    /// partial) is refused with its place rather than left blank in a letter that is then sent.
    public func render(_ file: String, _ context: [String: Any], fields: Set<String>? = nil) throws -> String {
        // Checked and unchecked apart: one never stands for the other.
        try parsed.template(fields == nil ? file : file + " checked") { try load(file, fields: fields) }.render(context)
    }

    /// Whether `path` is in the book's own `templates/` folder, which only its owner may write.
    private func isBookOwn(_ path: String) -> Bool { book.map { path.hasPrefix($0.path + "/templates/") } ?? false }

    /// `file` read from the first folder that has it (or built in), its tags checked against
    /// `fields`, and parsed; every refusal one sentence with its place.
    private func load(_ file: String, fields: Set<String>?) throws -> MustacheTemplate {
        let path: String, text: String
        if let found = self.path(of: file) {
            // A collector's own template in a shared book would put their words (a bank account)
            // in every letter the team sends.
            // The folder too: in one others may write, they could put the owner's letters in each
            // other's place.
            if let book, isBookOwn(found) {
                try TrustedFile.check(book.path + "/templates", in: book, what: "the templates folder")
                try TrustedFile.check(found, in: book, what: "the template")
            }
            guard let read = try? String(contentsOfFile: found, encoding: .utf8) else {
                throw DeskError.invalid("cannot read template \(found) as UTF-8")
            }
            (path, text) = (found, read)
        } else if let shipped = ShippedTemplates.files[file] {
            (path, text) = ("(built in) " + file, shipped)
        } else {
            throw DeskError.invalid("no template \(file) in \(folders.prefix(3).joined(separator: ", ")) or the shipped templates")
        }
        if let fields, let unknown = TemplateLibrary.unknownTag(in: text, fields: fields) {
            throw DeskError.invalid(Phrase("\(path):\(unknown.line):\(unknown.column): {{\(unknown.tag)}} is not something this document fills in"
                + " (it fills in: \(fields.sorted().joined(separator: ", "))); nothing was written"))
        }
        do {
            return try MustacheTemplate(string: text)
        } catch let error as MustacheTemplate.ParserError {
            if case .expectedSectionEnd = error.error as? MustacheTemplate.Error, let section = TemplateLibrary.unclosedSection(in: text) {
                throw DeskError.invalid("\(path):\(section.line):\(section.column): the section {{\(section.tag)}} is not closed (its {{/\(section.tag.dropFirst().trimmingCharacters(in: .whitespaces))}} is missing); nothing was written")
            }
            let line = error.context.line.trimmingCharacters(in: .whitespaces)
            throw DeskError.invalid("\(path):\(error.context.lineNumber):\(error.context.columnNumber): \(TemplateLibrary.reason(error.error)) (in \"\(line)\"); nothing was written")
        } catch {
            throw DeskError.invalid("template \(path) cannot be rendered: \(error); nothing was written")
        }
    }

    /// The first tag of `text` whose name (dotted names whole: `customer.name`) is none of `fields`, or
    /// a partial (documents are one file each), with its line and column; comments, pragmas,
    /// delimiter changes and `{{.}}` pass.
    static func unknownTag(in text: String, fields: Set<String>) -> (tag: String, line: Int, column: Int)? {
        for (tag, line, column) in tags(in: text) {
            guard let sigil = tag.first else { continue }
            if "!%=".contains(sigil) { continue }
            if sigil == ">" || sigil == "<" || sigil == "$" { return (tag, line, column) }
            let name = ("#^/&".contains(sigil) ? String(tag.dropFirst()) : tag).trimmingCharacters(in: .whitespaces)
            // A dotted name is known whole (`customer.name`), a plain one by itself.
            if name != "." && !fields.contains(name) { return (tag, line, column) }
        }
        return nil
    }

    /// The section opened last and never closed, with its line and column: the parser finds it
    /// missing only at the end of the file, which is no help to find it.
    static func unclosedSection(in text: String) -> (tag: String, line: Int, column: Int)? {
        var open: [(tag: String, line: Int, column: Int)] = []
        for found in tags(in: text) {
            guard let sigil = found.tag.first else { continue }
            if sigil == "#" || sigil == "^" { open.append(found) }
            if sigil == "/" { _ = open.popLast() }
        }
        return open.last
    }

    /// Each `{{tag}}` of `text` (without its braces and spaces), with its line and column, up to
    /// one not closed (the parser says where that is).
    private static func tags(in text: String) -> [(tag: String, line: Int, column: Int)] {
        var found: [(tag: String, line: Int, column: Int)] = []
        var line = 1, column = 1
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            for character in rest[..<open.lowerBound] {
                if character.isNewline { line += 1; column = 1 } else { column += 1 }
            }
            let (tagLine, tagColumn) = (line, column)
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            var tag = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            for character in rest[open.lowerBound..<close.upperBound] {
                if character.isNewline { line += 1; column = 1 } else { column += 1 }
            }
            rest = rest[close.upperBound...]
            if tag.hasPrefix("{") { tag.removeFirst(); if rest.hasPrefix("}") { rest.removeFirst(); column += 1 } }
            found.append((tag, tagLine, tagColumn))
        }
        return found
    }

    /// What a template's author did wrong, in their words rather than the parser's.
    static func reason(_ error: Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect?: return "a section is closed with another name than it was opened with"
        case .unfinishedName?: return "a tag is not closed (a name needs }} after it)"
        case .expectedSectionEnd?: return "a section is not closed (its {{/name}} is missing)"
        case .invalidSetDelimiter?: return "a delimiter change ({{=<% %>=}}) is malformed"
        case nil: return "\(error)"
        default: return "a tag the letters do not use (inheritance or a configuration variable) is malformed"
        }
    }
}

/// Templates parsed, by file name, shared by the copies of one library (a struct passed around).
private final class ParsedTemplates: @unchecked Sendable {
    private var templates: [String: MustacheTemplate] = [:]
    private let lock = NSLock()

    func template(_ file: String, load: () throws -> MustacheTemplate) throws -> MustacheTemplate {
        lock.lock()
        defer { lock.unlock() }
        if let known = templates[file] { return known }
        let template = try load()
        templates[file] = template
        return template
    }
}
