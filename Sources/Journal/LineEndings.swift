#if canImport(Glibc)
import Glibc
#endif

/// A log whose every line ends with CR LF: saved by an editor (or a copy through a Windows share)
/// that changed its line endings. Each record's checksum covers its line without the CR, so the
/// records are intact once the CRs are out; nothing else may differ.
enum LineEndings {
    static let problem = "its lines end with CR LF, as an editor that changes line endings saves them; "
        + "`ardesk log repair --apply` takes the CRs out (nothing else changes)"

    /// Whether `line` (without its newline) is a whole record but for a CR at its end: a line an
    /// editor saved with CR LF, not a write that never finished.
    static func endsInCRAlone(_ line: UnsafeRawBufferPointer) -> Bool {
        guard line.count > LineFormat.crcSuffixLength + 1, line[line.count - 1] == 0x0D else { return false }
        return LineFormat.frameIsValid(UnsafeRawBufferPointer(rebasing: line[0..<(line.count - 1)]))
    }

    static let byteOrderMarkProblem = "it begins with a byte-order mark, as an editor saves it; "
        + "`ardesk log repair --apply` takes the mark out (nothing else changes)"

    static let lineProblem = "the line ends with CR LF, as an editor that changes line endings saves it (the record is whole); "
        + "`ardesk log repair --apply` takes the CR out"

    /// The log without the CR before each newline, and how many lines had one; nil unless every
    /// line that ends has one (a single CR inside a record is other damage, left to the rest of
    /// the repair).
    static func stripped(_ bytes: [UInt8]) -> (bytes: [UInt8], lines: Int)? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var lines = 0
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0A {
                guard index > 0, bytes[index - 1] == 0x0D else { return nil }
                out.removeLast()
                lines += 1
            }
            out.append(byte)
        }
        return lines > 0 ? (out, lines) : nil
    }

    /// What `Journal.repair` does with a header ending in CR (`all`, the log read from `fd`): with
    /// CR LF endings throughout, says so or (with `apply`) takes the CRs out, keeping a backup;
    /// nil when some line lacks the CR (other damage).
    static func repair(folder: String, logPath: String, fd: Int32, all: [UInt8], apply: Bool) throws -> RepairReport? {
        guard let (bytes, lines) = stripped(all) else { return nil }
        let verify = VerifyReport(path: logPath, bookID: "", records: 0, lastSequence: 0, headHash: "", fileSize: all.count, goodEnd: 0,
                                  problem: .init(line: 1, offset: 0, reason: problem, isTornTail: false))
        guard apply else { return RepairReport(verify: verify, backupPath: nil, fixes: [.lineEndings(lines: lines)], written: false, rechained: 0) }
        let backup = try Journal.replaceMended(logPath, in: folder, original: all, with: bytes, fd: fd)
        return RepairReport(verify: verify, backupPath: backup, fixes: [.lineEndings(lines: lines)], written: true, rechained: 0)
    }

    /// What `Journal.repair` does with a log an editor saved with a UTF-8 byte-order mark before
    /// its header: says so or (with `apply`) takes the three bytes out, keeping a backup; nil
    /// when the log does not begin with one.
    static func repairByteOrderMark(folder: String, logPath: String, apply: Bool) throws -> RepairReport? {
        let mark: [UInt8] = [0xEF, 0xBB, 0xBF]
        let fd = FileIO.open(logPath, O_RDONLY)
        guard fd >= 0 else { return nil }  // the repair's own look says why
        var first = [UInt8](repeating: 0, count: 3)
        let read = first.withUnsafeMutableBytes { FileIO.pread(fd, $0.baseAddress!, 3, 0) }
        FileIO.close(fd)
        guard read == 3, first == mark else { return nil }
        return try Journal.withWholeLog(logPath, apply: apply) { fd, all in
            let verify = VerifyReport(path: logPath, bookID: "", records: 0, lastSequence: 0, headHash: "", fileSize: all.count, goodEnd: 0,
                                      problem: .init(line: 1, offset: 0, reason: "the log begins with a byte-order mark", isTornTail: false))
            guard apply else { return RepairReport(verify: verify, backupPath: nil, fixes: [.byteOrderMark], written: false, rechained: 0) }
            let backup = try Journal.replaceMended(logPath, in: folder, original: all, with: Array(all.dropFirst(3)), fd: fd)
            return RepairReport(verify: verify, backupPath: backup, fixes: [.byteOrderMark], written: true, rechained: 0)
        }
    }
}
