/// The book's state as bytes, so a large book can open from a snapshot plus the log's tail instead
/// of replaying every event. A cache only: the log stays the truth, and a snapshot that does not
/// decode is ignored. The document indexes are stored as their tables; the others (by customer id,
/// by sequence) are rebuilt. Dictionaries are written in key order so the same book always gives
/// the same bytes.
extension Book {
    /// Version 6: customer ids come first and both parts refer to customers by their place in
    /// that list; the invoice and payment indexes are stored as their tables, and each customer's
    /// ledger (its invoices, open invoices, payments, receipts and credits) as its lists, so
    /// decoding reads them in order instead of adding two million documents to 50,000 ledgers at
    /// random. Invoices form a first part whose length is written before it, so the reader decodes
    /// it and the rest (customers, payments, activities, ...) on two threads of about equal work.
    /// The tables depend on `DocumentIndex.hash`: changing that hash needs a new version.
    /// Version 7: each customer's profile history (what it was before each change) follows the
    /// customers.
    /// Version 8: a statement's record of sending keeps the aging it showed (`StatementFigures`).
    /// Version 9: fees and interest billed (`Charge`) follow everything else, and each payment
    /// keeps what it paid on them; the length of the documents part is eight fixed bytes, so the
    /// part is written in place (it was written apart and copied in); the day each customer was
    /// added follows the profile histories.
    /// Version 10: each activity's stamp keeps where the action that wrote it began
    /// (`Stamp.actionStart`), so undo takes back all the records of one action; the records a
    /// repair set aside and those not applied without them close the snapshot.
    /// Version 11: `DocumentIndex.hash` adds a number's last digits to the hash of the rest, so
    /// the tables are laid out anew; a dispute's resolution can be undone (undo effect 3).
    /// Version 12: payments reversed (`PaymentReversal`), each customer's list of them, and the
    /// activity that records one (kind 15) follow the records a repair set aside.
    /// Version 13: each reversal's cause (returned unpaid, or entered in error) after its reason.
    /// Version 14: whether each payment was allocated by the rule (`Payment.byRule`) after its
    /// charges.
    /// Version 15: credit applied to invoices (`CreditApplication`, a settlement source of kind 3,
    /// with the day and reason of its withdrawal if any) follows the customers' reversed payments,
    /// by day and id.
    /// Version 16: each write-off's reinstatement (its day, reason, author and record), if any, after its approver.
    /// Version 17: each dunning run's first record, and the first record of each author's last
    /// posting's action (what undo names an action by).
    static let snapshotMagic: [UInt8] = Array("ARDK-BOOK-17".utf8)

    public func snapshotBytes() -> [UInt8] {
        var w = ByteWriter()
        // Room for all of it at once: grown by doubling, a large book's bytes were copied about
        // twice over into fresh pages, and the two largest copies were held together. Reserved
        // but untouched room costs address space, not memory.
        w.bytes.reserveCapacity(Book.snapshotBytesEstimate(invoices: invoiceList.count, payments: paymentList.count,
                                                           customers: ledgers.count, activities: activityIndex.count))
        w.bytes.append(contentsOf: Book.snapshotMagic)
        w.string(currency.code); w.int(currency.minorDigits)
        w.uint(lastSequence)
        w.list(customerOrder) { $0.string($1) }
        let documentsLength = w.fixedPlaceholder()
        let invoiceOwners = places(of: invoiceList.count) { $0.invoices }
        w.list(invoiceList.indices) { $0.invoice(invoiceList[$1], customer: invoiceOwners[$1]) }
        w.index(invoiceIndex)
        // Ledgers by place, their fields read in place (iterating them copied each ledger).
        w.list(ledgers.indices) { w, place in
            w.positions(ledgers[place].invoices); w.positions(ledgers[place].open.positions); w.day(ledgers[place].open.settledThrough)
        }
        w.setFixed(UInt64(w.bytes.count - documentsLength - 8), at: documentsLength)
        w.list(ledgers.indices) { $0.customer(ledgers[$1].customer) }
        w.list(ledgers.indices) { w, place in
            w.list(ledgers[place].history) { w, change in w.day(change.changedOn); w.customer(change.before) }
        }
        w.list(ledgers.indices) { $0.day(ledgers[$1].added) }
        w.list(creditNotes.keys.sorted().map { creditNotes[$0]! }) { w, n in
            w.string(n.number); w.string(n.customer); w.day(n.day); w.money(n.amount); w.optional(n.invoice) { $0.string($1) }; w.string(n.reason)
        }
        let paymentOwners = places(of: paymentList.count) { $0.receipts.lazy.map(\.position) }
        w.list(paymentList.indices) { w, position in
            let p = paymentList[position]
            w.string(p.reference); w.uint(UInt64(paymentOwners[position])); w.day(p.day); w.money(p.amount); w.string(p.method)
            w.list(p.allocations) { $0.allocation($1) }
            w.list(p.charges) { w, part in w.string(part.charge); w.money(part.amount) }
            w.bool(p.byRule)
        }
        w.index(paymentIndex)
        w.list(ledgers.indices) { w, place in
            w.positions(ledgers[place].receipts.lazy.map(\.position))
            w.list(ledgers[place].receipts) { w, receipt in w.day(receipt.day); w.money(receipt.amount); w.uint(receipt.sequence) }
            w.list(ledgers[place].credits) { w, credit in w.day(credit.day); w.money(credit.amount) }
        }
        w.list(writeOffs.keys.sorted().map { writeOffs[$0]! }) { w, o in
            w.string(o.id); w.string(o.customer); w.day(o.day); w.list(o.allocations) { $0.allocation($1) }; w.string(o.reason); w.string(o.approvedBy)
            w.optional(o.reinstated) { w, back in w.day(back.day); w.string(back.reason); w.string(back.by); w.uint(back.record) }
        }
        w.list(disputesByInvoice.keys.sorted().flatMap { disputesByInvoice[$0]! }.compactMap { disputes[$0] }) { w, d in
            w.string(d.id); w.string(d.customer); w.string(d.invoice); w.optional(d.amount) { $0.money($1) }; w.string(d.reason)
            w.bool(d.status == .open); w.day(d.opened); w.optional(d.resolved) { $0.day($1) }; w.string(d.owner)
        }
        w.list(promiseIDsByPlace.joined().compactMap { entry in promises[entry.id].map { ($0, entry.record) } }) { w, item in
            let (p, record) = item
            w.string(p.id); w.string(p.customer); w.money(p.amount); w.day(p.due); w.int(p.toleranceDays); w.day(p.taken)
            w.string(p.takenBy); w.optional(p.plan) { $0.string($1) }; w.uint(record)
        }
        w.list(requestOrder.compactMap { requests[$0] }) { $0.request($1) }
        w.list(timelineByPlace.indices.filter { !timelineByPlace[$0].isEmpty }) { w, place in
            w.uint(UInt64(place))
            w.list(timelineByPlace[place]) { $0.activity($1) }
        }
        w.list(claims.sorted { $0.key < $1.key }) { w, c in w.string(c.key); w.string(c.value) }
        w.list(dunningLevels.sorted { $0.key < $1.key }) { w, l in w.string(l.key); w.int(l.value.level); w.day(l.value.day) }
        w.list(dunningRuns) { w, r in w.string(r.id); w.day(r.day); w.uint(r.record) }
        w.list(undoEffects.sorted { $0.key < $1.key }) { w, e in
            w.uint(e.key)
            switch e.value {
            case .promises(let ids): w.uint(0); w.list(ids) { $0.string($1) }
            case .dispute(let id): w.uint(1); w.string(id)
            case .claim(let customer, let previous): w.uint(2); w.string(customer); w.optional(previous) { $0.string($1) }
            case .resolution(let id): w.uint(3); w.string(id)
            }
        }
        w.list(undonePromises.sorted()) { $0.string($1) }
        w.list(charges) { $0.charge($1) }
        for list in [lostRecords, skippedRecords] {
            w.list(list) { w, lost in w.uint(lost.sequence); w.string(lost.reason); w.string(lost.text) }
        }
        w.list(lastPostings) { w, posting in w.string(posting.author); w.uint(posting.sequence); w.uint(posting.actionStart) }
        w.uint(lostReviewedThrough)
        w.list(reversals.keys.sorted().map { reversals[$0]! }) { w, r in
            w.string(r.payment); w.string(r.customer); w.day(r.day); w.string(r.reason); w.string(r.cause.rawValue)
        }
        w.list(ledgers.indices.filter { !ledgers[$0].reversed.isEmpty }) { w, place in
            w.uint(UInt64(place))
            w.list(ledgers[place].reversed) { w, reversed in w.uint(UInt64(reversed.position)); w.day(reversed.day) }
        }
        // By day, then id: each credit's applications read back in an order that is the same for the same book.
        let applications = creditApplications.values.sorted { ($0.day, $0.id) < ($1.day, $1.id) }
        w.list(applications) { w, a in
            w.string(a.id); w.string(a.customer); w.day(a.day)
            switch a.source {
            case .payment(let reference): w.uint(0); w.string(reference)
            case .creditNote(let number): w.uint(1); w.string(number)
            }
            w.list(a.allocations) { $0.allocation($1) }
            w.optional(a.withdrawn) { w, withdrawn in w.day(withdrawn.day); w.string(withdrawn.reason) }
        }
        return w.bytes
    }

    /// More than a snapshot of a book of this size takes (a demo book's L: 141 MiB against about
    /// 200 MiB reserved), so that writing it never grows the buffer.
    static func snapshotBytesEstimate(invoices: Int, payments: Int, customers: Int, activities: Int) -> Int {
        1 << 16 + invoices * 96 + payments * 96 + customers * 640 + activities * 160
    }

    /// Each of `count` documents' customer place, from the ledgers' lists of positions (rather
    /// than a dictionary lookup of each document's customer id, two million of them).
    private func places<Positions: Sequence<Int>>(of count: Int, listedIn positions: (CustomerLedger) -> Positions) -> [Int] {
        var owners = [Int](repeating: 0, count: count)
        for place in ledgers.indices {
            for position in positions(ledgers[place]) { owners[position] = place }
        }
        return owners
    }

    public init(snapshotBytes bytes: [UInt8]) throws {
        self = try bytes.withUnsafeBytes { try Book(snapshot: $0) }
    }

    /// The same from bytes the caller keeps alive until this returns (a mapped snapshot file).
    public init(snapshot raw: UnsafeRawBufferPointer) throws {
        nonisolated(unsafe) let bytes = raw.bindMemory(to: UInt8.self)
        var r = ByteReader(bytes)
        guard bytes.starts(with: Book.snapshotMagic) else { throw r.fail("not a book snapshot of this version") }
        r.position = Book.snapshotMagic.count
        let currency = Currency(code: try r.string(), minorDigits: try r.int())
        let lastSequence = try r.uint()
        let ids = try r.list { try $0.string() }
        let documentsLength = try r.fixed()
        guard documentsLength <= UInt64(bytes.count - r.position) else { throw r.fail("a part longer than the data") }
        let documentsEnd = r.position + Int(documentsLength)
        // Invoices on one thread, everything else on another, then joined.
        let documentsStart = r.position
        var parts = [0, 1].mapOnAllCores(minimumCount: 2) { part in
            Result { () throws -> SnapshotPart in
                if part == 0 {
                    var reader = ByteReader(bytes, from: documentsStart, to: documentsEnd)
                    let invoices = try Book.decodeInvoices(&reader, ids: ids)
                    guard reader.atEnd else { throw reader.fail("unexpected bytes after the invoices") }
                    return .invoices(invoices)
                }
                var book = Book()
                var reader = ByteReader(bytes, from: documentsEnd)
                try book.decodeRest(&reader, ids: ids)
                guard reader.atEnd else { throw reader.fail("unexpected bytes after the book") }
                return .rest(book)
            }
        }
        // Moved out of the parts, not shared: the ledgers changed below would otherwise be copied.
        guard case .rest(let rest) = try parts.removeLast().get(), case .invoices(var invoices) = try parts.removeLast().get() else {
            preconditionFailure("the two parts come back in order")
        }
        self = consume rest
        self.currency = currency
        self.lastSequence = lastSequence
        swap(&invoiceList, &invoices.list)
        invoiceIndex = invoices.index
        for place in ledgers.indices {
            swap(&ledgers[place].invoices, &invoices.ledgers[place].invoices)
            swap(&ledgers[place].open, &invoices.ledgers[place].open)
        }
    }

    /// What the two threads decoding a snapshot each give.
    private enum SnapshotPart {
        case invoices(InvoicePart)
        case rest(Book)
    }

    /// Invoices, their index, and each customer's invoice lists (by place).
    private struct InvoicePart {
        var list: [Invoice]
        var index: DocumentIndex
        var ledgers: [(invoices: [Int], open: OpenInvoices)]
    }

    private static func decodeInvoices(_ r: inout ByteReader, ids: [CustomerID]) throws -> InvoicePart {
        let list = try r.list { r in try r.invoice(customer: ids[try r.ordinal(below: ids.count)]) }
        let index = try r.index(count: list.count)
        let ledgers = try r.list { r in
            let invoices = try r.positions(below: list.count)
            var open = OpenInvoices()
            open.positions = try r.positions(below: list.count)
            open.settledThrough = try r.day()
            return (invoices: invoices, open: open)
        }
        guard ledgers.count == ids.count else { throw r.fail("\(ledgers.count) ledgers for \(ids.count) customers") }
        return InvoicePart(list: list, index: index, ledgers: ledgers)
    }

    /// Everything but invoices: customers with their ledgers' payment lists, payments,
    /// activities, ... (the invoice lists are the other part's).
    private mutating func decodeRest(_ r: inout ByteReader, ids: [CustomerID]) throws {
        guard let places = CustomerPlaces(ids: ids) else { throw r.fail("a customer twice") }
        customerPlaces = places
        var customers = ids.makeIterator()
        ledgers = try r.list { CustomerLedger(customer: try $0.customer(id: customers.next() ?? ""), added: Day(ordinal: 0)) }
        guard ledgers.count == ids.count else { throw r.fail("\(ledgers.count) customers for \(ids.count) ids") }
        guard try r.uint() == UInt64(ids.count) else { throw r.fail("profile histories for another number of customers") }
        for place in ledgers.indices {
            let id = ids[place]
            ledgers[place].history = try r.list { (changedOn: try $0.day(), before: try $0.customer(id: id)) }
        }
        guard try r.uint() == UInt64(ids.count) else { throw r.fail("days added for another number of customers") }
        for place in ledgers.indices {
            ledgers[place].added = try r.day()
            lastCustomerAdded = max(lastCustomerAdded ?? ledgers[place].added, ledgers[place].added)
        }
        timelineByPlace = Array(repeating: [], count: ids.count)
        promiseIDsByPlace = Array(repeating: [], count: ids.count)
        func place(_ id: CustomerID) throws -> Int {
            guard let place = places[id] else { throw r.fail("a document of an unknown customer \(id)") }
            return place
        }
        for note in try r.list({ r in
            CreditNote(number: try r.string(), customer: try r.string(), day: try r.day(), amount: try r.money(),
                       invoice: try r.optional { try $0.string() }, reason: try r.string())
        }) {
            creditNotes[note.number] = note
        }
        paymentList = try r.list { r in
            let reference = try r.string(), owner = try r.ordinal(below: ids.count)
            return Payment(reference: reference, customer: ids[owner], day: try r.day(), amount: try r.money(), method: try r.string(),
                           allocations: try r.smallList { try $0.allocation() },
                           charges: try r.list { ChargePayment(charge: try $0.string(), amount: try $0.money()) },
                           byRule: try r.bool())
        }
        paymentIndex = try r.index(count: paymentList.count)
        guard try r.uint() == UInt64(ids.count) else { throw r.fail("payment lists for another number of customers") }
        for place in ledgers.indices {
            let positions = try r.positions(below: paymentList.count)
            var next = 0
            ledgers[place].receipts = try r.list { r in
                guard next < positions.count else { throw r.fail("receipts apart from payments") }
                defer { next += 1 }
                return Receipt(position: positions[next], day: try r.day(), amount: try r.money(), sequence: try r.uint())
            }
            guard next == positions.count else { throw r.fail("receipts apart from payments") }
            ledgers[place].credits = try r.list { (day: try $0.day(), amount: try $0.money()) }
        }
        for o in try r.list({ r in
            var writeOff = WriteOff(id: try r.string(), customer: try r.string(), day: try r.day(), allocations: try r.list { try $0.allocation() },
                                    reason: try r.string(), approvedBy: try r.string())
            writeOff.reinstated = try r.optional { Reinstatement(day: try $0.day(), reason: try $0.string(), by: try $0.string(), record: try $0.uint()) }
            return writeOff
        }) { writeOffs[o.id] = o }
        for d in try r.list({ r in
            Dispute(id: try r.string(), customer: try r.string(), invoice: try r.string(), amount: try r.optional { try $0.money() },
                    reason: try r.string(), status: try r.bool() ? .open : .resolved, opened: try r.day(),
                    resolved: try r.optional { try $0.day() }, owner: try r.string())
        }) {
            disputes[d.id] = d
            disputesByInvoice[d.invoice, default: []].append(d.id)
            ledgers[try place(d.customer)].hasDisputes = true
        }
        for (p, record) in try r.list({ r in
            (Promise(id: try r.string(), customer: try r.string(), amount: try r.money(), due: try r.day(), toleranceDays: try r.int(),
                     taken: try r.day(), takenBy: try r.string(), plan: try r.optional { try $0.string() }), try r.uint())
        }) {
            promises[p.id] = p
            promiseIDsByPlace[try place(p.customer)].append((p.id, record))
        }
        for request in try r.list({ try $0.request() }) {
            requests[request.id] = request
            requestOrder.append(request.id)
            if request.kind.isDunningLevel { dunningRequests[request.customer] = request.id }
        }
        for _ in 0..<(try r.uint()) {
            let owner = try r.ordinal(below: ids.count)
            let list = try r.list { try $0.activity(customer: ids[owner]) }
            timelineByPlace[owner] = list
            for (position, activity) in list.enumerated() {
                activityIndex[activity.stamp.sequence] = (ids[owner], position)
                lastActivityDay = max(lastActivityDay, activity.stamp.day)
            }
        }
        for _ in 0..<(try r.uint()) {
            let customer = try r.string(), holder = try r.string()
            claims[customer] = holder
        }
        for _ in 0..<(try r.uint()) {
            let customer = try r.string(), level = try r.int(), day = try r.day()
            dunningLevels[customer] = (level, day)
        }
        dunningRuns = try r.list { (try $0.string(), try $0.day(), try $0.uint()) }
        for _ in 0..<(try r.uint()) {
            let sequence = try r.uint()
            switch try r.uint() {
            case 0: undoEffects[sequence] = .promises(try r.list { try $0.string() })
            case 1: undoEffects[sequence] = .dispute(try r.string())
            case 2: undoEffects[sequence] = .claim(try r.string(), previous: try r.optional { try $0.string() })
            case 3: undoEffects[sequence] = .resolution(try r.string())
            default: throw r.fail("unknown undo effect")
            }
        }
        undonePromises = Set(try r.list { try $0.string() })
        for charge in try r.list({ try $0.charge() }) {
            guard places[charge.customer] != nil, chargeIndex[charge.id] == nil else { throw r.fail("charge \(charge.id) twice or of an unknown customer") }
            chargeIndex[charge.id] = charges.count
            chargesByCustomer[charge.customer, default: []].append(charges.count)
            charges.append(charge)
        }
        lostRecords = try r.list { LostRecord(sequence: try $0.uint(), reason: try $0.string(), text: try $0.string()) }
        skippedRecords = try r.list { LostRecord(sequence: try $0.uint(), reason: try $0.string(), text: try $0.string()) }
        lastPostings = try r.list { (author: try $0.string(), sequence: try $0.uint(), actionStart: try $0.uint()) }
        lostReviewedThrough = try r.uint()
        for reversal in try r.list({ r in
            let (payment, customer, day, reason, cause) = (try r.string(), try r.string(), try r.day(), try r.string(), try r.string())
            guard let cause = PaymentReversal.Cause(rawValue: cause) else { throw r.fail("unknown reversal cause \(cause)") }
            return PaymentReversal(payment: payment, customer: customer, day: day, reason: reason, cause: cause)
        }) { reversals[reversal.payment] = reversal }
        for _ in 0..<(try r.uint()) {
            let owner = try r.ordinal(below: ids.count)
            ledgers[owner].reversed = try r.list { r in ReversedPayment(position: try r.ordinal(below: paymentList.count), day: try r.day()) }
        }
        for application in try r.list({ r in
            let (id, customer, day) = (try r.string(), try r.string(), try r.day())
            let source: CreditApplication.Source
            switch try r.uint() {
            case 0: source = .payment(try r.string())
            case 1: source = .creditNote(try r.string())
            default: throw r.fail("unknown credit source")
            }
            var application = CreditApplication(id: id, customer: customer, day: day, source: source, allocations: try r.list { try $0.allocation() })
            application.withdrawn = try r.optional { (day: try $0.day(), reason: try $0.string()) }
            return application
        }) {
            guard places[application.customer] != nil, creditApplications[application.id] == nil else {
                throw r.fail("credit application \(application.id) twice or of an unknown customer")
            }
            creditApplications[application.id] = application
            applicationsBySource[application.source, default: []].append(application.id)
        }
    }
}
