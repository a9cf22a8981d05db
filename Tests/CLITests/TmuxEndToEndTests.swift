import Foundation
import Testing

/// The real program in a real terminal: tmux runs ardesk, send-keys types, capture-pane reads.
@Suite(.serialized) struct TmuxEndToEndTests {
    static let tmux = ["/usr/bin/tmux", "/usr/local/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }

    struct Session {
        let socket = "ardesk-test-\(UUID().uuidString.prefix(8))"
        let cli: CLI

        /// Runs a tmux client through the shell with popen: a daemonising tmux confuses Foundation's
        /// Process, and the server must not inherit a pipe we read (its output goes to /dev/null).
        @discardableResult
        func tmux(_ arguments: [String], quiet: Bool = false) throws -> String {
            let quoted = ([TmuxEndToEndTests.tmux!, "-L", socket, "-f", "/dev/null"] + arguments)
                .map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
            guard let pipe = popen(quoted + (quiet ? " >/dev/null 2>&1 </dev/null" : " 2>&1 </dev/null"), "r") else { return "" }
            var output = Data()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = fread(&buffer, 1, buffer.count, pipe)
                if count <= 0 { break }
                output.append(contentsOf: buffer[0..<count])
            }
            pclose(pipe)
            return String(decoding: output, as: UTF8.self)
        }

        func start(_ command: String, cols: Int = 120, rows: Int = 32, term: String = "tmux-256color") throws {
            // The pane prints the exit status and lingers, so the test sees how ardesk ended.
            let shell = "env TERM=\(term) LANG=C.UTF-8 ARDESK_BOOK=\(cli.book) ARDESK_TODAY=\(cli.today) \(command); echo EXIT=$?; sleep 30"
            try tmux(["new-session", "-d", "-x", String(cols), "-y", String(rows), shell], quiet: true)
        }

        func keys(_ keys: String...) throws { try tmux(["send-keys", "-t", "0"] + keys) }
        func type(_ text: String) throws { try tmux(["send-keys", "-t", "0", "-l", text]) }
        func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", "0"]) }

        /// Polls the pane until `text` shows (no fixed sleeps), failing after `seconds`.
        @discardableResult
        func waitFor(_ text: String, seconds: Double = 10) throws -> String {
            let deadline = Date().addingTimeInterval(seconds)
            var last = ""
            while Date() < deadline {
                last = try screen()
                if last.contains(text) { return last }
                Thread.sleep(forTimeInterval: 0.05)
            }
            Issue.record("timed out waiting for \"\(text)\"; the screen was:\n\(last)")
            return last
        }

        func stop() { _ = try? tmux(["kill-server"]) }

        /// The id on the queue's row `number` as `screen` shows it ("  2 C00017  …").
        static func queueRow(_ number: Int, in screen: String) -> String? {
            screen.split(separator: "\n").compactMap { line -> String? in
                let words = line.split(separator: " ")
                return words.count > 1 && words[0] == String(number) ? String(words[1]) : nil
            }.first
        }
    }

    @Test(.enabled(if: tmux != nil)) func aCollectorsMorningFromQueueToPromiseAndOut() throws {
        var cli = CLI()
        cli.today = "2026-11-24"
        defer { cli.cleanUp() }
        #expect(try cli.run(["demo", "--customers", "40", "--seed", "3"]).status == 0)
        let session = Session(cli: cli)
        defer { session.stop() }
        try session.start(CLI.binary)
        try session.waitFor("Call queue")
        try session.keys("j", "j", "k")
        try session.keys("Enter")
        let ledger = try session.waitFor("Open items")
        let customer = try #require(ledger.split(separator: "\n").first { $0.contains("Ledger C") }?
            .split(separator: " ").first { $0.hasPrefix("C") && $0.count == 6 }.map(String.init))
        try session.keys("c")
        try session.waitFor("Log a call")
        try session.keys("Right", "Tab")
        try session.type("财务说周五付款")
        try session.keys("Tab")
        try session.type("fri")
        try session.waitFor("→ 2026-11-27")
        try session.keys("Enter")
        try session.waitFor("Saved: Log a call")
        try session.keys("p")
        try session.waitFor("Promise to pay")
        try session.keys("Enter")
        try session.waitFor("Saved: Promise to pay")
        // What the screen said is in the log, as the command line reads it.
        let json = try cli.run(["ledger", customer, "--format", "json"]).stdout
        #expect(json.contains("财务说周五付款"))
        #expect(json.contains("\"kind\":\"promise\""))
        // A dispute over an invoice, then resolved with what settled it.
        try session.keys("d")
        try session.waitFor("Dispute invoices")
        try session.keys("Space", "Tab")
        try session.type("wrong quantity")
        try session.keys("Enter")
        try session.waitFor("Saved: Dispute invoices")
        try session.keys("D")
        try session.waitFor("Resolve a dispute")
        try session.keys("Tab")
        try session.type("credit note agreed")
        try session.keys("Enter")
        try session.waitFor("Saved: Resolve a dispute")
        #expect(try cli.run(["ledger", customer, "--format", "json"]).stdout.contains("credit note agreed"))
        // Shift-Tab goes back a panel (the terminal sends it as its own key), Tab forward again.
        try session.keys("BTab")
        try session.waitFor("Customers · ")
        try session.keys("Tab")
        try session.waitFor("Open items")
        // A smaller terminal: the panels stack.
        try session.tmux(["resize-window", "-t", "0", "-x", "80", "-y", "24"])
        let small = try session.waitFor("Ledger")
        #expect(!small.contains("│Open items"))
        try session.keys("q")
        try session.waitFor("EXIT=0")
    }

    /// Under TERM=xterm tmux sends ESC [1~ for Home and ESC [4~ for End, which xterm's entry
    /// lacks: in a form they move the caret, and a key no entry knows does nothing; neither
    /// cancels the form and loses what was typed.
    @Test(.enabled(if: tmux != nil)) func homeAndEndOfAnotherTerminalKeepAForm() throws {
        var cli = CLI()
        cli.today = "2026-11-24"
        defer { cli.cleanUp() }
        #expect(try cli.run(["demo", "--customers", "40", "--seed", "3"]).status == 0)
        let session = Session(cli: cli)
        defer { session.stop() }
        try session.start(CLI.binary, term: "xterm-256color")
        let queue = try session.waitFor("Call queue")
        let first = try #require(Session.queueRow(1, in: queue))
        try session.keys("n")
        try session.waitFor("Note")
        try session.type("world")
        try session.keys("Home")
        try session.type("hello ")
        try session.keys("End")
        try session.tmux(["send-keys", "-t", "0", "-H", "1b", "5b", "32", "35", "7e"])  // F13
        try session.keys("M-q")  // Esc with a key at once, in a form: nothing (not Esc, then q to quit)
        try session.type("!")
        try session.waitFor("hello world!")
        try session.keys("Enter")
        let saved = try session.waitFor("Saved: Add a note")
        #expect(try cli.run(["ledger", first, "--format", "json"]).stdout.contains("hello world!"))
        // A key ncurses decoded that arrives with an Esc (Esc, then ↓ at once) is not lost.
        let second = try #require(Session.queueRow(2, in: saved))
        try session.keys("Escape", "Down")
        try session.waitFor(" \(second) · ")
        // Outside a form, Esc with a character at once (over a slow link, Esc and the next key
        // typed arrive together) is both: the help closed, then / begins a search (it had been
        // taken for Alt-/ and dropped).
        try session.keys("?")
        try session.waitFor("Keys")
        try session.keys("Escape", "/")
        try session.type("zq")
        try session.waitFor("/zq")
    }

    @Test(.enabled(if: tmux != nil)) func aTermSignalRestoresTheTerminalAndExits() throws {
        var cli = CLI()
        cli.today = "2026-11-24"
        defer { cli.cleanUp() }
        #expect(try cli.run(["demo", "--customers", "5"]).status == 0)
        let session = Session(cli: cli)
        defer { session.stop() }
        try session.start(CLI.binary)
        try session.waitFor("Call queue")
        let pids = try session.tmux(["list-panes", "-t", "0", "-F", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        // The pane's shell runs ardesk as its child: signal the child.
        let pkill = Process()
        pkill.executableURL = URL(fileURLWithPath: "/usr/bin/pkill")
        pkill.arguments = ["-TERM", "-P", pids, "ardesk"]
        try pkill.run()
        pkill.waitUntilExit()
        let after = try session.waitFor("EXIT=")
        #expect(!after.contains("Call queue"))  // the alternate screen is gone: the terminal was restored
    }
}

extension TmuxEndToEndTests {
    /// A manager changes a limit from the command line; the collector's open screen shows it
    /// within a second. Real OS users (root creates them), as in RolesTests.
    @Test(.enabled(if: tmux != nil && RolesTests.canRun)) func aManagersChangeReachesACollectorsScreen() throws {
        try RolesTests.sh("getent group ardesk-team >/dev/null || groupadd ardesk-team")
        for user in ["ardesk-alice", "ardesk-carol"] {
            try RolesTests.sh("id \(user) >/dev/null 2>&1 || useradd -M -N -g ardesk-team -s /usr/sbin/nologin \(user)")
        }
        var cli = CLI()
        cli.today = "2026-11-24"
        defer { cli.cleanUp() }
        #expect(try cli.run(["init"]).status == 0)
        let customers = try cli.write("c.csv", "id,name,credit_limit,collector\nC1,上海华瑞科技有限公司,1000,ardesk-alice\n")
        #expect(try cli.run(["import", "customers", customers]).status == 0)
        try RolesTests.sh("chgrp -R ardesk-team \(cli.book) && chmod 770 \(cli.book) && chmod 660 \(cli.book)/journal.log \(cli.book)/journal.lock")
        try "[users]\nardesk-alice = \"collector\"\nardesk-carol = \"manager\"\nroot = \"admin\"\n"
            .write(toFile: cli.book + "/roles.toml", atomically: true, encoding: .utf8)
        let session = Session(cli: cli)
        defer { session.stop() }
        let binary = try RolesTests.sharedBinary()
        try session.start("runuser -u ardesk-alice -- env TERM=tmux-256color ARDESK_BOOK=\(cli.book) ARDESK_TODAY=\(cli.today) \(binary)")
        try session.waitFor("ardesk-alice (collector)")
        try session.keys(":")
        try session.type("goto C1")
        try session.keys("Enter")
        try session.waitFor("Limit 1,000.00")
        let change = try RolesTests.sh("runuser -u ardesk-carol -- env ARDESK_BOOK=\(cli.book) ARDESK_TODAY=\(cli.today) \(binary) limit C1 5000 --reason 'new contract'")
        #expect(change.status == 0, "\(change.output)")
        let started = Date()
        try session.waitFor("Limit 5,000.00", seconds: 3)
        #expect(Date().timeIntervalSince(started) < 1.5)
        try session.keys("q")
        try session.waitFor("EXIT=0")
    }
}
