// TEMPORARY in-memory stand-in with the agreed API; replaced by the real journal on merge.
import FlatJSON

public struct RecordDraft: Sendable {
    public var type: String
    public var version: Int
    public var payload: JSONObject
    public init(type: String, version: Int, payload: JSONObject) { self.type = type; self.version = version; self.payload = payload }
}

public struct JournalRecord: Sendable, Equatable {
    public var sequence: UInt64
    public var timestamp: String
    public var author: String
    public var type: String
    public var version: Int
    public var payload: JSONObject
    public var line: Int
    public var offset: Int
    public var hash: String
}

public enum SystemIdentity { public static func currentUserName() -> String { "root" } }

public final class Journal {
    public static let fileName = "journal.log"
    var records: [JournalRecord] = []
    var delivered = 0
    let author: String
    init(author: String) { self.author = author }
    public static func create(folder: String, author: String) throws -> Journal { Journal(author: author) }
    public static func open(folder: String, author: String, readOnly: Bool = false) throws -> Journal { Journal(author: author) }
    public var recoveryNote: String? { nil }
    public var lastSequence: UInt64 { UInt64(records.count) }
    public var headHash: String { "" }
    public func readNew() throws -> [JournalRecord] { defer { delivered = records.count }; return Array(records[delivered...]) }
    public func append(_ prepare: ([JournalRecord]) throws -> [RecordDraft]) throws -> [JournalRecord] {
        let fresh = try readNew()
        let drafts = try prepare(fresh)
        let new = drafts.enumerated().map { i, d in
            JournalRecord(sequence: UInt64(records.count + i + 1), timestamp: "2026-01-01T00:00:00.000Z", author: author,
                          type: d.type, version: d.version, payload: d.payload, line: 0, offset: 0, hash: "")
        }
        records += new
        delivered = records.count
        return new
    }
}
