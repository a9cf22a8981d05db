// ardesk-bench: deterministic demo books at three sizes, each figure measured several times.
//   swift build -c release && .build/release/ardesk-bench [S M L] [--runs N] [--dir PATH] [--compare]
//   .build/release/ardesk-bench open PATH [--cold] [--queue] [--figures] [--sort-keys] [--actions] [--sweep]:
//   one open and first screen in this process (for perf, callgrind and an honest peak memory);
//   --cold removes the snapshot first; the others then repeat the queue, the whole-book figures,
//   the sort and search keys, or a note saved through the workstation (which appends); --sweep
//   times every panel and the keys used most (Sweep.swift).
//   With ARDESK_REPLAY_THREADS=1 the open folds each chunk before reading the next: its work on one core.
//   .build/release/ardesk-bench host: the host's reference figures alone (printed before and after every run).
//   .build/release/ardesk-bench fold PATH: the log's decoded events folded five times (for perf).
//   .build/release/ardesk-bench scan PATH: the log read and checked five times, each record dropped as
//   it comes (what the reading thread of an open does before decoding; for perf).
//   .build/release/ardesk-bench decode PATH: the log read and checked three times, then its payloads decoded five times.
//   .build/release/ardesk-bench snapshot PATH: the book's snapshot loaded and decoded five times (for perf).
//   --compare (after the figures) or .build/release/ardesk-bench compare [S M L]: the book exported with
//   `ardesk export hledger`, then `ardesk report aging --by customer`, `hledger bal` and `ledger bal`
//   timed as child processes (each stopped after --compare-limit seconds, 300 unless given).
//   Needs `swift build -c release` (the ardesk binary too).
import Core
import Desk
import FlatJSON
import Foundation
import Journal
import Terminal
import Workstation

struct Size { let name: String; let customers: Int; let months: Int }
let sizes = ["S": Size(name: "S", customers: 1_000, months: 10), "M": Size(name: "M", customers: 10_000, months: 10),
             "L": Size(name: "L", customers: 50_000, months: 10)]

var arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    defer { arguments.removeSubrange(index...index + 1) }
    return arguments[index + 1]
}
/// Removes a flag from the arguments; whether it was there.
@MainActor func flag(_ name: String) -> Bool {
    guard let index = arguments.firstIndex(of: name) else { return false }
    arguments.remove(at: index)
    return true
}
let runs = Int(option("--runs") ?? "5") ?? 5
let compare = flag("--compare")
let compareLimit = Double(option("--compare-limit") ?? "300") ?? 300
let directory = option("--dir") ?? FileManager.default.currentDirectoryPath + "/.build/bench-books"
let chosen = arguments.isEmpty ? ["S", "M"] : arguments
let today = Day(iso: "2026-11-24")!

if arguments.first == "host" {  // only the host's reference figures
    print(HostReference.measure().text)
    exit(0)
}

if arguments.first == "scan", arguments.count >= 2 {  // only reading and checking the log, as an open's reading thread
    for _ in 0..<5 {
        var count = 0
        let scan = try seconds {
            _ = try Journal.open(folder: arguments[1], author: "bench", readOnly: true, checksPayloads: false, deliver: { _ in count += 1 })
        }
        print("log read and checked in \(Int(scan * 1000)) ms, \(count) records (each dropped as it came)")
    }
    exit(0)
}
if arguments.first == "fold", arguments.count >= 2 {  // only folding decoded events, for a profiler
    let records = try Journal.open(folder: arguments[1], author: "bench", readOnly: true).readNew()
    let decoded = try records.map { try EventCodec.decode($0) }
    for _ in 0..<5 {  // several times, so a profile is mostly folding
        let fold = try seconds {
            var book = Book()
            for (index, item) in decoded.enumerated() {
                try book.apply(item.0, stamp: Stamp(sequence: UInt64(index + 1), author: "bench", time: "", day: item.1))
            }
        }
        print("fold \(Int(fold * 1000)) ms")
    }
    exit(0)
}

if arguments.first == "decode", arguments.count >= 2 {  // only reading the log, then only decoding its payloads
    var records: [JournalRecord] = []
    for _ in 0..<3 {
        let read = try seconds { records = try Journal.open(folder: arguments[1], author: "bench", readOnly: true, checksPayloads: false).readNew() }
        print("log read and checked in \(Int(read * 1000)) ms, \(records.count) records")
    }
    for _ in 0..<3 {
        let check = try seconds {
            for record in records { try record.withData { _ = try JSONReader.skipValue($0, at: 0) } }
        }
        let members = try seconds {
            for record in records { try record.withData { try JSONMembers.read($0) { _ in } } }
        }
        print("payloads checked in \(Int(check * 1000)) ms, read as members in \(Int(members * 1000)) ms")
    }
    for _ in 0..<5 {
        let decode = try seconds {
            try records.withUnsafeBufferPointer { list in  // in place, as replay reads them
                for record in UnsafeBufferPointer(rebasing: list[...]).indices.lazy.map({ list.baseAddress! + $0 }) {
                    _ = try EventCodec.decode(type: record.pointee.type, version: record.pointee.version,
                                              bytes: record.pointee.unsafeData, author: record.pointee.author)
                }
            }
        }
        print("payloads decoded in \(Int(decode * 1000)) ms")
    }
    exit(0)
}

if arguments.first == "snapshot", arguments.count >= 2 {  // only decoding the snapshot, for a profiler
    for _ in 0..<5 {  // mapped and its checksum checked
        let load = seconds { _ = Journal.loadSnapshot(folder: arguments[1]) }
        print("snapshot loaded in \(String(format: "%.1f", load * 1000)) ms")
    }
    guard let snapshot = Journal.loadSnapshot(folder: arguments[1]).snapshot else { print("no snapshot"); exit(1) }
    for _ in 0..<5 {
        let decode = try seconds { _ = try snapshot.bytes.withUnsafeBytes { try Book(snapshot: $0) } }
        print("snapshot decoded in \(Int(decode * 1000)) ms")
    }
    exit(0)
}

if arguments.first == "compare" {  // only the comparison with hledger and ledger, on books already generated
    for name in arguments.dropFirst() {
        guard sizes[name] != nil, FileManager.default.fileExists(atPath: "\(directory)/\(name)/journal.log") else {
            print("\(name): no such book in \(directory) (run ardesk-bench \(name) first)")
            continue
        }
        print("\(name):")
        compareWithLedgers(book: "\(directory)/\(name)", journal: "\(directory)/\(name).journal", asOf: "2026-11-24", runs: runs, limit: compareLimit)
    }
    exit(0)
}

if arguments.first == "open", arguments.count >= 2 {
    let folder = BookFolder(path: arguments[1])
    if arguments.contains("--cold") { try? FileManager.default.removeItem(atPath: folder.path + "/journal.snapshot") }
    let start = DispatchTime.now().uptimeNanoseconds
    let desk = try Desk.open(folder: folder, today: today, snapshotLater: true)  // as `ardesk open` does
    let opened = DispatchTime.now().uptimeNanoseconds
    let first = Workstation(desk: desk, asOf: today, language: .en)
    _ = first.render(rows: 48, cols: 160)
    let shown = DispatchTime.now().uptimeNanoseconds
    first.firstScreenShown()
    first.finishBackgroundWork()  // the customers panel, built after the first screen
    let listed = DispatchTime.now().uptimeNanoseconds
    desk.finishBackgroundWork()
    if arguments.contains("--sort-keys") {  // the sort key again and again, for a profiler
        let workstation = Workstation(desk: desk, asOf: today, language: .en)
        _ = workstation.handle(.tab)
        let times = (0..<64).map { _ in seconds { _ = workstation.handle(.char("s")); _ = workstation.render(rows: 48, cols: 160) } }
        var search: [Double] = []
        for _ in 0..<32 {
            _ = workstation.handle(.char("/"))
            search.append(seconds { _ = workstation.handle(.char("上")); _ = workstation.render(rows: 48, cols: 160) })
            search.append(seconds { _ = workstation.handle(.char("海")); _ = workstation.render(rows: 48, cols: 160) })
            _ = workstation.handle(.escape)
        }
        print("search keys: \(summary(search))")
        print("sort key: \(summary(times)); first eight: " + times.prefix(8).map { String(format: "%.1f", $0 * 1000) }.joined(separator: " "))
    }
    if arguments.contains("--actions") {  // a note typed and saved on the queue's first customer, again and again
        let workstation = Workstation(desk: desk, asOf: today, language: .en)
        _ = workstation.render(rows: 48, cols: 160)
        workstation.finishBackgroundWork()
        let times = (0..<20).map { _ in
            _ = workstation.handle(.char("n"))
            _ = workstation.handle(.char("x"))
            return seconds { _ = workstation.handle(.enter); _ = workstation.render(rows: 48, cols: 160) }
        }
        print("note saved through the workstation: \(summary(times)); " + times.map { String(format: "%.0f", $0 * 1000) }.joined(separator: " "))
        _ = try desk.refresh()
    }
    if arguments.contains("--sweep") {  // every panel and the keys a collector or manager presses most, each timed
        sweepKeys(desk: desk)
    }
    if arguments.contains("--queue") {  // today's queue again and again, for a profiler
        let times = (0..<20).map { _ in seconds { _ = Worklist.build(book: desk.book, policy: desk.policy, asOf: today) } }
        print("queue: \(summary(times))")
    }
    if arguments.contains("--figures") {  // the whole-book figures again and again, for a profiler
        for _ in 0..<5 {
            let queue = seconds { _ = Worklist.build(book: desk.book, policy: desk.policy, asOf: today) }
            let aging = seconds { _ = AgingReport(book: desk.book, policy: desk.policy, asOf: today) }
            let abc = seconds { _ = ABCClass.classify(desk.book, asOf: today) }
            let positions = seconds { _ = desk.book.customerOrder.mapOnAllCores { Position($0, in: desk.book, asOf: today) } }
            let promises = seconds { _ = desk.book.customerOrder.mapOnAllCores { Promises.judge($0, in: desk.book, asOf: today) } }
            let workstation = seconds { Workstation(desk: desk, asOf: today, language: .en).finishBackgroundWork() }
            print("queue \(Int(queue * 1000)) ms, aging \(Int(aging * 1000)) ms, abc \(Int(abc * 1000)) ms, positions \(Int(positions * 1000)) ms, promises \(Int(promises * 1000)) ms, workstation \(Int(workstation * 1000)) ms")
            // What the review and dashboard compute (PortfolioView), part by part.
            let trend = seconds { _ = PortfolioKPIs.trend(book: desk.book, policy: desk.policy, asOf: today) }
            let issueAging = seconds { _ = AgingReport(book: desk.book, policy: desk.policy, asOf: today, basis: .issue) }
            let collectors = seconds { _ = CollectorFigures.compute(book: desk.book, from: today.adding(days: -29), to: today) }
            let judged = seconds { _ = Promises.judgeAll(in: desk.book, asOf: today) }
            let signals = seconds { _ = RiskSignals.byCustomer(in: desk.book, asOf: today) }
            let dunning = seconds { _ = try? Dunning.propose(book: desk.book, policy: desk.policy, asOf: today, lookingBack: false) }
            print("  trend \(Int(trend * 1000)) ms, aging by issue \(Int(issueAging * 1000)) ms, collectors \(Int(collectors * 1000)) ms, promises judged \(Int(judged * 1000)) ms, risk signals \(Int(signals * 1000)) ms, dunning proposals \(Int(dunning * 1000)) ms")
        }
    }
    print("open \((opened - start) / 1_000_000) ms, first screen \((shown - start) / 1_000_000) ms, "
          + "customers panel ready \((listed - start) / 1_000_000) ms, "
          + "\(desk.book.lastSequence) events, peak \(highWaterMiB()) MiB")
    exit(0)
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// min / median / max (and p99 when there are many samples), in milliseconds.
func summary(_ samples: [Double]) -> String {
    let sorted = samples.sorted()
    let ms = { (s: Double) in String(format: "%.1f", s * 1000) }
    var text = "\(ms(sorted.first!)) / \(ms(sorted[sorted.count / 2])) / \(ms(sorted.last!)) ms"
    if sorted.count >= 50 { text += "  p99 \(ms(sorted[Int(Double(sorted.count) * 0.99)])) ms" }
    return text
}

func peakMemoryMiB() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss / 1024)
}

/// This process's own peak resident memory (VmHWM). Unlike `ru_maxrss`, which Linux carries
/// from the parent through fork and exec, it starts afresh in a child.
func highWaterMiB() -> Int {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return -1 }
    return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1) / 1024
}

/// Runs `ardesk-bench open PATH` in a child process: what a user's process does, without this
/// one's leftovers. Returns open and first-screen seconds and the child's peak MiB.
func childRun(_ path: String, cold: Bool) -> (open: Double, first: Double, listed: Double, peak: Int)? {
    let child = Process()
    child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
    child.arguments = ["open", path] + (cold ? ["--cold"] : [])
    let pipe = Pipe()
    child.standardOutput = pipe
    guard (try? child.run()) != nil else { return nil }
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    child.waitUntilExit()
    func number(after label: String) -> Int? {
        guard let range = output.range(of: label) else { return nil }
        return Int(output[range.upperBound...].prefix { $0.isNumber })
    }
    guard let open = number(after: "open "), let first = number(after: "first screen "),
          let listed = number(after: "customers panel ready "), let peak = number(after: "peak ") else { return nil }
    return (Double(open) / 1000, Double(first) / 1000, Double(listed) / 1000, peak)
}

func machine() -> String {
    let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
        .split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "?"
    return "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(cpu), \(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB"
}

print("ardesk-bench on \(machine()); \(runs) runs each; min / median / max")
print(HostReference.measure().text)
for name in chosen {
    guard let size = sizes[name] else { print("unknown size \(name) (S, M, L)"); continue }
    let folder = BookFolder(path: "\(directory)/\(size.name)")
    if !folder.exists {
        let generation = try seconds {
            let desk = try Desk.create(folder: folder, currency: .cny, today: today)
            var demo = DemoBook(customers: size.customers, seed: 7, asOf: today)
            demo.months = size.months
            try demo.generate(chunkSize: 50_000) { try desk.appendHistory($0) }
        }
        print("\(size.name): generated in \(String(format: "%.1f", generation)) s")
    }
    let bytes = (try? FileManager.default.attributesOfItem(atPath: folder.journalPath)[.size] as? Int) ?? 0
    var open: [Double] = [], first: [Double] = [], queue: [Double] = [], aging: [Double] = []
    var snapshotOpen: [Double] = [], snapshotFirst: [Double] = []
    var desk: Desk!
    let snapshotPath = folder.path + "/journal.snapshot"
    for _ in 0..<runs {
        // Cold: no snapshot (opening writes one after a long replay, so remove it each time).
        try? FileManager.default.removeItem(atPath: snapshotPath)
        desk = nil
        open.append(try seconds { desk = try Desk.open(folder: folder, today: today) })
        desk.finishBackgroundWork()  // the snapshot written after a long replay
        try? FileManager.default.removeItem(atPath: snapshotPath)
        // One book in memory at a time, as in a user's process: with the book just opened still
        // held, every page of the next was new to the process (so measured until the fifteenth
        // round, the first screen took about 0.2 s more than the open on L).
        desk = nil
        var shown: Workstation!
        first.append(try seconds {
            desk = try Desk.open(folder: folder, today: today, snapshotLater: true)  // as `ardesk open` does
            shown = Workstation(desk: desk, asOf: today, language: .en)
            _ = shown.render(rows: 48, cols: 160)
        })
        shown.firstScreenShown()
        shown.finishBackgroundWork()
        desk.finishBackgroundWork()
    }
    let events = desk.book.lastSequence
    _ = desk.saveSnapshot()
    let snapshotBytes = (try? FileManager.default.attributesOfItem(atPath: snapshotPath)[.size] as? Int) ?? 0
    for _ in 0..<runs {  // one book in memory at a time here too
        desk = nil
        snapshotOpen.append(try seconds { desk = try Desk.open(folder: folder, today: today) })
        desk = nil
        var shown: Workstation!
        snapshotFirst.append(try seconds {
            desk = try Desk.open(folder: folder, today: today)
            shown = Workstation(desk: desk, asOf: today, language: .en)
            _ = shown.render(rows: 48, cols: 160)
        })
        shown.finishBackgroundWork()  // so the next run does not share the cores with it
    }
    // Where a cold open spends its time: reading and verifying the log, decoding payloads, folding.
    var records: [JournalRecord] = []
    let read = try seconds {
        let journal = try Journal.open(folder: folder.path, author: "bench", readOnly: true)
        records = try journal.readNew()
    }
    var decoded: [(Event, Day)] = []
    let decode = try seconds {
        decoded = try records.map { try EventCodec.decode($0) }
    }
    let fold = try seconds {
        var book = Book()
        for (index, item) in decoded.enumerated() {
            try book.apply(item.0, stamp: Stamp(sequence: UInt64(index + 1), author: "bench", time: "", day: item.1))
        }
    }
    print("  phases: read+verify \(String(format: "%.0f", read * 1000)) ms (\(Int(Double(records.count) / read)) records/s), decode \(String(format: "%.0f", decode * 1000)) ms, fold \(String(format: "%.0f", fold * 1000)) ms")
    records = []; decoded = []
    for _ in 0..<runs {
        queue.append(seconds { _ = Worklist.build(book: desk.book, policy: desk.policy, asOf: today) })
        aging.append(seconds { _ = AgingReport(book: desk.book, policy: desk.policy, asOf: today) })
    }
    let workstation = Workstation(desk: desk, asOf: today, language: .en)
    _ = workstation.handle(.tab)  // the customers panel
    var keys: [Double] = []
    for index in 0..<200 {
        keys.append(seconds {
            _ = workstation.handle(index % 2 == 0 ? .down : .pageDown)
            _ = workstation.render(rows: 48, cols: 160)
        })
    }
    var sortAndSearch: [Double] = []
    var perKey: [String] = []
    for key in [Key.char("s"), .char("s"), .char("/"), .char("上"), .char("海"), .escape] {
        let time = seconds {
            _ = workstation.handle(key)
            _ = workstation.render(rows: 48, cols: 160)
        }
        sortAndSearch.append(time)
        perKey.append("\(key) \(String(format: "%.1f", time * 1000))")
    }
    print("  sort / search keys (ms): " + perKey.joined(separator: ", "))
    var appends: [Double] = []
    let target = desk.book.customerOrder[0]
    for index in 0..<50 { appends.append(try seconds { try desk.perform(.note(target, "bench note \(index)")) }) }
    let medianOpen = open.sorted()[open.count / 2]
    // Peak memory of what a user runs (open and first screen), each in a fresh process: this
    // process holds every phase's leftovers.
    desk.finishBackgroundWork()
    let freshSnapshot = (0..<runs).compactMap { _ in childRun(folder.path, cold: false) }
    let freshCold = (0..<runs).compactMap { _ in childRun(folder.path, cold: true) }
    let peakWithSnapshot = freshSnapshot.map(\.peak).max() ?? -1
    let peakCold = freshCold.map(\.peak).max() ?? -1
    print("""
    \(size.name): \(size.customers) customers, \(desk.book.invoices.count) invoices, \(desk.book.payments.count) payments, \(events) events, \(bytes / 1_048_576) MiB journal
      open (replay, cold)       \(summary(open))  = \(Int(Double(events) / medianOpen)) events/s
      first screen (cold)       \(summary(first))
      open with snapshot        \(summary(snapshotOpen))  (\(snapshotBytes / 1_048_576) MiB snapshot)
      first screen, snapshot    \(summary(snapshotFirst))
      queue                     \(summary(queue))
      aging report              \(summary(aging))
      keystroke (move, redraw)  \(summary(keys))
      sort / search keystroke   \(summary(sortAndSearch))
      append (durable)          \(summary(appends))
      fresh process, cold       open \(summary(freshCold.map(\.open))), first screen \(summary(freshCold.map(\.first))), customers panel ready \(summary(freshCold.map(\.listed)))
      fresh process, snapshot   open \(summary(freshSnapshot.map(\.open))), first screen \(summary(freshSnapshot.map(\.first))), customers panel ready \(summary(freshSnapshot.map(\.listed)))
      peak memory, open + first screen: cold \(peakCold) MiB, with snapshot \(peakWithSnapshot) MiB (this process: \(peakMemoryMiB()) MiB)
    """)
    if compare {
        desk = nil
        compareWithLedgers(book: folder.path, journal: "\(directory)/\(size.name).journal", asOf: "2026-11-24", runs: runs, limit: compareLimit)
    }
}
if chosen.contains(where: { sizes[$0] != nil }) { print("after the run: " + HostReference.measure().text) }  // the host's speed drifts
