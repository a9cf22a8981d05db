// ardesk-journal-stress: a helper process for JournalTests and a hand-run stress test / benchmark.
//
//   append <folder> <count> <tag> [batch]   append <count> times (each a group of `batch` records,
//                                           default 1); prints "saw <seq>" for every record of
//                                           others it is handed and "ack <seq>" once durable
//   efbig <folder> <bytes>                  ignore SIGXFSZ, limit file size (RLIMIT_FSIZE), append
//                                           until it fails; prints "error: …" then "after: …"
//   concurrent <folder> <procs> <count>     create a book, run <procs> appenders, check the result
//   verify <folder> [rounds]                time Journal.verify
//   bench [records] [folder]                generate a log, time verify/readNew and single appends
import Crypto
import FlatJSON
import Journal
#if canImport(Glibc)
import Glibc
#endif

func out(_ s: String) {
    print(s)
    fflush(nil)
}

func fail(_ s: String) -> Never {
    let line = Array((s + "\n").utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress!, $0.count) }
    exit(2)
}

/// Monotonic nanoseconds: timings are whole numbers, like everything else ardesk counts.
func now() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

let filler = "Payment promised by phone; follow up on Friday. 支払約束"

func appendLoop(folder: String, count: Int, tag: String, batch: Int) {
    let journal: Journal
    do { journal = try Journal.open(folder: folder, author: SystemIdentity.currentUserName()) } catch { fail("open: \(error)") }
    journal.lockTimeoutSeconds = 120
    do {
        for r in try journal.readNew() { out("saw \(r.sequence)") }
        for i in 0..<count {
            let written = try journal.append { fresh in
                for r in fresh { out("saw \(r.sequence)") }
                return (0..<batch).map { k in
                    RecordDraft(type: "stress.appended", version: 1, payload: [
                        "proc": .string(tag), "i": .int(Int64(i)), "k": .int(Int64(k)), "note": .string(filler),
                    ])
                }
            }
            for r in written { out("ack \(r.sequence)") }
        }
        out("done \(journal.lastSequence)")
    } catch {
        out("error: \(error)")
        exit(1)
    }
}

func efbig(folder: String, limit: Int) {
    signal(SIGXFSZ, SIG_IGN)
    var rl = rlimit(rlim_cur: rlim_t(limit), rlim_max: rlim_t(limit))
    guard setrlimit(Int32(RLIMIT_FSIZE.rawValue), &rl) == 0 else { fail("setrlimit: \(errno)") }
    let journal: Journal
    do { journal = try Journal.open(folder: folder, author: SystemIdentity.currentUserName()) } catch { fail("open: \(error)") }
    let big = String(repeating: "x", count: 3000)
    var n = 0
    while n < 100_000 {
        do {
            let r = try journal.append(RecordDraft(type: "stress.big", version: 1, payload: ["blob": .string(big)]))
            out("ack \(r.sequence)")
            n += 1
        } catch {
            out("error: \(error)")
            do {
                _ = try journal.append(RecordDraft(type: "stress.big", version: 1, payload: [:]))
                out("after: appended")
            } catch {
                out("after: \(error)")
            }
            exit(0)
        }
    }
    out("no error")
    exit(1)
}

/// Runs `procs` appenders against one new book and checks: every sequence 1...N acknowledged
/// exactly once, every process saw every record it did not write, the book verifies.
func concurrent(folder: String, procs: Int, count: Int) {
    do { _ = try Journal.create(folder: folder, author: SystemIdentity.currentUserName()) } catch { fail("create: \(error)") }
    let me = CommandLine.arguments[0]
    var pids: [pid_t] = []
    var outputs: [String] = []
    for p in 0..<procs {
        let outPath = folder + "/out-\(p).txt"
        outputs.append(outPath)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let args = [me, "append", folder, String(count), "p\(p)"]
        var cargs = args.map { strdup($0) } + [nil]
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, me, &actions, nil, &cargs, environ)
        guard rc == 0 else { fail("spawn: \(rc)") }
        pids.append(pid)
        for a in cargs { free(a) }
    }
    let start = now()
    for pid in pids {
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        if status != 0 { fail("child \(pid) exited with \(status)") }
    }
    let elapsed = now() - start
    let total = procs * count
    var acked = Set<UInt64>()
    for path in outputs {
        guard let f = fopen(path, "r") else { fail("no output \(path)") }
        var seen = Set<UInt64>()
        var mine = Set<UInt64>()
        var line: UnsafeMutablePointer<CChar>? = nil
        var cap = 0
        while getline(&line, &cap, f) > 0 {
            let s = String(cString: line!).split(separator: " ")
            if s.count == 2, let v = UInt64(s[1].trimmingCharacters()) {
                if s[0] == "saw" { seen.insert(v) }
                if s[0] == "ack" { mine.insert(v); if !acked.insert(v).inserted { fail("seq \(v) acknowledged twice") } }
            }
        }
        fclose(f)
        let last = max(seen.max() ?? 0, mine.max() ?? 0)
        let known = seen.union(mine)
        if known.count != Int(last) || !seen.isDisjoint(with: mine) { fail("\(path): saw a gap or a duplicate") }
    }
    guard acked.count == total, acked.min() == 1, acked.max() == UInt64(total) else { fail("acknowledged \(acked.count) of \(total)") }
    do {
        let report = try Journal.verify(folder)
        guard report.isIntact, report.records == total else { fail("verify: \(report)") }
    } catch { fail("verify: \(error)") }
    out("ok: \(procs) processes × \(count) appends = \(total) records in \(seconds(elapsed)) s (\(perSecond(total, elapsed)) appends/s)")
}

extension Substring {
    func trimmingCharacters() -> Substring {
        var s = self
        while let l = s.last, l == "\n" || l == " " || l == "\r" { s = s.dropLast() }
        return s
    }
}

/// `nanos` as seconds with two decimals ("1.23").
func seconds(_ nanos: UInt64) -> String { hundredths(nanos / 10_000_000) }

/// `nanos` as milliseconds with two decimals ("0.45").
func millis(_ nanos: UInt64) -> String { hundredths(nanos / 10_000) }

func hundredths(_ value: UInt64) -> String {
    let cents = value % 100
    return "\(value / 100).\(cents < 10 ? "0" : "")\(cents)"
}

/// How many of `count` per second over `nanos`.
func perSecond(_ count: Int, _ nanos: UInt64) -> Int { Int(UInt64(count) * 1_000_000_000 / max(nanos, 1)) }

func hex(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
    return String(decoding: out, as: UTF8.self)
}

/// Writes a log of `records` single records directly (an independent encoder of the format).
func generate(folder: String, records: Int) {
    do { _ = try Journal.create(folder: folder, author: "bench") } catch { fail("create: \(error)") }
    let path = folder + "/" + Journal.fileName
    let fd = open(path, O_RDWR | O_APPEND)
    guard fd >= 0 else { fail("open \(path)") }
    // Chain from the header line.
    var header: [UInt8] = []
    let f = fopen(path, "r")!
    var c = fgetc(f)
    while c != -1 && c != 10 { header.append(UInt8(c)); c = fgetc(f) }
    fclose(f)
    var prev = hex(SHA256.hash(data: header).prefix(16))
    var buffer: [UInt8] = []
    buffer.reserveCapacity(8 << 20)
    let types = ["promise.recorded", "payment.allocated", "note.added", "call.logged", "dispute.opened"]
    let authors = ["alice", "bob", "chen", "dana"]
    for i in 1...records {
        var line: [UInt8] = []
        // Each record its own millisecond, as in a log of single appends (users and types alternate
        // too): a reader cannot lean on the values repeating from one line to the next.
        let millisecond = i % 1000, second = i / 1000 % 60, minute = i / 60_000 % 60, hour = i / 3_600_000 % 24
        let time = "2026-11-24T" + [hour, minute, second].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
            + "." + String(String(millisecond + 1000).dropFirst()) + "Z"
        line.append(contentsOf: "{\"seq\":\(i),\"ts\":\"\(time)\",\"by\":\"\(authors[i % 4])\",\"type\":\"\(types[i % 5])\",\"v\":1,\"data\":".utf8)
        JSONWriter.write(.object(["invoice": .string("INV-\(100000 + i % 9000)"), "amount": .int(Int64(i % 100000) * 100)]), into: &line)
        line.append(contentsOf: ",\"prev\":\"\(prev)\"".utf8)
        let crc = CRC32C.checksum(line)
        let crcHex = String(crc, radix: 16)
        line.append(contentsOf: ",\"crc\":\"\(String(repeating: "0", count: 8 - crcHex.count) + crcHex)\"}".utf8)
        prev = hex(SHA256.hash(data: line).prefix(16))
        buffer.append(contentsOf: line)
        buffer.append(10)
        if buffer.count > 4 << 20 {
            _ = buffer.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
            buffer.removeAll(keepingCapacity: true)
        }
    }
    _ = buffer.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
    fsync(fd)
    close(fd)
}

func bench(records: Int, folder: String) {
    _ = system("rm -rf '\(folder)'")
    var t = now()
    generate(folder: folder, records: records)
    let size = (try? Journal.stats(folder).fileSize) ?? 0
    out("generated \(records) records, \(size) bytes (\(size / max(records, 1)) bytes/record) in \(seconds(now() - t)) s")
    _ = system("cat '\(folder)/journal.log' > /dev/null")  // warm the page cache

    for round in 1...3 {
        t = now()
        let report: VerifyReport
        do { report = try Journal.verify(folder) } catch { fail("verify: \(error)") }
        let dt = now() - t
        guard report.isIntact, report.records == records else { fail("verify: \(report)") }
        out("verify round \(round): \(seconds(dt)) s, \(perSecond(records, dt)) records/s, \(perSecond(size, dt) / 1_000_000) MB/s")
    }
    for round in 1...2 {
        t = now()
        do {
            let j = try Journal.open(folder: folder, author: "bench", readOnly: true)
            let all = try j.readNew()
            guard all.count == records else { fail("readNew returned \(all.count)") }
        } catch { fail("open: \(error)") }
        let dt = now() - t
        out("open+readNew (records kept in memory) round \(round): \(seconds(dt)) s, \(perSecond(records, dt)) records/s")
    }
    // Single appends with fdatasync.
    do {
        let j = try Journal.open(folder: folder, author: "bench")
        _ = try j.readNew()
        var times: [UInt64] = []
        for i in 0..<500 {
            let t0 = now()
            try j.append(RecordDraft(type: "bench.appended", version: 1, payload: ["i": .int(Int64(i)), "note": .string(filler)]))
            times.append(now() - t0)
        }
        times.sort()
        out("append (write + fdatasync, one record): median \(millis(times[times.count / 2])) ms, p90 \(millis(times[times.count * 9 / 10])) ms, p99 \(millis(times[times.count * 99 / 100])) ms, max \(millis(times.last!)) ms")
        let t1 = now()
        let opened = try Journal.open(folder: folder, author: "bench", resume: j.position)
        let tail = try opened.readNew()
        out("open resuming from the head: \(millis(now() - t1)) ms, \(tail.count) records read")
    } catch { fail("append: \(error)") }
}

let args = CommandLine.arguments
guard args.count >= 2 else { fail("usage: see the comment at the top of main.swift") }
switch args[1] {
case "append":
    guard args.count >= 5, let n = Int(args[3]) else { fail("append <folder> <count> <tag> [batch]") }
    appendLoop(folder: args[2], count: n, tag: args[4], batch: args.count > 5 ? Int(args[5]) ?? 1 : 1)
case "efbig":
    guard args.count >= 4, let n = Int(args[3]) else { fail("efbig <folder> <bytes>") }
    efbig(folder: args[2], limit: n)
case "concurrent":
    guard args.count >= 5, let p = Int(args[3]), let n = Int(args[4]) else { fail("concurrent <folder> <procs> <count>") }
    concurrent(folder: args[2], procs: p, count: n)
case "verify":
    guard args.count >= 3 else { fail("verify <folder> [rounds]") }
    for _ in 0..<(args.count > 3 ? Int(args[3]) ?? 1 : 1) {
        let t = now()
        do { let r = try Journal.verify(args[2]); out("\(r) in \(seconds(now() - t)) s, \(perSecond(r.records, now() - t)) records/s") } catch { fail("\(error)") }
    }
case "bench":
    bench(records: args.count > 2 ? Int(args[2]) ?? 1_000_000 : 1_000_000, folder: args.count > 3 ? args[3] : "/tmp/ardesk-journal-bench")
default:
    fail("unknown mode \(args[1])")
}
