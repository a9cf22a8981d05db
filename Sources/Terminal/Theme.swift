import Foundation
import TOMLKit
import TOMLPlaces

/// How each role looks, in three renditions: 256 colours, 8 colours, and monochrome (attributes
/// only, used for `NO_COLOR` and terminals without colour).
public struct Theme: Sendable, Equatable {
    public enum Attribute: String, Sendable, CaseIterable { case bold, reverse, underline, dim }

    public struct Style: Sendable, Equatable {
        /// Colour numbers (0-255); -1 is the terminal's default.
        public var foreground: Int = -1
        public var background: Int = -1
        public var attributes: Set<Attribute> = []
        public init(foreground: Int = -1, background: Int = -1, attributes: Set<Attribute> = []) {
            self.foreground = foreground; self.background = background; self.attributes = attributes
        }
    }

    public enum Rendition: String, Sendable, CaseIterable { case colors256, colors8, mono }

    public var name: String
    public var styles: [Rendition: [Role: Style]]

    /// The style of `role` in `rendition`; roles a rendition leaves out fall back to monochrome.
    public func style(_ role: Role, _ rendition: Rendition) -> Style {
        styles[rendition]?[role] ?? styles[.mono]?[role] ?? Theme.builtIn.styles[.mono]?[role] ?? Style()
    }

    static let colorNames = ["black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
                             "default": -1]

    /// Parses a theme file; every mistake names the file, the line and column, and the key.
    public static func parse(_ text: String, file: String) throws -> Theme {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw ThemeError(TOMLSyntaxError.text(file: file, line: error.source.begin.line, column: error.source.begin.column,
                                                problem: error.description, source: text))
        }
        let fail = { (key: String, problem: String) in  // the key's place found only for a refusal
            ThemeError("\(file)\(TOMLKeyPlaces(text: text).place(ofDotted: key)?.suffix ?? ""): \(key) \(problem)")
        }
        var theme = Theme(name: table["name"]?.string ?? (file as NSString).lastPathComponent, styles: [:])
        for key in table.keys where key != "name" && Rendition(rawValue: key) == nil {
            throw fail(key, "is not a theme section (use name, colors256, colors8, mono)")
        }
        for rendition in Rendition.allCases {
            guard let section = table[rendition.rawValue] else { continue }
            guard let roles = section.table else { throw fail(rendition.rawValue, "must be a table") }
            var styles: [Role: Style] = [:]
            for (key, value) in roles {
                let path = "\(rendition.rawValue).\(key)"
                guard let role = Role(rawValue: key) else {
                    throw fail(path, "is not a role (roles: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                guard let spec = value.table else { throw fail(path, "must be a table like { fg = \"white\", attrs = [\"bold\"] }") }
                styles[role] = try style(spec, path: path, rendition: rendition, fail: fail)
            }
            theme.styles[rendition] = styles
        }
        return theme
    }

    static func style(_ spec: TOMLTable, path: String, rendition: Rendition, fail: (String, String) -> ThemeError) throws -> Style {
        var style = Style()
        for key in spec.keys where !["fg", "bg", "attrs"].contains(key) {
            throw fail("\(path).\(key)", "is not a style key (fg, bg, attrs)")
        }
        for (key, keyPath) in [("fg", \Style.foreground), ("bg", \Style.background)] as [(String, WritableKeyPath<Style, Int>)] {
            guard let value = spec[key] else { continue }
            let limit = rendition == .colors256 ? 255 : 7
            if let n = value.int, (-1...limit).contains(n) { style[keyPath: keyPath] = n }
            else if let name = value.string, let n = colorNames[name.lowercased()] { style[keyPath: keyPath] = n }
            else { throw fail("\(path).\(key)", "must be a colour name (black ... white, default) or a number 0-\(limit)") }
        }
        if let attrs = spec["attrs"] {
            guard let list = attrs.array else { throw fail("\(path).attrs", "must be a list") }
            for item in list {
                guard let name = item.string, let attribute = Attribute(rawValue: name) else {
                    throw fail("\(path).attrs", "has \(item) (use bold, reverse, underline, dim)")
                }
                style.attributes.insert(attribute)
            }
        }
        return style
    }

    /// Finds `name.toml` in the given folders; `default` falls back to the built-in theme.
    public static func load(named name: String, folders: [String]) throws -> Theme {
        for folder in folders {
            let path = folder + "/" + name + ".toml"
            if let data = FileManager.default.contents(atPath: path) {
                return try parse(String(decoding: data, as: UTF8.self), file: path)
            }
        }
        if name == "default" { return builtIn }
        throw ThemeError("no theme \"\(name)\" (looked in \(folders.joined(separator: ", ")))")
    }

    /// Used when no theme file is found: readable on dark and light terminals alike.
    public static let builtIn = Theme(name: "built-in", styles: [
        .mono: [
            .title: Style(attributes: [.bold]), .header: Style(attributes: [.underline]), .selection: Style(attributes: [.reverse]),
            .overdue: Style(attributes: [.bold]), .warning: Style(attributes: [.bold]), .muted: Style(attributes: [.dim]),
            .status: Style(attributes: [.reverse]), .key: Style(attributes: [.bold]), .input: Style(attributes: [.underline]),
            .error: Style(attributes: [.bold, .reverse]), .readOnly: Style(attributes: [.bold, .reverse]),
        ],
        .colors8: [
            .title: Style(foreground: 6, attributes: [.bold]), .header: Style(foreground: 4, attributes: [.bold]),
            .selection: Style(foreground: 0, background: 6), .overdue: Style(foreground: 1, attributes: [.bold]),
            .warning: Style(foreground: 3), .ok: Style(foreground: 2), .muted: Style(attributes: [.dim]),
            .border: Style(foreground: 4), .status: Style(foreground: 0, background: 7), .key: Style(foreground: 3, attributes: [.bold]),
            .input: Style(attributes: [.underline]), .error: Style(foreground: 7, background: 1, attributes: [.bold]),
            .readOnly: Style(foreground: 0, background: 3, attributes: [.bold]),
        ],
    ])
}

public struct ThemeError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Why the workstation's terminal could not be started.
public enum TerminalError: Error, CustomStringConvertible, Sendable {
    /// Standard input or output is not a terminal (a script, a pipe, CI).
    case notATerminal
    /// ncurses could not start on this terminal type (no terminfo entry for it).
    case cannotStart(term: String)
    /// The terminal type cannot place the cursor (TERM=dumb): no screen can be drawn.
    case cannotDraw(term: String)

    public var description: String { text(chinese: false) }

    public func text(chinese: Bool) -> String {
        switch self {
        case .notATerminal:
            return chinese ? "工作台需要终端；脚本中请用无界面命令（ardesk queue、report、ledger）"
                : "the workstation needs a terminal; use the headless commands (ardesk queue, report, ledger) in scripts"
        case .cannotStart(let term) where term.isEmpty:
            return chinese ? "无法启动终端：未设置 TERM；可试 TERM=xterm-256color" : "cannot start the terminal: TERM is not set; try TERM=xterm-256color"
        case .cannotStart(let term):
            return chinese ? "无法启动终端：本机不认识终端类型 TERM=\(term)（没有它的 terminfo）；可试 TERM=xterm-256color"
                : "cannot start the terminal: this machine does not know the terminal type TERM=\(term) (no terminfo entry); try TERM=xterm-256color"
        case .cannotDraw(let term):
            return chinese ? "终端类型 TERM=\(term) 不能定位光标，无法显示工作台；请在全屏终端中运行（如 TERM=xterm-256color），脚本中请用无界面命令"
                : "the terminal type TERM=\(term) cannot place the cursor, so the workstation cannot be drawn; run it in a full-screen terminal (such as TERM=xterm-256color), or use the headless commands in scripts"
        }
    }
}
