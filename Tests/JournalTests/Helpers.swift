import FlatJSON
import Foundation
@testable import Journal

/// A fresh folder under /tmp, removed by `cleanup()`.
struct TempDir {
    let path: String
    init(_ label: String = "jt") {
        var template = Array("/tmp/ardesk-\(label)-XXXXXX".utf8CString)
        let p = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        path = String(cString: p!)
    }
    func sub(_ name: String) -> String { path + "/" + name }
    /// A new book folder `name` whose log is `bytes`; its path.
    func book(_ name: String, log bytes: [UInt8]) throws -> String {
        let folder = sub(name)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        writeBytes(folder + "/journal.log", bytes)
        return folder
    }
    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

func readBytes(_ path: String) -> [UInt8] {
    (FileManager.default.contents(atPath: path)).map { [UInt8]($0) } ?? []
}

func writeBytes(_ path: String, _ bytes: [UInt8]) {
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o640])
}

func fileSize(_ path: String) -> Int {
    var st = stat()
    return stat(path, &st) == 0 ? Int(st.st_size) : -1
}

/// Splits a log into lines, each with its newline (the last may lack one).
func lines(_ bytes: [UInt8]) -> [[UInt8]] {
    var out: [[UInt8]] = []
    var current: [UInt8] = []
    for b in bytes {
        current.append(b)
        if b == 0x0A { out.append(current); current = [] }
    }
    if !current.isEmpty { out.append(current) }
    return out
}

/// Recomputes the `crc` of a line (with or without its newline), as a forger would.
func reseal(_ line: [UInt8]) -> [UInt8] {
    var body = line
    let hadNewline = body.last == 0x0A
    if hadNewline { body.removeLast() }
    body.removeLast(LineFormat.crcSuffixLength)
    LineFormat.seal(&body, lineStart: 0)
    if hadNewline { body.append(0x0A) }
    return body
}

/// Changes line `index` of the log at `log` (0 is the header) and recomputes its checksum, as a
/// forger would; returns the log's lines as written back.
@discardableResult
func forgeLine(_ log: String, _ index: Int, _ change: (inout [UInt8]) throws -> Void) rethrows -> [[UInt8]] {
    var ls = lines(readBytes(log))
    try change(&ls[index])
    ls[index] = reseal(ls[index])
    writeBytes(log, ls.flatMap { $0 })
    return ls
}

func draft(_ i: Int, _ text: String = "called the customer") -> RecordDraft {
    RecordDraft(type: "note.added", version: 1, payload: ["i": .int(Int64(i)), "text": .string(text)])
}

func draft(_ type: String, _ i: Int) -> RecordDraft {
    RecordDraft(type: type, version: 1, payload: ["i": .int(Int64(i)), "text": .string("called the customer")])
}

/// A fixed clock so lines are reproducible.
func fixedClock() -> String { "2026-11-24T03:40:00.123Z" }

/// Creates a book with `count` single records in `folder`.
@discardableResult
func makeBook(_ folder: String, records count: Int) throws -> Journal {
    let journal = try Journal.create(folder: folder, author: "alice", clock: fixedClock)
    for i in 0..<count { try journal.append(draft(i)) }
    return journal
}

/// `makeBook`, then one group of three records (numbered on from `count + 1`).
@discardableResult
func makeBookEndingInAGroup(_ folder: String, records count: Int) throws -> Journal {
    let journal = try makeBook(folder, records: count)
    try journal.append { _ in (count + 1...count + 3).map { draft("promise.recorded", $0) } }
    return journal
}

/// The ardesk-journal-stress executable built beside the test bundle.
func stressBinary() -> String? {
    var candidates: [String] = []
    if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
        candidates.append((exe as NSString).deletingLastPathComponent)
    }
    candidates.append(FileManager.default.currentDirectoryPath + "/.build/debug")
    for dir in candidates {
        let p = dir + "/ardesk-journal-stress"
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return nil
}

/// Runs the stress binary to completion; returns (status, stdout).
func runStress(_ args: [String]) throws -> (Int32, String) {
    guard let exe = stressBinary() else { throw TestSetupError("ardesk-journal-stress not built (run swift build first)") }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = args
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

extension JournalError {
    var line: Int? {
        switch self {
        case .damaged(_, let line, _, _), .invalidUTF8(_, let line, _), .recordTooLong(_, let line, _, _, _): return line
        default: return nil
        }
    }
    var offset: Int? {
        switch self {
        case .damaged(_, _, let offset, _), .invalidUTF8(_, _, let offset), .recordTooLong(_, _, let offset, _, _): return offset
        default: return nil
        }
    }
}

/// Opens and returns the thrown JournalError (nil when it opened).
func openError(_ folder: String, readOnly: Bool = true) -> JournalError? {
    do {
        let j = try Journal.open(folder: folder, author: "alice", readOnly: readOnly)
        _ = try j.readNew()
        return nil
    } catch let e as JournalError {
        return e
    } catch {
        return .io(path: folder, operation: "unexpected", detail: "\(error)")
    }
}
