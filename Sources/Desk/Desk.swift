import Core
import FlatJSON
import Foundation
import Journal

/// The one door for every change to a book. It opens the journal, replays it into a `Book`, and
/// turns each `Command` into events that are validated against the freshest state under the
/// journal's lock, appended durably, and only then applied.
public final class Desk {
    public let folder: BookFolder
    public private(set) var book = Book()
    public let policy: Policy
    /// The operating-system user of this process: the author of every record it writes.
    public let user: String
    /// The business day actions are dated with; views may be computed as of any other day.
    public let today: Day
    public private(set) var readOnlyReason: String?
    /// Customers touched by events applied since the last `takeChanges()`; `everything` when an
    /// event's reach is wider (a new customer, an import). Lets screens recompute only those.
    public struct Changes: Sendable {
        public var customers: Set<CustomerID> = []
        public var everything = false
    }
    var changes = Changes()

    public func takeChanges() -> Changes {
        defer { changes = Changes() }
        return changes
    }

    func noteChange(_ event: Event) {
        switch event {
        case .customerAdded, .invoiceIssued, .bookCreated: changes.everything = true  // lists, ABC classes
        case .undone(let sequence):
            if let customer = book.activity(sequence: sequence)?.customer { changes.customers.insert(customer) } else { changes.everything = true }
        case .disputeResolved(let id, _, _):
            if let customer = book.disputes[id]?.customer { changes.customers.insert(customer) } else { changes.everything = true }
        case .requestDecided(let id, _, _):
            if let customer = book.requests[id]?.customer { changes.customers.insert(customer) } else { changes.everything = true }
        case .dunningRun: break
        default:
            if let customer = event.customer { changes.customers.insert(customer) } else { changes.everything = true }
        }
    }

    /// Set when the log holds an event type or version this build does not know.
    public private(set) var upgradeNeeded = false
    /// Nil for a single-user book (no roles.toml), where the user may do everything.
    public let roles: Roles?
    let journal: Journal

    public var isReadOnly: Bool { readOnlyReason != nil }
    public var recoveryNote: String? { journal.recoveryNote }
    public var headHash: String { journal.headHash }

    init(folder: BookFolder, journal: Journal, policy: Policy, roles: Roles?, user: String, today: Day, readOnlyReason: String?) {
        self.folder = folder; self.journal = journal; self.policy = policy; self.roles = roles; self.user = user
        self.today = today; self.readOnlyReason = readOnlyReason
    }

    /// The user's role; a book without roles treats its user as an admin.
    public var role: Roles.Role { roles?.role(of: user) ?? .admin }

    /// Creates a new, empty book in `folder` (which may exist but must not hold a journal).
    public static func create(folder: BookFolder, currency: Currency, today: Day,
                              user: String = SystemIdentity.currentUserName()) throws -> Desk {
        guard !folder.exists else { throw DeskError.bookExists(folder.path) }
        try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o750])
        let journal = try Journal.create(folder: folder.path, author: user)
        let desk = Desk(folder: folder, journal: journal, policy: try PolicyFile.load(folder: folder),
                        roles: nil, user: user, today: today, readOnlyReason: nil)
        try desk.perform(.batch([.bookCreated(currency: currency)]))
        return desk
    }

    /// Opens an existing book. With `readOnlyReason` (e.g. viewing as of a past day) nothing can be written.
    public static func open(folder: BookFolder, today: Day, readOnlyReason: String? = nil,
                            user: String = SystemIdentity.currentUserName()) throws -> Desk {
        guard folder.exists else { throw DeskError.noBook(folder.path) }
        let roles = try Roles.load(folder: folder)
        if let roles, roles.role(of: user) == nil {
            throw DeskError.notAllowed("\(user) is not listed in \(folder.rolesPath); ask a manager to add you")
        }
        // A snapshot (a cache of the book at some record) lets a large book open from there plus
        // the log's tail; the journal checks it still matches the log, else everything is replayed.
        let (snapshot, _) = Journal.loadSnapshot(folder: folder.path)
        let restored = snapshot.flatMap { try? Book(snapshotBytes: $0.payload) }
        let journal = try Journal.open(folder: folder.path, author: user, readOnly: readOnlyReason != nil,
                                       resume: restored == nil ? nil : snapshot?.position)
        let desk = Desk(folder: folder, journal: journal, policy: try PolicyFile.load(folder: folder),
                        roles: roles, user: user, today: today, readOnlyReason: readOnlyReason)
        if let restored, journal.resumedFrom != nil {
            desk.book = restored
            desk.changes.everything = true
        }
        let replayed = desk.book.lastSequence
        _ = try desk.refresh()
        if desk.book.lastSequence - replayed >= Desk.snapshotAfter { desk.saveSnapshot() }
        return desk
    }

    /// Replaying this many records on open writes a fresh snapshot for the next open.
    public static let snapshotAfter: UInt64 = 50_000

    /// Writes the book as of everything applied so far; returns why not, if it could not. A
    /// snapshot is only a cache, so failing to write one never fails the caller.
    @discardableResult
    public func saveSnapshot() -> String? {
        guard !upgradeNeeded else { return "this book holds events from a newer ardesk" }
        do {
            try journal.writeSnapshot(payload: book.snapshotBytes())
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Applies whatever other processes appended since we last looked. Returns true if anything changed.
    @discardableResult
    public func refresh() throws -> Bool {
        let records = try journal.readNew()
        try apply(records)
        return !records.isEmpty
    }

    /// Validates `command` against the freshest state, appends its events durably, applies them,
    /// and returns the records written. Throws (having written nothing) when the command is refused.
    @discardableResult
    public func perform(_ command: Command) throws -> [JournalRecord] {
        if let readOnlyReason { throw DeskError.readOnly(readOnlyReason) }
        if let roles, let refusal = roles.refusal(of: command, by: user) { throw DeskError.notAllowed(refusal) }
        var planned: [Event] = []
        let written = try journal.append { fresh in
            try self.apply(fresh)
            if let reason = self.readOnlyReason { throw DeskError.readOnly(reason) }  // a newer ardesk wrote meanwhile
            planned = try self.events(for: command, nextSequence: self.journal.lastSequence + 1)
            try self.checkApplies(planned)
            return planned.map { event in
                let encoded = EventCodec.encode(event, day: self.today)
                return RecordDraft(type: encoded.type, version: encoded.version, payload: encoded.payload)
            }
        }
        for (event, record) in zip(planned, written) {
            try book.apply(event, stamp: stamp(record, day: today))
            noteChange(event)
        }
        return written
    }

    // MARK: - Replay

    func apply(_ records: [JournalRecord]) throws {
        // Decoding is independent per record, so large replays decode a chunk on both cores and
        // then fold it in order; small tails (the usual case) stay on one thread.
        let chunkSize = 32_768
        var start = 0
        while start < records.count {
            let chunk = records[start..<min(records.count, start + chunkSize)]
            let decoded = chunk.count < 1_024 ? chunk.map(Desk.decode) : Desk.decodeInParallel(chunk)
            for (record, result) in zip(chunk, decoded) {
                // After an event this build cannot read, nothing later is applied: a skipped payment
                // would mean wrong balances. The book stays readable as it stood, and read-only.
                if upgradeNeeded { return }
                do {
                    let (event, day) = try result.get()
                    try book.apply(event, stamp: stamp(record, day: day))
                    noteChange(event)
                } catch let error as PayloadError where error.needsUpgrade {
                    upgradeNeeded = true
                    readOnlyReason = "record \(record.sequence) (line \(record.line)) was written by a newer ardesk: \(error); upgrade ardesk to change this book"
                    return
                } catch {
                    throw DeskError.replay(sequence: record.sequence, line: record.line, reason: "\(error)")
                }
            }
            start += chunkSize
        }
    }

    static func decode(_ record: JournalRecord) -> Result<(Event, Day), Error> {
        Result { try EventCodec.decode(type: record.type, version: record.version, payload: record.payload, author: record.author) }
    }

    static func decodeInParallel(_ chunk: ArraySlice<JournalRecord>) -> [Result<(Event, Day), Error>] {
        let records = Array(chunk)
        let parts = 2
        let size = (records.count + parts - 1) / parts
        let box = ResultsBox(count: records.count)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let range = (part * size)..<min(records.count, (part + 1) * size)
            for index in range { box.set(index, decode(records[index])) }
        }
        return box.results
    }

    func stamp(_ record: JournalRecord, day: Day) -> Stamp {
        Stamp(sequence: record.sequence, author: record.author, time: record.timestamp, day: day)
    }

    /// Dry-runs events on a copy of the book so a contradiction is refused before anything is written.
    func checkApplies(_ events: [Event]) throws {
        var copy = book
        var sequence = journal.lastSequence
        for event in events {
            sequence += 1
            do { try copy.apply(event, stamp: Stamp(sequence: sequence, author: user, time: "", day: today)) }
            catch let error as BookError { throw DeskError.refused(error.description) }
        }
    }
}

extension Desk {
    /// Appends trusted, already-dated events (a generated demo history) in one all-or-nothing batch.
    /// Each event is applied as it is planned, so a contradiction aborts before anything is written.
    public func appendHistory(_ events: [(event: Event, day: Day)]) throws {
        if let readOnlyReason { throw DeskError.readOnly(readOnlyReason) }
        var working = Book()
        swap(&working, &book)  // sole owner: applying does not copy the whole book
        defer { swap(&working, &book) }
        _ = try journal.append { fresh in
            for record in fresh {
                let (event, day) = try EventCodec.decode(type: record.type, version: record.version,
                                                         payload: record.payload, author: record.author)
                try working.apply(event, stamp: self.stamp(record, day: day))
            }
            var sequence = self.journal.lastSequence
            return try events.map { item in
                sequence += 1
                try working.apply(item.event, stamp: Stamp(sequence: sequence, author: self.user, time: "", day: item.day))
                let encoded = EventCodec.encode(item.event, day: item.day)
                return RecordDraft(type: encoded.type, version: encoded.version, payload: encoded.payload)
            }
        }
    }
}

/// Results written by several threads at distinct indices of one buffer allocated up front; each
/// slot is written once, and read only after the threads have joined.
private final class ResultsBox: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<Result<(Event, Day), Error>?>
    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }
    deinit { buffer.deinitialize().deallocate() }
    func set(_ index: Int, _ value: Result<(Event, Day), Error>) { buffer[index] = value }
    var results: [Result<(Event, Day), Error>] { buffer.map { $0! } }
}
