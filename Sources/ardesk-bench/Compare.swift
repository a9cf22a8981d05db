// The comparison the issue asks for, in the same run as the figures: the book exported with
// `ardesk export hledger`, then per-customer receivable balances from `ardesk report aging
// --by customer`, `hledger bal` and `ledger bal`, each a child process timed from start to exit,
// with its peak memory, and the three totals checked against each other.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One child process run to its end, or stopped at a time limit.
struct ChildRun {
    var seconds: Double
    /// The child's own peak resident memory, as GNU time reports it (-1 without /usr/bin/time).
    /// Not `wait4`'s `ru_maxrss` of a child spawned here: Linux carries the peak of the process
    /// that spawns it through exec, and this one holds books of gigabytes.
    var peakMiB: Int
    var finished: Bool
    var status: Int32
    /// Its standard output.
    var output: String
}

/// Runs `arguments[0]` (a path, or a name looked up in PATH) with its standard output in a
/// temporary file (a pipe would fill up while waiting), stopping it after `limit` seconds.
func runChild(_ command: [String], limit: Double) -> ChildRun? {
    let outputPath = NSTemporaryDirectory() + "ardesk-bench-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).out"
    let peakPath = outputPath + ".peak"
    defer { unlink(outputPath); unlink(peakPath) }
    let measured = FileManager.default.isExecutableFile(atPath: "/usr/bin/time")
    let arguments = measured ? ["/usr/bin/time", "-f", "%M", "-o", peakPath] + command : command
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))  // its own group, so a stop reaches the tool too
    posix_spawnattr_setpgroup(&attributes, 0)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let start = DispatchTime.now().uptimeNanoseconds
    guard posix_spawnp(&pid, argv[0]!, &actions, &attributes, argv, environ) == 0 else { return nil }
    var status: Int32 = 0
    var finished = true
    while waitpid(pid, &status, WNOHANG) == 0 {
        if Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 > limit {
            kill(-pid, SIGKILL)
            _ = waitpid(pid, &status, 0)
            finished = false
            break
        }
        usleep(5_000)
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    let peakKiB = (try? String(contentsOfFile: peakPath, encoding: .utf8)).flatMap { text in
        text.split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }
    return ChildRun(seconds: seconds, peakMiB: peakKiB.map { $0 / 1024 } ?? -1, finished: finished, status: status, output: output)
}

/// The last amount on the last line that has one (a report's total), as digits and a point:
/// `CNY 83,116,335.00` and `83116335.00` both give "83116335.00".
func lastTotal(_ output: String) -> String? {
    for line in output.split(separator: "\n").reversed() {
        let amounts = line.split(separator: " ").map { $0.filter { $0 != "," } }.filter { $0.contains(".") && Double($0) != nil }
        if let last = amounts.last { return String(last) }
    }
    return nil
}

/// Exports `book` for hledger (unless an export newer than its log is there) and times the three
/// reports; prints one block of results.
func compareWithLedgers(book: String, journal: String, asOf: String, runs: Int, limit: Double) {
    let ardesk = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ardesk").path
    guard FileManager.default.isExecutableFile(atPath: ardesk) else {
        print("  compare: no ardesk next to ardesk-bench (build it: swift build -c release)")
        return
    }
    let logDate = (try? FileManager.default.attributesOfItem(atPath: book + "/journal.log")[.modificationDate] as? Date) ?? .distantFuture
    let exportDate = (try? FileManager.default.attributesOfItem(atPath: journal)[.modificationDate] as? Date) ?? .distantPast
    if exportDate < logDate {
        guard let export = runChild([ardesk, "export", "hledger", "--book", book, "--output", journal, "--as-of", asOf], limit: limit),
              export.finished, export.status == 0 else {
            print("  compare: ardesk export hledger failed")
            return
        }
        print("  compare: exported in \(String(format: "%.1f", export.seconds)) s")
    }
    let journalMiB = ((try? FileManager.default.attributesOfItem(atPath: journal)[.size] as? Int) ?? 0) / 1_048_576
    let report = [ardesk, "report", "aging", "--by", "customer", "--book", book, "--as-of", asOf]
    let tools: [(name: String, arguments: [String], cold: Bool)] = [
        ("ardesk report aging --by customer", report, false),
        ("the same without a snapshot", report, true),
        ("hledger bal assets:receivable", ["hledger", "bal", "assets:receivable", "-f", journal], false),
        ("ledger bal assets:receivable", ["ledger", "bal", "assets:receivable", "-f", journal], false),
    ]
    let snapshot = book + "/journal.snapshot", kept = book + "/journal.snapshot.kept"
    var ardeskMedians: [Double] = []
    func ratio(_ ratio: Double) -> String { String(format: ratio < 10 ? "%.1f×" : "%.0f×", ratio) }
    var totals: [String] = []
    print("  compare: per-customer receivable balances, the book and its \(journalMiB) MiB hledger journal, child processes:")
    for tool in tools {
        var times: [Double] = []
        var peak = 0
        var stopped = false
        var failure: String?
        for _ in 0..<runs {
            // Cold: the snapshot set aside (the run writes a new one, as a user's would), then put back.
            if tool.cold { rename(snapshot, kept) }
            let result = runChild(tool.arguments, limit: limit)
            if tool.cold { rename(kept, snapshot) }
            guard let run = result else { break }
            peak = max(peak, run.peakMiB)
            guard run.finished else { stopped = true; break }
            let exitCode = (run.status >> 8) & 0xFF
            guard run.status == 0 else {  // a tool not installed runs as /usr/bin/time's child, which exits 127
                failure = exitCode == 127 ? "not installed" : "failed (exit status \(exitCode))"
                totals.append("?")
                break
            }
            times.append(run.seconds)
            if times.count == 1 { totals.append(lastTotal(run.output) ?? "?") }
            if run.seconds > 30 { break }  // minutes a run: once is enough
        }
        let sorted = times.sorted()
        let median: Double? = sorted.isEmpty ? nil : sorted[sorted.count / 2]
        var shown = failure ?? (stopped ? "stopped after \(Int(limit)) s" : "did not run")
        if failure == nil, let median {
            shown = String(format: "%.2f / %.2f / %.2f s", sorted.first!, median, sorted.last!)
            if tool.arguments[0] == ardesk {
                ardeskMedians.append(median)
            } else if ardeskMedians.count == 2 {
                shown += " (" + ardeskMedians.map { ratio(median / $0) }.joined(separator: " / ") + " ardesk's with / without a snapshot)"
            }
        }
        print("    \(tool.name.padding(toLength: 36, withPad: " ", startingAt: 0)) \(shown)" + (peak > 0 ? ", peak \(peak) MiB" : ""))
    }
    let agree = Set(totals).count == 1 && totals.first != "?"
    print("    totals: \(totals.joined(separator: " / "))" + (agree ? " (agree)" : " (DO NOT AGREE)"))
}
