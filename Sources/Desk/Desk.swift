import Core
import FlatJSON
import Foundation
import Journal

/// The one door for every change to a book. It opens the journal, replays it into a `Book`, and
/// turns each `Command` into events that are validated against the freshest state under the
/// journal's lock, appended durably, and only then applied.
public final class Desk {
    public let folder: BookFolder
    /// The book and whether replay stopped at a record from a newer ardesk.
    var replayer: Replayer
    public var book: Book { replayer.book }
    /// policy.toml as last read: read again when it changes (see `rereadPolicy`).
    public internal(set) var policy: Policy
    var policyStamp: Roles.FileStamp?
    /// Why policy.toml, changed since it was read, does not read now (nil when it does): the
    /// last policy read stays in use, and a dunning run waits for the file to read.
    public internal(set) var policyProblem: String?
    /// The operating-system user of this process: the author of every record it writes.
    public let user: String
    /// The business day actions are dated with; views may be computed as of any other day.
    public private(set) var today: Day
    /// Why nothing can be written: a newer ardesk wrote this book, it was opened read-only, or
    /// its log cannot be written (no permission, a read-only file system): said before a form is
    /// filled in, not when it is saved.
    public var readOnlyReason: String? {
        replayer.upgradeReason ?? openedReadOnly ?? journal.readOnlyReason.map { "journal.log cannot be written: \($0)" }
    }
    let openedReadOnly: String?
    /// Customers touched by events applied since the last `takeChanges()`; `everything` when an
    /// event's reach is wider (a new customer, an import). Lets screens recompute only those.
    public struct Changes: Sendable {
        public var customers: Set<CustomerID> = []
        public var everything = false
    }
    var changes = Changes()
    /// Why the log lacks records its snapshot counted (see `Journal.missingTail`): the book is
    /// read-only, and no snapshot is written over the one that shows it.
    var missingTail: String?
    /// The last record that changed each customer, of those applied after the open (see `changed`).
    var lastChanged: [CustomerID: UInt64] = [:]
    /// `book.amountsMagnitude`, reckoned at the first action (or in the background, see
    /// `reckonAmountsInBackground`) and then kept by `noteChange`.
    var amountsMagnitude: Int64?
    var amountsJob: AmountsJob?

    /// A session left open past midnight: what it records from now on is dated `day`, and
    /// today's claims and queue are that day's. Never back.
    public func turn(to day: Day) {
        if day > today { today = day }
    }

    /// Set when the log holds an event type or version this build does not know.
    public var upgradeNeeded: Bool { replayer.upgradeReason != nil }
    /// Nil for a single-user book (no roles.toml), where the user may do everything. Read again
    /// before every action and every refresh: a role changed or removed applies at once, not at
    /// the next start of a workstation left open.
    public internal(set) var roles: Roles?
    /// The roles file as last read (see `reloadRoles`).
    var rolesStamp: Roles.FileStamp?
    /// The book has no roles.toml, its folder is shared, and this process's user does not own
    /// it (see `Roles.mayActWithoutFile`).
    var rolesFileMissing = false
    let journal: Journal
    /// A snapshot being written on another thread (see `saveSnapshotInBackground`).
    let backgroundWork = DispatchGroup()
    /// The open replayed enough of the log to be worth a fresh snapshot, not yet started.
    private var snapshotDue = false

    public var isReadOnly: Bool { readOnlyReason != nil }
    public var recoveryNote: String? { journal.recoveryNote }
    /// The last record this process appended to the book, if any.
    public var lastRecordAppended: UInt64? { journal.lastAppended }
    /// The log was read up to a record damaged since it was written (see `Journal.stoppedAtDamage`).
    public var stoppedAtDamage: Bool { journal.stoppedAtDamage }

    /// When this desk opened from a snapshot, a look for a damaged line before it: the open read
    /// only what follows the snapshot, so damage there shows only in `ardesk log verify`. The
    /// look reads the log's checksums (no hashing) and touches nothing of the desk, so a long
    /// session runs it on a background thread; nil when the open read the whole log.
    public func damageBeforeSnapshotCheck() -> (@Sendable () -> Phrase?)? {
        guard let resumed = journal.resumedFrom else { return nil }
        let folderPath = folder.path, logPath = folder.journalPath, end = resumed.offset
        return {
            Journal.firstBadLine(folderPath, before: end).map { bad in
                Phrase("line \(bad.line) of \(logPath) (byte \(bad.offset)) is damaged; the book as opened is sound, but ardesk log repair says how to mend the log",
                       zh: "\(logPath) 第 \(bad.line) 行（字节 \(bad.offset)）已损坏；当前账簿无误，请用 ardesk log repair 查看修复方法")
            }
        }
    }

    public var headHash: String { journal.headHash }

    /// What the front end found worth saying when it opened the book (see `clockNote`), shown
    /// with the recovery and integrity notes.
    public var openingNotes: [String] = []

    init(folder: BookFolder, journal: Journal, policy: Policy, roles: Roles?, user: String, today: Day,
         readOnlyReason: String?, replayer: Replayer = Replayer()) {
        self.folder = folder; self.journal = journal; self.policy = policy; self.roles = roles; self.user = user
        self.today = today; self.openedReadOnly = readOnlyReason; self.replayer = replayer
        rolesStamp = roles == nil ? nil : Roles.stamp(folder: folder)  // as just loaded: the first refresh reads nothing
        policyStamp = Roles.stamp(path: folder.policyPath)
        rolesFileMissing = roles == nil && !Roles.mayActWithoutFile(folder: folder)
    }

    /// Creates a new, empty book in `folder` (which may exist but must not hold a journal).
    public static func create(folder: BookFolder, currency: Currency, today: Day,
                              user: String = SystemIdentity.currentUserName()) throws -> Desk {
        guard !folder.exists else { throw DeskError.bookExists(folder.path) }
        if let trace = folder.journalTrace { throw DeskError.journalMissing(folder.path, trace: trace) }
        if let blocked = folder.creationBlocked { throw blocked }
        // The outermost folder this makes, to take away again if the book cannot be made in it.
        var made: String?
        var ancestor = folder.path
        while !FileManager.default.fileExists(atPath: ancestor) {
            made = ancestor
            let parent = BookFolder.parent(of: ancestor)
            if parent == ancestor { break }
            ancestor = parent
        }
        do {
            try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o750])
        } catch {
            throw DeskError.invalid("cannot create the folder \(folder.path): \(DeskError.systemReason(error))")
        }
        let journal: Journal
        do { journal = try Journal.create(folder: folder.path, author: user) } catch {
            if let made { try? FileManager.default.removeItem(atPath: made) }  // no empty folder left for a book that is not there
            throw error
        }
        let desk = Desk(folder: folder, journal: journal, policy: try PolicyFile.load(folder: folder, currency: currency),
                        roles: nil, user: user, today: today, readOnlyReason: nil)
        try desk.perform(.batch([.bookCreated(currency: currency)]))
        return desk
    }

    /// Told, on the opening thread, how far opening has read the log: the bytes read so far and
    /// the log's size when opening began. A large book without a snapshot takes seconds to open,
    /// and a front end can say so instead of looking stuck.
    public typealias OpeningProgress = (_ bytesRead: Int, _ bytesTotal: Int) -> Void

    /// Opens an existing book. With `readOnlyReason` (e.g. viewing as of a past day) nothing can be written.
    /// `progress` is told how far reading the log has come, every few thousand records.
    /// `snapshotLater`: an open that replayed much of the log leaves writing a fresh snapshot to
    /// `startDueSnapshot`, which a front end calls once its first screen is shown (writing it
    /// takes a core and 150 MiB for a large book, both wanted by that screen); otherwise it
    /// starts on another thread before the open returns.
    public static func open(folder: BookFolder, today: Day, readOnlyReason: String? = nil,
                            user: String = SystemIdentity.currentUserName(), progress: OpeningProgress? = nil,
                            snapshotLater: Bool = false) throws -> Desk {
        try open(folder: folder, today: today, readOnlyReason: readOnlyReason, user: user, replayChunk: BackgroundReplay.chunkSize,
                 progress: progress, snapshotLater: snapshotLater)
    }

    /// `replayChunk`: records folded per step of the background replay (tests make it small);
    /// `progressEvery`: records between two calls of `progress`; `snapshotAfter`: records replayed
    /// that make a fresh snapshot worth writing (tests make it small).
    static func open(folder: BookFolder, today: Day, readOnlyReason: String?, user: String, replayChunk: Int,
                     progress: OpeningProgress? = nil, progressEvery: Int = 16_384, snapshotLater: Bool = false,
                     snapshotAfter: UInt64 = Desk.snapshotAfter) throws -> Desk {
        guard folder.exists else { throw folder.missing }
        let roles = try Roles.load(folder: folder)
        if let roles, roles.role(of: user) == nil {
            throw DeskError.notAllowed(Phrase("\(user) is not listed in \(folder.rolesPath); ask a manager to add you",
                                              zh: "\(user) 不在 \(folder.rolesPath) 中；请经理把你加进去"))
        }
        let policy = try PolicyFile.load(folder: folder)
        // A snapshot (a cache of the book at some record) lets a large book open from there plus
        // the log's tail; the journal checks it still matches the log, else everything is replayed.
        var snapshot = Journal.loadSnapshot(folder: folder.path).snapshot
        // How far the log went when the snapshot was written, taken before the log is read (see
        // `missingTail`): the loaded snapshot's, else its header's alone (a damaged payload).
        let mark = snapshot.map { (bookID: $0.bookID, position: $0.position) } ?? Journal.snapshotMark(folder: folder.path)
        // Records are folded while the journal goes on verifying the rest (see BackgroundReplay).
        // The restored book is handed over without a local copy, so folding the tail into it
        // does not copy it.
        let logBytes = ((try? FileManager.default.attributesOfItem(atPath: folder.journalPath))?[.size] as? NSNumber)?.intValue ?? 0
        let replay = BackgroundReplay(resuming: snapshot.flatMap { snapshot in try? snapshot.bytes.withUnsafeBytes { try Book(snapshot: $0) } },
                                      logBytes: logBytes, chunkSize: replayChunk)
        let position = replay.resumesSnapshot ? snapshot?.position : nil
        snapshot = nil  // decoded: do not hold its bytes through the replay
        let journal: Journal
        var replayer: Replayer
        do {
            // Every payload replayed is parsed strictly by EventCodec; the journal checks the rest.
            var deliver: (consuming JournalRecord) -> Void = replay.add
            if let progress {
                var delivered = 0
                deliver = { record in
                    delivered += 1
                    if delivered % max(1, progressEvery) == 0 { progress(record.offset + record.length, logBytes) }
                    replay.add(record)
                }
            }
            journal = try Journal.open(folder: folder.path, author: user, readOnly: readOnlyReason != nil,
                                       resume: position, checksPayloads: false, deliver: deliver)
            replayer = try replay.finish()
        } catch {
            replay.abandon()
            throw error
        }
        if journal.resumedFrom == nil && replay.count == 0 { replayer = Replayer() }  // stale snapshot, empty log
        // Read first to refuse a bad file before a long replay; read again in the book's currency
        // when its amounts mean something else there (yen, dinars).
        let currency = replayer.book.currency
        let policyInCurrency = currency.minorDigits == Currency.cny.minorDigits ? policy : try PolicyFile.load(folder: folder, currency: currency)
        // Records the book once had and the log no longer holds: nothing is added after the gap.
        let missing = Journal.missingTail(mark: mark, bookID: journal.bookID, lastSequence: journal.lastSequence)
        let desk = Desk(folder: folder, journal: journal, policy: policyInCurrency, roles: roles, user: user, today: today,
                        readOnlyReason: missing ?? readOnlyReason, replayer: replayer)
        desk.missingTail = missing
        desk.changes.everything = true
        _ = try desk.refresh()
        if !desk.isReadOnly { try? desk.finishAbandonedDeliveries(Outbox(folder: folder, templates: desk.templates)) }
        if replay.count >= snapshotAfter {
            desk.snapshotDue = true
            if !snapshotLater { desk.startDueSnapshot() }
        }
        return desk
    }

    /// Replaying this many records on open writes a fresh snapshot for the next open.
    public static let snapshotAfter: UInt64 = 50_000

    /// Writes the book as of everything applied so far; returns why not, if it could not. A
    /// snapshot is only a cache, so failing to write one never fails the caller.
    @discardableResult
    public func saveSnapshot() -> String? {
        finishBackgroundWork()
        guard !upgradeNeeded else { return "this book holds events from a newer ardesk" }
        if let missingTail { return missingTail }
        do {
            try journal.writeSnapshot(payload: book.snapshotBytes())
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Writes the snapshot on another thread, so that the caller goes on meanwhile (the
    /// workstation starts it only after its first screen: `open(snapshotLater:)`). The job
    /// holds the book until it is encoded; changes wait for it (`finishBackgroundWork`), so the
    /// book is never copied for it.
    func saveSnapshotInBackground() {
        guard !upgradeNeeded, missingTail == nil else { return }
        let job = SnapshotJob(book: book, bookID: journal.bookID, folder: journal.folder, position: journal.position)
        DispatchQueue.global(qos: .utility).async(group: backgroundWork) { job.run() }
    }

    /// Starts writing the snapshot the open left for later (see `open`'s `snapshotLater`), if it did.
    public func startDueSnapshot() {
        guard snapshotDue else { return }
        snapshotDue = false
        saveSnapshotInBackground()
    }

    /// Waits for a snapshot being written in the background (before the book changes; at exit).
    public func finishBackgroundWork() {
        backgroundWork.wait()
    }

    deinit {
        startDueSnapshot()  // a front end that never showed its first screen: the next open still gains
        finishBackgroundWork()
    }

    /// Applies whatever other processes appended since we last looked. Returns true if anything changed.
    @discardableResult
    public func refresh() throws -> Bool {
        try reloadRoles()
        let records = try journal.readNew()
        try apply(records)
        rereadPolicy()  // after the records: a policy half saved must not hold back others' work
        return !records.isEmpty || changes.everything
    }

    /// Validates `command` against the freshest state, appends its events durably, applies them,
    /// and returns the records written. Throws (having written nothing) when the command is refused.
    /// `dated`: the business day the events are for, when not today (a dunning run dated back).
    /// `checking`: a refusal of the caller's own, made against the book as it stands in the log
    /// under the log's lock (two processes cannot both pass it, as they could reading it before).
    @discardableResult
    public func perform(_ command: Command, dated: Day? = nil, checking: ((Book) throws -> Void)? = nil) throws -> [JournalRecord] {
        let day = dated ?? today
        if let readOnlyReason { throw DeskError.readOnly(readOnlyReason) }
        finishBackgroundWork()
        try checkSharedFilesForChange()
        if let roles, let refusal = roles.refusal(of: command, by: user) { throw DeskError.notAllowed(refusal) }
        let command = spelledAsTheBook(command)  // pay3877 is PAY3877, as a customer id typed in lower case is found
        if case .writeStatement(let customer, let to) = command { return try writeStatement(customer, to: to) }
        if let written = try approvalWithLetter(command) { return written }
        var planned: [Event] = []
        let written: [JournalRecord]
        do {
            written = try append(command, on: day, planned: &planned, checking: checking)
        } catch JournalError.recordTooLong(_, _, _, let size, let limit) {
            // Nothing was written; say what to shorten rather than where the log would have grown.
            throw DeskError.invalid(Phrase("this action's text is too long to save (\(size) bytes, at most \(limit)); shorten the note or reason",
                                           zh: "内容过长无法保存（\(size) 字节，上限 \(limit)）；请缩短备注或原因"))
        }
        for (event, record) in zip(planned, written) {
            try replayer.book.apply(event, stamp: Replayer.stamp(record, day: day))
            noteChange(event)
        }
        return written
    }

    /// Appends the events `command` stands for, checked against the book as it stands in the log
    /// (other processes may have appended since); `planned` gets them.
    private func append(_ command: Command, on day: Day, planned: inout [Event], checking: ((Book) throws -> Void)? = nil) throws -> [JournalRecord] {
        try journal.append { fresh in
            try self.apply(fresh)
            if let reason = self.readOnlyReason { throw DeskError.readOnly(reason) }  // a newer ardesk wrote meanwhile
            try checking?(self.book)
            planned = try self.events(for: command, nextSequence: self.journal.lastSequence + 1)
            try self.checkApplies(planned, on: day)
            try self.checkAmountsFit(planned)
            return try planned.map { event in
                let encoded = EventCodec.encode(event, day: day)
                try Desk.checkReadsBack(encoded, author: self.user)
                return RecordDraft(type: encoded.type, version: encoded.version, payload: encoded.payload)
            }
        }
    }

    // MARK: - Replay

    func apply(_ records: [JournalRecord]) throws {
        guard !records.isEmpty else { return }
        finishBackgroundWork()
        var applied: [Event] = []
        defer { applied.forEach(noteChange) }  // after: noteChange reads the book being folded
        try replayer.apply(records[...], decodeOnBothCores: true) { applied.append($0) }
    }

    /// Refuses a record this build could not read back (a date computed past 9999-12-31, say):
    /// once written it would stop every later open of the book.
    static func checkReadsBack(_ encoded: EventCodec.Encoded, author: String) throws {
        do { _ = try EventCodec.decode(type: encoded.type, version: encoded.version, payload: encoded.payload, author: author) }
        catch {
            throw DeskError.invalid(Phrase("this action cannot be saved: its \(encoded.type) record would not read back (\(error)); nothing was written",
                                           zh: "此操作无法保存：其 \(encoded.type) 记录无法读回（\(error)）；未写入任何内容"))
        }
    }

    /// Dry-runs events on a copy of the book so a contradiction is refused before anything is written.
    func checkApplies(_ events: [Event], on day: Day) throws {
        var copy = book
        var sequence = journal.lastSequence
        for event in events {
            sequence += 1
            do { try copy.apply(event, stamp: Stamp(sequence: sequence, author: user, time: "", day: day)) }
            catch let error as BookError { throw DeskError.refused(Phrase(error.description, zh: error.chinese)) }
        }
    }
}

/// A book being written as a snapshot on another thread. It lets go of the book as soon as the
/// bytes are encoded, so the desk is again the book's only owner when it next changes it.
private final class SnapshotJob: @unchecked Sendable {
    private var book: Book?
    private let bookID: String, folder: String
    private let position: SnapshotPosition

    init(book: Book, bookID: String, folder: String, position: SnapshotPosition) {
        self.book = book; self.bookID = bookID; self.folder = folder; self.position = position
    }

    func run() {
        guard let bytes = book?.snapshotBytes() else { return }
        book = nil
        try? Journal.writeSnapshot(Snapshot(bookID: bookID, position: position, payload: bytes), folder: folder)
    }
}
