/// The state of a book: a fold of its events. Everything here is what happened; what it means as of
/// a given day (aging, queue, KPIs) is computed by the rules from this state.
public struct Book: Sendable {
    public internal(set) var currency: Currency = .cny
    /// Each customer with its documents (see `CustomerLedger`), in the order the customers were
    /// added, and where each one is (its place). Whole-book rules walk this array in order
    /// instead of looking each customer up in several tables.
    var ledgers: [CustomerLedger] = []
    /// Each customer's place in `ledgers` by id, and the ids in order.
    public internal(set) var customerPlaces = CustomerPlaces()
    /// Each customer's timeline (calls, notes, promises, ...) in the order recorded, and the ids
    /// of its promises, at the customer's place in `ledgers`. Kept apart from the documents: a
    /// call or a promise, what collectors record all day, then changes a table of 50,000 list
    /// references rather than every customer's documents (a dry run copies what it changes).
    var timelineByPlace: [[Activity]] = []
    /// Each customer's promises in the order taken, with the record each came in (a payment
    /// recorded before it, the same day, does not keep it); kept here, not in a table by id, so
    /// judging a customer's promises hashes nothing extra.
    var promiseIDsByPlace: [[(id: String, record: UInt64)]] = []
    public var customers: CustomerLookup { CustomerLookup(ledgers: ledgers, places: customerPlaces) }
    /// Customers in the order they were added (a stable order for lists and reports); a
    /// customer's place is its index here.
    public var customerOrder: [CustomerID] { customerPlaces.ids }
    /// Invoices in the order they were issued; looked up by number through `invoices`.
    public internal(set) var invoiceList: [Invoice] = []
    var invoiceIndex = DocumentIndex()
    public internal(set) var creditNotes: [String: CreditNote] = [:]
    /// Payments in the order received; looked up by reference through `payments`.
    var paymentList: [Payment] = []
    var paymentIndex = DocumentIndex()
    /// Payments reversed, by reference (see `PaymentReversal`).
    public internal(set) var reversals: [String: PaymentReversal] = [:]
    public internal(set) var writeOffs: [String: WriteOff] = [:]
    public internal(set) var creditApplications: [String: CreditApplication] = [:]
    /// The ids of the applications of each credit (see `applications(of:)`).
    var applicationsBySource: [CreditApplication.Source: [String]] = [:]
    public internal(set) var disputes: [String: Dispute] = [:]
    public internal(set) var disputesByInvoice: [String: [String]] = [:]
    public internal(set) var promises: [String: Promise] = [:]
    public internal(set) var requests: [String: Request] = [:]
    public internal(set) var requestOrder: [String] = []
    /// Records a log repair set aside (see `Event.recordLost`), and later records that could
    /// not be applied without them (a payment for an invoice that was lost): what a manager must
    /// look at and enter again. Empty in a sound book.
    public internal(set) var lostRecords: [LostRecord] = []
    public internal(set) var skippedRecords: [LostRecord] = []
    /// Lost and skipped records up to this sequence were dealt with (`Event.lostRecordsReviewed`).
    public internal(set) var lostReviewedThrough: UInt64 = 0
    /// Each author's last record that put nothing on a timeline (few authors: a list).
    public internal(set) var lastPostings: [(author: String, sequence: UInt64, actionStart: UInt64)] = []
    /// Each customer's latest request a dunning level files (a credit hold, a hand-off), by id: a
    /// run does not pass a level whose approval is asked for or was refused.
    var dunningRequests: [CustomerID: String] = [:]
    /// Who holds a claim on a customer (hidden from other collectors' queues).
    public internal(set) var claims: [CustomerID: String] = [:]
    public internal(set) var dunningLevels: [CustomerID: (level: Int, day: Day)] = [:]
    /// Each run with the record it began with (its action's first: what undo knows it by).
    public internal(set) var dunningRuns: [(id: String, day: Day, record: UInt64)] = []
    /// Fees and interest billed, in the order billed (see Book+Charges.swift).
    public internal(set) var charges: [Charge] = []
    /// Each charge's position in `charges` by id, and each customer's charges' positions.
    var chargeIndex: [String: Int] = [:]
    var chargesByCustomer: [CustomerID: [Int]] = [:]
    public internal(set) var lastSequence: UInt64 = 0
    /// The latest day a customer was added (views of earlier days leave later customers out).
    var lastCustomerAdded: Day?
    /// The latest day an activity was stamped on: a claim of that day or later is among `claims`.
    var lastActivityDay = Day(ordinal: Int32.min)
    /// Every event applied, by sequence, for undo and for the audit timeline.
    var activityIndex: [UInt64: (customer: CustomerID, position: Int)] = [:]
    var undoEffects: [UInt64: UndoEffect] = [:]

    public init() {}

    public var customerCount: Int { customerOrder.count }

    /// Room for about `count` more invoices and as many more payments, asked for before a long
    /// replay: each time a list of a million documents grows it is copied whole, both copies held
    /// at once. Only the part used is ever touched, so a generous guess costs address space, not
    /// memory.
    public mutating func reserveDocuments(_ count: Int) {
        invoiceList.reserveCapacity(invoiceList.count + count)
        paymentList.reserveCapacity(paymentList.count + count)
    }

    var undonePromises: Set<String> = []
    func isUndone(promise id: String) -> Bool { undonePromises.contains(id) }

    /// Folds one event into the book. Throws when the event contradicts the book (see BookError).
    public mutating func apply(_ event: Event, stamp: Stamp) throws {
        let activitiesBefore = activityIndex.count
        defer {
            // A record that put nothing on a timeline (a payment, an import, a run) is what undo
            // must not reach past; an undo itself is not one.
            if activityIndex.count == activitiesBefore, lastSequence == stamp.sequence, !event.isUndo {
                notePosting(by: stamp.author, sequence: stamp.sequence, actionStart: stamp.actionStart)
            }
        }
        switch event {
        case .bookCreated(let currency):
            self.currency = currency

        case .customerAdded(let customer):
            guard customerPlaces.append(customer.id) else { throw BookError.duplicateCustomer(customer.id) }
            ledgers.append(CustomerLedger(customer: customer, added: stamp.day))
            lastCustomerAdded = max(lastCustomerAdded ?? stamp.day, stamp.day)
            timelineByPlace.append([])
            promiseIDsByPlace.append([])

        case .profileChanged(let id, let change, let reason):
            let ledger = try ledgerIndex(id)
            var customer = ledgers[ledger].customer
            ledgers[ledger].history.append((stamp.day, customer))
            switch change {
            case .creditLimit(let limit): customer.creditLimit = limit
            case .hold: customer.status = .onHold; customer.holdReason = reason
            case .release: customer.status = .active; customer.holdReason = nil
            case .grade(let grade): customer.grade = grade
            case .terms(let days): customer.termsDays = days
            case .collector(let collector): customer.collector = collector
            case .status(let status): customer.status = status
            case .nextReview(let day): customer.nextReview = day
            case .contacts(let contacts): customer.contacts = contacts
            case .name(let name): customer.name = name
            }
            ledgers[ledger].customer = customer
            record(.profile(change, reason: reason), for: id, stamp: stamp)

        case .invoiceIssued(let invoice):
            let ledger = try ledgerIndex(invoice.customer)
            guard invoiceIndex.insertNext(invoice.number, in: invoiceList) else { throw BookError.duplicateDocument(invoice.number) }
            ledgers[ledger].add(invoiceAt: invoiceList.count, settledThrough: invoice.settledOn)
            invoiceList.append(invoice)

        case .creditNoteIssued(let note):
            let ledger = try ledgerIndex(note.customer)
            guard creditNotes[note.number] == nil else { throw BookError.duplicateDocument(note.number) }
            if let number = note.invoice {
                try settle(number, customer: note.customer, ledger: ledger, amount: note.amount, day: note.day, source: .creditNote(note.number))
            }
            creditNotes[note.number] = note
            if note.invoice == nil { ledgers[ledger].credits.append((note.day, note.amount)) }

        case .paymentReceived(let payment):
            let ledger = try ledgerIndex(payment.customer)
            guard let vacancy = paymentIndex.vacancy(for: payment.reference, in: paymentList) else {
                throw BookError.duplicateDocument(payment.reference)
            }
            guard !payment.unapplied.isNegative else {
                throw BookError.invalid("payment \"\(payment.reference)\" allocates more than its amount")
            }
            try checkAllocations(payment.allocations, customer: payment.customer, on: payment.day)
            try checkChargePayments(payment)
            for allocation in payment.allocations {
                try settle(allocation.invoice, customer: payment.customer, ledger: ledger, amount: allocation.amount, day: payment.day,
                           source: .payment(payment.reference))
            }
            settleCharges(of: payment)
            paymentIndex.fill(vacancy, with: paymentList.count)
            ledgers[ledger].add(paymentAt: paymentList.count, day: payment.day, amount: payment.amount, unapplied: payment.unapplied,
                                sequence: stamp.sequence)
            paymentList.append(payment)

        case .paymentReversed(let reversal):
            try reverse(reversal, stamp: stamp)

        case .paymentsReallocated(let customer, let payments):
            try reallocate(payments, of: customer)

        case .writtenOff(let writeOff):
            let ledger = try ledgerIndex(writeOff.customer)
            guard writeOffs[writeOff.id] == nil else { throw BookError.duplicateDocument(writeOff.id) }
            try checkAllocations(writeOff.allocations, customer: writeOff.customer, on: writeOff.day)
            for allocation in writeOff.allocations {
                try settle(allocation.invoice, customer: writeOff.customer, ledger: ledger, amount: allocation.amount, day: writeOff.day,
                           source: .writeOff(writeOff.id))
            }
            writeOffs[writeOff.id] = writeOff

        case .writeOffReinstated(let id, let customer, let day, let reason):
            try reinstateWriteOff(id, of: customer, on: day, reason: reason, stamp: stamp)

        case .creditApplied(let application):
            try applyCredit(application, stamp: stamp)

        case .creditWithdrawn(let id, let customer, let day, let reason):
            try withdrawCredit(id, of: customer, on: day, reason: reason)

        case .disputeOpened(let dispute):
            let ledger = try ledgerIndex(dispute.customer)
            guard let position = invoicePosition(dispute.invoice) else { throw BookError.unknownInvoice(dispute.invoice) }
            guard invoiceList[position].customer == dispute.customer else {
                throw BookError.wrongCustomer(document: dispute.invoice, customer: dispute.customer)
            }
            guard disputes[dispute.id] == nil else { throw BookError.duplicateDocument(dispute.id) }
            disputes[dispute.id] = dispute
            disputesByInvoice[dispute.invoice, default: []].append(dispute.id)
            ledgers[ledger].hasDisputes = true
            record(.dispute(id: dispute.id), for: dispute.customer, stamp: stamp, undo: .dispute(dispute.id))

        case .disputeResolved(let id, let day, let note):
            guard var dispute = disputes[id] else { throw BookError.unknownDispute(id) }
            dispute.status = .resolved
            dispute.resolved = day
            disputes[id] = dispute
            record(.disputeResolved(id: id, note: note), for: dispute.customer, stamp: stamp, undo: .resolution(id))

        case .promiseTaken(let promise):
            try requireCustomer(promise.customer)
            try addPromise(promise, sequence: stamp.sequence)
            record(.promise(id: promise.id), for: promise.customer, stamp: stamp, undo: .promises([promise.id]))

        case .planAgreed(let id, let customer, let instalments):
            try requireCustomer(customer)
            // Every id is checked first, so that a plan refused part-way adds none of its instalments.
            var ids: Set<String> = []
            for promise in instalments where promises[promise.id] != nil || !ids.insert(promise.id).inserted {
                throw BookError.duplicateDocument(promise.id)
            }
            for promise in instalments { try requireCustomer(promise.customer) }
            for promise in instalments { try addPromise(promise, sequence: stamp.sequence) }
            record(.plan(id: id), for: customer, stamp: stamp, undo: .promises(instalments.map(\.id)))

        case .callLogged(let id, let outcome, let note, let callback):
            try requireCustomer(id)
            record(.call(outcome, note: note, callback: callback), for: id, stamp: stamp)

        case .noteAdded(let id, let text):
            try requireCustomer(id)
            record(.note(text), for: id, stamp: stamp)

        case .callbackScheduled(let id, let day, let note):
            try requireCustomer(id)
            record(.callback(day, note: note), for: id, stamp: stamp)

        case .documentSent(let id, let kind, let file):
            try requireCustomer(id)
            record(.documentSent(kind, file: file), for: id, stamp: stamp)

        case .claimed(let id):
            try requireCustomer(id)
            let previous = claims[id]
            claims[id] = stamp.author
            record(.claimed, for: id, stamp: stamp, undo: .claim(id, previous: previous))

        case .released(let id):
            try requireCustomer(id)
            let previous = claims[id]
            claims[id] = nil
            record(.released, for: id, stamp: stamp, undo: .claim(id, previous: previous))

        case .markedWorked(let id):
            try requireCustomer(id)
            record(.worked, for: id, stamp: stamp)

        case .undone(let sequence):
            guard let at = activityIndex[sequence], let ledger = customerPlaces[at.customer],
                  timelineByPlace[ledger][at.position].undoneBy == nil else { throw BookError.nothingToUndo(sequence) }
            timelineByPlace[ledger][at.position].undoneBy = stamp.sequence
            switch undoEffects[sequence] {
            case .promises(let ids): undonePromises.formUnion(ids)
            case .dispute(let id):
                if var dispute = disputes[id] { dispute.status = .resolved; dispute.resolved = dispute.opened; disputes[id] = dispute }
            case .resolution(let id):
                // Open again, unless it was resolved again since (which a later undo takes back).
                if var dispute = disputes[id], dispute.status == .resolved {
                    dispute.status = .open; dispute.resolved = nil; disputes[id] = dispute
                }
            case .claim(let customer, let previous):
                // Only while the claim is still as the undone action left it: a claim someone
                // took since is theirs (Desk refuses such an undo; an old log may hold one).
                let undone = timelineByPlace[ledger][at.position]
                if claims[customer] == (undone.kind == .claimed ? undone.stamp.author : nil) { claims[customer] = previous }
            case nil: break
            }

        case .dunningRun(let id, let day):
            if let last = lastRun(after: day) {
                throw BookError.invalid("a dunning run dated \(day) comes before the last run on \(last)")
            }
            dunningRuns.append((id, day, stamp.sequence))

        case .dunningLevelSet(let id, let level, _):
            try requireCustomer(id)
            dunningLevels[id] = (level, stamp.day)
            record(.dunning(level: level), for: id, stamp: stamp)

        case .requestFiled(let request):
            try requireCustomer(request.customer)
            guard requests[request.id] == nil else { throw BookError.duplicateDocument(request.id) }
            requests[request.id] = request
            requestOrder.append(request.id)
            if request.kind.isDunningLevel { dunningRequests[request.customer] = request.id }
            record(.request(id: request.id), for: request.customer, stamp: stamp)

        case .chargePosted(let charge):
            try post(charge)

        case .chargeWaived(let id, let day, let reason):
            try waiveCharge(id, on: day, reason: reason, by: stamp.author)

        case .recordLost(let reason, let text):
            lostRecords.append(LostRecord(sequence: stamp.sequence, reason: reason, text: String(text.prefix(LostRecord.textKept))))

        case .lostRecordsReviewed(let through):
            lostReviewedThrough = max(lostReviewedThrough, through)

        case .requestDecided(let id, let approved, let reason):
            guard var request = requests[id] else { throw BookError.unknownRequest(id) }
            guard request.state == .pending else { throw BookError.requestAlreadyDecided(id) }
            request.state = approved ? .approved(by: stamp.author) : .rejected(by: stamp.author, reason: reason)
            requests[id] = request
            record(.decision(requestID: id, approved: approved, reason: reason), for: request.customer, stamp: stamp)
        }
        lastSequence = max(lastSequence, stamp.sequence)
    }

    enum UndoEffect: Sendable {
        case promises([String])
        case dispute(String)
        /// A dispute's resolution: undoing it opens the dispute again.
        case resolution(String)
        case claim(CustomerID, previous: String?)
    }

    private func requireCustomer(_ id: CustomerID) throws {
        _ = try ledgerIndex(id)
    }

    /// Where the customer's ledger is (which also proves the customer exists).
    func ledgerIndex(_ id: CustomerID) throws -> Int {
        guard let index = customerPlaces[id] else { throw BookError.unknownCustomer(id) }
        return index
    }

    private mutating func addPromise(_ promise: Promise, sequence: UInt64) throws {
        let ledger = try ledgerIndex(promise.customer)
        guard promises[promise.id] == nil else { throw BookError.duplicateDocument(promise.id) }
        promises[promise.id] = promise
        promiseIDsByPlace[ledger].append((promise.id, sequence))
    }

    mutating func record(_ kind: Activity.Kind, for customer: CustomerID, stamp: Stamp, undo: UndoEffect? = nil) {
        // Appended in place: a copy of the list per activity would make a busy customer quadratic.
        // Every caller has proved the customer exists.
        guard let ledger = customerPlaces[customer] else { return }
        let position = timelineByPlace[ledger].count
        timelineByPlace[ledger].append(Activity(stamp: stamp, customer: customer, kind: kind))
        activityIndex[stamp.sequence] = (customer, position)
        lastActivityDay = max(lastActivityDay, stamp.day)
        if let undo { undoEffects[stamp.sequence] = undo }
    }
}

/// A book's customers by id, without exposing how they are stored.
public struct CustomerLookup: Sendable {
    let ledgers: [CustomerLedger]
    let places: CustomerPlaces
    public subscript(id: CustomerID) -> Customer? { places[id].map { ledgers[$0].customer } }
}

extension Book {
    /// The day of the last dunning run when it is after `day`: runs only move forward, so one
    /// dated `day` is refused (a dry run so dated looks back).
    public func lastRun(after day: Day) -> Day? {
        dunningRuns.last.flatMap { day < $0.day ? $0.day : nil }
    }
}
