// libFuzzer target for the journal reader. Built by fuzz/run.sh together with the Journal and
// FlatJSON sources (one module, so internal functions are reachable).
//
// Input: first byte picks a mode, the rest is the content of journal.log.
//   mode 0: the bytes as they are (exercises framing and CRC rejection)
//   mode 1: every line that ends like a record gets a correct CRC (exercises the JSON and record
//           decoding behind the CRC gate)
//   mode 2: also the "prev" of every record is set to the hash of the line before (exercises
//           sequence, group and chain logic)
// Invariants: nothing crashes; only JournalError is thrown; delivered records are numbered
// 1...n on lines 2...n+1; verify agrees with open+readNew.
#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) let fuzzFolder: String = {
    if let v = getenv("ARDESK_FUZZ_DIR") { return String(cString: v) }
    let d = "/tmp/ardesk-fuzz-\(getpid())"
    mkdir(d, 0o700)
    return d
}()

func fixLines(_ bytes: [UInt8], fixChain: Bool) -> [UInt8] {
    var out: [UInt8] = []
    var prev: String? = nil
    var start = 0
    let crcHead = Array(",\"crc\":\"".utf8)
    let prevHead = Array(",\"prev\":\"".utf8)
    while start < bytes.count {
        var end = start
        while end < bytes.count && bytes[end] != 0x0A { end += 1 }
        var line = Array(bytes[start..<end])
        let n = line.count
        if n > 18, Array(line[(n - 18)..<(n - 10)]) == crcHead {
            if fixChain, let prev, n >= 18 + 42, Array(line[(n - 60)..<(n - 51)]) == prevHead, line[n - 19] == 0x22 {
                line.replaceSubrange((n - 51)..<(n - 19), with: Array(prev.utf8))
            }
            line.removeLast(18)
            LineFormat.seal(&line, lineStart: 0)
        }
        prev = LineFormat.chainHash(line)
        out.append(contentsOf: line)
        if end < bytes.count { out.append(0x0A) }
        start = end + 1
    }
    return out
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let mode = data[0] % 3
    var bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    if mode >= 1 { bytes = fixLines(bytes, fixChain: mode == 2) }
    _ = try? JSONReader.parse(bytes)

    let path = fuzzFolder + "/journal.log"
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o640)
    precondition(fd >= 0)
    bytes.withUnsafeBytes { _ = write(fd, $0.baseAddress, $0.count) }
    close(fd)

    var delivered: Int? = nil
    do {
        let journal = try Journal.open(folder: fuzzFolder, author: "fuzz", readOnly: true)
        let records = try journal.readNew()
        for (i, r) in records.enumerated() {
            precondition(r.sequence == UInt64(i + 1) && r.line == i + 2, "numbering")
            precondition(r.offset + r.length <= bytes.count, "bounds")
        }
        precondition(journal.lastSequence == UInt64(records.count))
        delivered = records.count
    } catch is JournalError {
    } catch {
        fatalError("unexpected error type: \(error)")
    }
    do {
        let report = try Journal.verify(fuzzFolder)
        if let delivered {
            precondition(report.records == delivered, "verify and readNew disagree")
            precondition(report.problem == nil || report.problem!.isTornTail, "verify found damage that open accepted")
        } else {
            precondition(report.problem != nil && !report.problem!.isTornTail || report.records >= 0)
        }
    } catch is JournalError {
    } catch {
        fatalError("unexpected error type: \(error)")
    }
    return 0
}
