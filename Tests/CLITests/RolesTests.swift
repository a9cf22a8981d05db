import Foundation
import Testing

/// Role enforcement with real operating-system users: identity is the process's user, never a flag.
/// Needs root (to create users and run the binary as them with runuser); skipped otherwise.
@Suite(.serialized) struct RolesTests {
    static let canRun = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/useradd")
        && FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser")

    @discardableResult
    static func sh(_ command: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Runs ardesk as `user` on the test's book, on today's date (a collector may not pin another
    /// in a shared book) unless `pinned`.
    func ardesk(_ user: String, _ arguments: String, book: String, pinned: String? = nil) throws -> (status: Int32, output: String) {
        try Self.sh("runuser -u \(user) -- env ARDESK_BOOK=\(book) \(pinned.map { "ARDESK_TODAY=\($0)" } ?? "") \(try Self.sharedBinary()) \(arguments)")
    }

    /// A copy of the binary other users can run: the checkout may sit under a private home folder.
    /// Copied afresh once per test process: a folder left by an earlier run (pids repeat, in a
    /// container especially) would otherwise hand these tests an older build.
    static let sharedCopy: Result<String, Error> = Result {
        let folder = "/tmp/ardesk-test-bin-\(getpid())"
        let path = folder + "/ardesk"
        let copied = try sh("rm -rf \(folder) && mkdir -p \(folder) && cp \(CLI.binary) \(path) && chmod 755 \(folder) \(path)")
        guard copied.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: copied.output]) }
        return path
    }

    static func sharedBinary() throws -> String { try sharedCopy.get() }

    @Test(.enabled(if: canRun)) func collectorsRequestManagersDecideStrangersAreRefused() throws {
        try Self.sh("getent group ardesk-team >/dev/null || groupadd ardesk-team")
        for user in ["ardesk-alice", "ardesk-carol", "ardesk-bob"] {
            try Self.sh("id \(user) >/dev/null 2>&1 || useradd -M -N -g ardesk-team -s /usr/sbin/nologin \(user)")
        }
        let cli = CLI()
        defer { cli.cleanUp() }
        #expect(try cli.run(["init"]).status == 0)
        let customers = try cli.write("c.csv", "id,name,credit_limit\nC1,上海华瑞科技有限公司,1000\n")
        #expect(try cli.run(["import", "customers", customers]).status == 0)
        // A team shares the book through its group; the roles file belongs to root and only root writes it.
        try Self.sh("chgrp -R ardesk-team \(cli.book) && chmod 770 \(cli.book) && chmod 660 \(cli.book)/journal.log \(cli.book)/journal.lock")
        try "[users]\nardesk-alice = \"collector\"\nardesk-carol = \"manager\"\nroot = \"admin\"\n"
            .write(toFile: cli.book + "/roles.toml", atomically: true, encoding: .utf8)
        try Self.sh("chmod 644 \(cli.book)/roles.toml")
        let before = try cli.run(["log", "verify"]).stdout

        let refused = try ardesk("ardesk-alice", "limit C1 5000 --reason more", book: cli.book)
        #expect(refused.status != 0)
        #expect(refused.output.contains("collectors cannot change limits; request a limit change"), "\(refused.output)")
        // A hold has no request: the collector is told to leave a note, not to file one.
        let hold = try ardesk("ardesk-alice", "hold C1 --reason late", book: cli.book)
        #expect(hold.status != 0 && hold.output.contains("cannot change holds") && hold.output.contains("leave a note for a manager"), "\(hold.output)")
        #expect(try cli.run(["log", "verify"]).stdout == before)  // a refused action appends nothing
        // A collector's queue is their own: another collector's asked for is said, not silently ignored.
        let others = try ardesk("ardesk-alice", "queue --collector ardesk-bob", book: cli.book)
        #expect(others.status != 0 && others.output.contains("a collector's queue holds their own customers"), "\(others.output)")

        // A collector's actions are dated today: a day pinned otherwise makes the session read-only.
        let backdated = try ardesk("ardesk-alice", "note C1 \"called last week\"", book: cli.book, pinned: "2020-01-02")
        #expect(backdated.status != 0 && backdated.output.contains("ARDESK_TODAY=2020-01-02 is not today's date"), "\(backdated.output)")
        #expect(try cli.run(["log", "verify"]).stdout == before)
        let request = try ardesk("ardesk-alice", "request limit C1 5000 --reason \"big order\"", book: cli.book)
        #expect(request.status == 0, "\(request.output)")
        let id = try #require(request.output.split(separator: " ").first { $0.hasPrefix("R") && $0.dropFirst().allSatisfy(\.isNumber) }.map(String.init))
        let approvals = try ardesk("ardesk-carol", "approvals", book: cli.book)
        #expect(approvals.output.contains("ardesk-alice: big order"), "\(approvals.output)")
        let approve = try ardesk("ardesk-carol", "approve \(id)", book: cli.book)
        #expect(approve.status == 0, "\(approve.output)")
        let ledger = try ardesk("root", "ledger C1 --format json", book: cli.book)  // today, as the approval was
        #expect(ledger.output.contains("\"credit_limit\":\"5000.00\""), "\(ledger.output)")
        #expect(ledger.output.contains("\"by\":\"ardesk-carol\""))

        let stranger = try ardesk("ardesk-bob", "queue", book: cli.book)
        #expect(stranger.status != 0)
        #expect(stranger.output.contains("ardesk-bob is not listed"), "\(stranger.output)")

        try Self.sh("chmod 666 \(cli.book)/roles.toml")
        let unsafe = try ardesk("ardesk-carol", "queue", book: cli.book)
        #expect(unsafe.status != 0)
        #expect(unsafe.output.contains("can be written by users other than its owner"), "\(unsafe.output)")

        // A collector who removes the roles file from the shared folder is no admin for it: they
        // may look, not change (the folder's owner, root here, still may).
        try Self.sh("mv \(cli.book)/roles.toml \(cli.book)/roles.away")
        let before2 = try cli.run(["log", "verify"]).stdout
        let escalated = try ardesk("ardesk-alice", "writeoff C1 --amount 1 --reason escalated", book: cli.book)
        #expect(escalated.status != 0 && escalated.output.contains("can be written by its group but has no roles.toml"), "\(escalated.output)")
        #expect(try ardesk("ardesk-alice", "queue", book: cli.book).status == 0)
        #expect(try cli.run(["log", "verify"]).stdout == before2)
        #expect(try cli.run(["note", "C1", "the owner still may"]).status == 0)
    }
}
