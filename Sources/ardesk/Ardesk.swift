import ArgumentParser
import CWriteGuard
import Desk
import Foundation
import Terminal

@main
struct Ardesk: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ardesk",
        abstract: "A collections workstation for accounts receivable.",
        discussion: "Without a subcommand, opens the workstation on the book (a terminal is required).",
        subcommands: [
            Open.self, Init.self, DemoCommand.self, ImportCommand.self, Report.self, QueueCommand.self, Ledger.self,
            NoteCommand.self, CallCommand.self, PromiseCommand.self, ContactCommand.self, DisputeCommand.self, ResolveCommand.self, PayCommand.self,
            PolicyCommand.self, LogCommand.self, ExportCommand.self, StatementCommand.self,
            LimitCommand.self, HoldCommand.self, ReleaseCommand.self, AssignCommand.self, TermsCommand.self, StatusCommand.self,
            ReviewCommand.self, WriteOffCommand.self, ReinstateCommand.self, CreditNoteCommand.self, ApplyCreditCommand.self, UnapplyCreditCommand.self, WaiveCommand.self, ReversePaymentCommand.self, RequestCommand.self, ApprovalsCommand.self, ApproveCommand.self, RejectCommand.self,
            DunningCommand.self,
        ],
        defaultSubcommand: Open.self
    )

    /// Runs the command and turns any error into one sentence on stderr and a non-zero exit.
    static func main() {
        // Past a file-size limit, write() must fail with EFBIG (reported, nothing half-saved)
        // instead of the default SIGXFSZ killing the process mid-action.
        signal(SIGXFSZ, SIG_IGN)
        StandardStreams.openClosedOnes()
        ardesk_defer_signals_while_writing()  // a Ctrl-C or SIGTERM never cuts a write of the log (the workstation sets its own)
        // An argument that is not UTF-8 (a GB18030 terminal) reads with U+FFFD in place of what
        // was typed: saved so, the text is lost for good, and a path so read names another file.
        if let bad = CommandLine.arguments.dropFirst().first(where: { $0.contains("\u{FFFD}") }) {
            fail("an argument is not UTF-8 text (\(bad)): ardesk reads and writes UTF-8; set a UTF-8 locale (LANG=zh_CN.UTF-8) and type it again",
                 code: ExitCode.validationFailure.rawValue)
        }
        let arguments = bookOptionAfterCommand(Array(CommandLine.arguments.dropFirst()))
        if let missing = missingSubcommand(arguments) { fail(missing, code: ExitCode.validationFailure.rawValue) }
        var command: ParsableCommand?
        do {
            command = try parseAsRoot(arguments)
            try command?.run()
            OpenedBooks.finish()
            failIfOutputLost()
        } catch let error as Refusal {
            OpenedBooks.finish()
            // The workstation speaks its user's language, and so do its refusals before its first
            // screen (no book, not in roles.toml, no terminal); the other commands' output, and
            // so their errors, are English.
            fail(error.text(chinese: (command as? Open)?.language == .zh))
        } catch {
            OpenedBooks.finish()
            if let message = describe(error) { fail(message) }
            // A usage slip; not --help or --version, nor a command's own exit code (log verify's 2).
            let code = exitCode(for: error)
            if code != .success, !(error is ExitCode), !message(for: error).isEmpty {
                fail(usageSentence(for: error, arguments: arguments), code: code.rawValue)
            }
            if code == .success, !(error is ExitCode) {  // --help or --version: to a full disk, it fails too
                print(fullMessage(for: error))
                failIfOutputLost()
                Foundation.exit(0)
            }
            exit(withError: error)
        }
    }

    /// `ardesk --book B report aging` read as `ardesk report aging --book B`: the book named
    /// before the command, as `git -C` is, belongs to the command named after it (the parser
    /// takes options only after their command).
    static func bookOptionAfterCommand(_ arguments: [String]) -> [String] {
        let taken: Int
        if arguments.first == "--book", arguments.count >= 2 { taken = 2 }
        else if arguments.first?.hasPrefix("--book=") == true { taken = 1 }
        else { return arguments }
        var rest = Array(arguments.dropFirst(taken))
        if rest.first == "help" { return rest }  // `ardesk --book B help report`: usage needs no book
        let depth = commandPath(rest).count
        guard depth > 0 else { return arguments }  // no command named: `open`'s own options
        rest.insert(contentsOf: arguments.prefix(taken), at: depth)
        return rest
    }

    /// Why `arguments` name a group of commands (`report`, `log`) without one of its commands,
    /// or with a word that is none of them; nil when they do not (`--help` asks for its usage).
    /// The parser printed the group's usage and exited 0, or took `--book` for the slip.
    static func missingSubcommand(_ arguments: [String]) -> String? {
        let path = commandPath(arguments)
        guard !path.isEmpty, !arguments.contains("--help"), !arguments.contains("-h") else { return nil }
        var commands = configuration.subcommands
        var group: ParsableCommand.Type?
        for word in path {
            group = commands.first { $0._commandName == word }
            commands = group?.configuration.subcommands ?? []
        }
        guard let group, !commands.isEmpty, group.configuration.defaultSubcommand == nil else { return nil }
        let named = (["ardesk"] + path).joined(separator: " ")
        let choices = commands.map { $0._commandName }.joined(separator: ", ")
        // The word after the group's name, past options and their values (`--book B`).
        var rest = Array(arguments.dropFirst(path.count))[...]
        while let first = rest.first, first.hasPrefix("-") { rest = rest.dropFirst(first.contains("=") ? 1 : 2) }
        guard let word = rest.first else { return "\(named) needs one of: \(choices) (\(named) --help shows the usage)" }
        // One of them named, wherever (after an option that takes no value): the parser says the rest.
        if arguments.contains(where: { argument in commands.contains { $0._commandName == argument } }) { return nil }
        return "\"\(word)\" is not one of \(named)'s commands: \(choices) (\(named) --help shows the usage)"
    }

    /// The commands `arguments` name from their start, however deep (`log repair`).
    static func commandPath(_ arguments: [String]) -> [String] {
        var path: [String] = []
        var commands = configuration.subcommands
        for word in arguments {
            guard let next = commands.first(where: { $0._commandName == word }) else { break }
            path.append(word)
            commands = next.configuration.subcommands
        }
        return path
    }

    /// A usage error as one sentence saying where the usage is, not the whole usage text; a
    /// word that is no command is called so (it was taken for an argument of `open`).
    static func usageSentence(for error: Error, arguments: [String]) -> String {
        let path = commandPath(arguments)  // for the command's own --help
        // The first word past a --book given first (`ardesk --book B bogus`).
        let words = arguments.first == "--book" ? Array(arguments.dropFirst(2)) : arguments.first?.hasPrefix("--book=") == true ? Array(arguments.dropFirst()) : arguments
        if path.isEmpty, let first = words.first, !first.hasPrefix("-") {
            let commands = configuration.subcommands.map { $0._commandName }.joined(separator: ", ")
            return "\"\(first)\" is not an ardesk command; the commands are: \(commands) (ardesk --help says what each does)"
        }
        let help = " (" + (["ardesk"] + path + ["--help"]).joined(separator: " ") + " shows the usage)"
        // "-100" reads as an option to the parser, whose own message then names something else.
        if let negative = arguments.first(where: { $0.range(of: #"^-[0-9][0-9,]*(\.[0-9]+)?$"#, options: .regularExpression) != nil }) {
            return "\(negative) is below zero: amounts, limits, days and counts cannot be negative (a credit is ardesk creditnote)" + help
        }
        // "-1w" (a week ago) also reads as an option where a day is an argument (an option's
        // value is taken as it is); after "--" it does not.
        let options = arguments.prefix { $0 != "--" }
        if let relative = options.first(where: { $0.range(of: #"^-[0-9]+(d|w|天|日|周)$"#, options: .regularExpression) != nil }) {
            return "\(relative) reads as an option here: write the day as a date (YYYY-MM-DD), or put -- before it (-- \(relative))" + help
        }
        return message(for: error) + help
    }

    /// A report or export sent to a full disk must not end as if written: the buffered output is
    /// flushed here and a failed write is an error, not a quiet exit 0 that leaves an empty or
    /// cut file behind.
    static func failIfOutputLost() {
        let reason = StandardOutput.flushFailure()
        guard reason != 0 else { return }
        let why = reason > 0 ? " (\(String(cString: strerror(reason))))" : " (a write to it failed, as on a full disk)"
        let saved = OpenedBooks.lastRecordSaved.map { "; the change itself was saved (record \($0)): do not enter it again" } ?? ""
        fail("the output could not all be written\(why): what was written is incomplete\(saved)")
    }

    static func fail(_ message: String, code: Int32 = 1) -> Never {
        // A message may quote what was typed or read (a customer id, a cell): shown, not sent.
        TerminalOutput.warn("ardesk: " + message)
        Foundation.exit(code)
    }

    /// Errors from lower layers that are not argument-parser's own (help, usage) are one sentence.
    static func describe(_ error: Error) -> String? {
        let typeName = String(reflecting: type(of: error))
        if typeName.hasPrefix("ArgumentParser.") { return nil }
        return "\(error)"
    }
}

/// A refusal said in English and, where it has been written, in Simplified Chinese.
protocol Refusal: Error {
    func text(chinese: Bool) -> String
}

extension DeskError: Refusal {}
extension TerminalError: Refusal {}

/// A refusal from the command line layer itself (bad flag values, missing terminal).
struct CLIError: Refusal, CustomStringConvertible {
    let phrase: Phrase
    init(_ description: String, zh chinese: String? = nil) { phrase = Phrase(description, zh: chinese) }
    var description: String { phrase.english }
    func text(chinese: Bool) -> String { phrase.text(chinese: chinese) }
}
