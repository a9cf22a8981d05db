import ArgumentParser
import Desk
import Foundation
import Journal

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Verify, inspect or repair the book's journal.",
        subcommands: [Verify.self, Stats.self, Repair.self, SnapshotCommand.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every checksum and the hash chain; exits non-zero on damage.")
        @OptionGroup var options: BookOptions
        func run() throws {
            try options.requireRole()
            let report = try Journal.verify(options.folder.path)
            print("records: \(report.records)")
            print("last sequence: \(report.lastSequence)")
            print("head hash: \(report.headHash)  (keep this elsewhere: it proves the log was not rewritten)")
            if let problem = report.problem {
                print((problem.isTornTail ? "torn tail" : "DAMAGE") + " at line \(problem.line), byte \(problem.offset): \(problem.reason)")
                print("see `ardesk log repair` (it keeps a backup and cuts only with --cut)")
                throw ExitCode(2)
            }
            print("intact")
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Counts by event type and author, first and last time, size.")
        @OptionGroup var options: BookOptions
        func run() throws {
            try options.requireRole()
            let stats = try Journal.stats(options.folder.path)
            print("records: \(stats.records)  size: \(stats.fileSize) bytes")
            print("first: \(stats.firstTimestamp ?? "-")  last: \(stats.lastTimestamp ?? "-")")
            print("by type:")
            for (type, count) in stats.countsByType.sorted(by: { $0.value > $1.value }) { print("  \(type): \(count)") }
            print("by author:")
            for (author, count) in stats.countsByAuthor.sorted(by: { $0.value > $1.value }) { print("  \(author): \(count)") }
            if let problem = stats.problem { print("problem at line \(problem.line), byte \(problem.offset): \(problem.reason)") }
        }
    }

    struct Repair: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Back up the journal and, with --cut, cut a damaged book back to its last good record.")
        @OptionGroup var options: BookOptions
        @Flag(help: "Really remove everything after the last good record (a backup is kept).") var cut = false
        func run() throws {
            // Cutting a shared book is a manager's act; looking at what repair would do is anyone's listed.
            try options.requireRole(manager: cut)
            print(try Journal.repair(options.folder.path, cut: cut).description)
        }
    }

    struct SnapshotCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "snapshot",
            abstract: "Write a snapshot of the book so the next open replays only what follows (a cache; the log stays the truth).")
        @OptionGroup var options: BookOptions
        func run() throws {
            let desk = try options.openDesk(readOnly: "snapshot")
            if let problem = desk.saveSnapshot() { throw CLIError("no snapshot written: \(problem)") }
            print("Snapshot written at record \(desk.book.lastSequence).")
        }
    }
}
