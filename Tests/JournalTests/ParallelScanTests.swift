import FlatJSON
import Foundation
import Testing
@testable import Journal

/// The two-thread reader (used for regions over 4 MiB) and the reader of a mapped log (over 8 MiB)
/// must agree with the sequential one reading into buffers on everything: records, end point, torn
/// tails and the first damage.
@Suite struct ParallelScanTests {
    struct Outcome: Equatable {
        var records: [JournalRecord]
        var point: ChainPoint
        var stop: ScanStop
        var fileEnd: Int
    }

    /// Mapped from the first byte, its pages given back 64 KiB behind the reader: the mapped
    /// reader's every path on a log of a few megabytes.
    static let mapAlways = LineReader.Mapping(threshold: 0, lag: 64 << 10)

    static func scan(_ folder: String, parallel: Bool, mapping: LineReader.Mapping? = nil) throws -> Outcome {
        let path = folder + "/journal.log"
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        let (_, headerHash, headerEnd) = try Journal.readHeader(fd: fd, path: path)
        var records: [JournalRecord] = []
        let result = scanRecords(
            fd: fd, path: path, from: ChainPoint(sequence: 0, hash: headerHash, end: headerEnd),
            limit: Journal.maxRecordBytes, parallel: parallel, mapping: mapping
        ) { records.append($0) }
        return Outcome(records: records, point: result.point, stop: result.stop, fileEnd: result.fileEnd)
    }

    @Test func parallelAgreesWithSequential() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let source = dir.sub("source")
        let j = try Journal.create(folder: source, author: "alice", clock: fixedClock)
        let text = String(repeating: "Customer promised payment; ", count: 15)
        var n = 0
        for k in 0..<24 {
            let count = k % 3 == 2 ? 1 : 613
            try j.append { _ in (0..<count).map { _ in n += 1; return draft(n, text) } }
        }
        let full = readBytes(source + "/journal.log")
        #expect(full.count > parallelThreshold + (1 << 20))

        let windowsBefore = parallelWindowsScanned
        let intact = try Self.scan(source, parallel: true)
        #expect(parallelWindowsScanned > windowsBefore)
        #expect(intact.stop == .clean && intact.records.count == n)
        let sequential = try Self.scan(source, parallel: false)
        let mapped = try Self.scan(source, parallel: false, mapping: Self.mapAlways)
        #expect(intact == sequential && mapped == sequential)
        // Records point into the buffers they were read into (`ReadBuffer`): after the readers
        // moved on through several buffers, or gave back the pages of the mapping behind them,
        // each record's data is still the payload of its own line.
        for record in intact.records + sequential.records + mapped.records {
            let line = Array(full[record.offset..<(record.offset + record.length)])
            #expect(record.data.count > 2 && line.firstRange(of: record.data) != nil, "line \(record.line)")
        }

        let ls = lines(full)
        var offsets: [Int] = [0]
        for l in ls { offsets.append(offsets.last! + l.count) }
        func check(_ name: String, _ bytes: [UInt8]) throws {
            let folder = dir.sub(name)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
            writeBytes(folder + "/journal.log", bytes)
            let p = try Self.scan(folder, parallel: true)
            let s = try Self.scan(folder, parallel: false)
            let m = try Self.scan(folder, parallel: false, mapping: Self.mapAlways)
            #expect(p == s, "\(name): parallel \(p.stop) / sequential \(s.stop), \(p.records.count) / \(s.records.count) records")
            #expect(m == s, "\(name): mapped \(m.stop) / read \(s.stop), \(m.records.count) / \(s.records.count) records")
            #expect(p.stop != .clean, "\(name)")
            try FileManager.default.removeItem(atPath: folder)
        }
        // Bit flips around the window size, the middle of a window, and late in the file.
        for target in [2 << 20, (2 << 20) + 7, 3 << 20, full.count / 2, full.count - 300_000] {
            let line = offsets.lastIndex { $0 <= target }!
            var flipped = full
            flipped[offsets[line] + 5] ^= 1
            try check("flip\(target)", flipped)
            // A forged line (CRC recomputed) breaks the chain instead.
            var forged = ls
            forged[line] = reseal(Array(String(decoding: ls[line], as: UTF8.self).replacingOccurrences(of: "promised", with: "PROMISED").utf8))
            if forged[line] != ls[line] { try check("forge\(target)", forged.flatMap { $0 }) }
        }
        // Torn tails: in the last group, and a lone partial line.
        try check("torn1", Array(full[0..<(full.count - 1000)]))
        try check("torn2", Array(full[0..<(offsets[ls.count - 2] + 10)]))
    }
}
