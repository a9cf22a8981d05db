import Core
import FlatJSON
import Journal

/// The reading half of `EventCodec`: a payload (parsed, or its bytes where they lie) back into
/// an event and its business day, older versions upcast, newer ones refused.
extension EventCodec {
    /// Decodes a payload into an event and its business day. `author` fills fields that the log
    /// records once, in the record header, rather than in every payload.
    public static func decode(type: String, version: Int, payload: JSONObject, author: String) throws -> (Event, Day) {
        try checkKnown(type: type, version: version)
        return try decode(type: type, reader: PayloadReader(object: payload), author: author)
    }

    /// The same from the payload's bytes in an array (see the `bytes:` form).
    public static func decode(type: String, version: Int, data: [UInt8], author: String) throws -> (Event, Day) {
        try data.withUnsafeBufferPointer { try decode(type: type, version: version, bytes: $0, author: author) }
    }

    /// A record's event, read where its payload lies (no copy of the bytes).
    public static func decode(_ record: JournalRecord) throws -> (Event, Day) {
        try record.withData { try decode(type: record.type, version: record.version, bytes: $0, author: record.author) }
    }

    /// The same from the payload's bytes as they stand in the log, lent where they lie (replay
    /// reads each record's fields in place): an invoice or payment as ardesk writes it is read
    /// front to back (`CanonicalPayload`); any other payload, only the fields the event needs.
    public static func decode(type: String, version: Int, bytes: UnsafeBufferPointer<UInt8>, author: String) throws -> (Event, Day) {
        try checkKnown(type: type, version: version)
        if let canonical = CanonicalPayload.decode(type: type, bytes) { return canonical }
        return try PayloadReader.reading(bytes) { try decode(type: type, reader: $0, author: author) }
    }

    /// The versions of the two types nearly every record has, compared before a name is hashed
    /// to look it up in `versions` (the hashing was a twentieth of decoding a large book).
    private static let invoiceVersion = versions["invoice.issued"]!
    private static let paymentVersion = versions["payment.received"]!

    static func checkKnown(type: String, version: Int) throws {
        let known = type == "invoice.issued" ? invoiceVersion : type == "payment.received" ? paymentVersion : versions[type]
        guard let known else {
            throw PayloadError(field: "type", problem: "names an event this ardesk does not know (\"\(type)\"); upgrade ardesk to read this book")
        }
        guard version <= known else {
            throw PayloadError(field: "v", problem: "is \(version) but this ardesk reads \(type) up to version \(known); upgrade ardesk")
        }
    }

    static func decode(type: String, reader r: PayloadReader, author: String) throws -> (Event, Day) {
        let day = try r.day("day")
        let event: Event
        // Cases are compared in order: the two types most records have come first.
        switch type {
        case "invoice.issued":
            let instalments = try r.objects("instalments") { Instalment(due: try $0.day("due"), amount: try $0.money("amount")) }
            event = .invoiceIssued(Invoice(number: try r.string("number"), customer: try r.string("customer"),
                                           issued: try r.day("issued"), instalments: instalments,
                                           reference: try r.optionalString("ref") ?? ""))
        case "payment.received":
            event = .paymentReceived(Payment(reference: try r.string("reference"), customer: try r.string("customer"),
                                             day: try r.day("date"), amount: try r.money("amount"),
                                             method: try r.optionalString("method") ?? "",
                                             allocations: try r.objects("allocations", allocation),
                                             charges: try chargePayments(r),
                                             byRule: try r.isPresent("by_rule") ? r.bool("by_rule") : false))
        case "payments.reallocated":
            event = .paymentsReallocated(try r.string("customer"), try r.objects("payments") {
                PaymentAllocations(payment: try $0.string("reference"), allocations: try $0.objects("allocations", allocation),
                                   charges: try chargePayments($0))
            })
        case "book.created":
            let code = try r.string("currency")
            event = .bookCreated(currency: Currency(code: code, minorDigits: Int(try r.int("digits"))))
        case "customer.added":
            var c = Customer(id: try r.string("id"), name: try r.string("name"))
            c.contacts = try r.objects("contacts", contact)
            c.termsDays = Int(try r.int("terms"))
            c.creditLimit = try r.money("limit")
            c.grade = try r.optionalString("grade").map { g in
                guard let grade = RiskGrade(rawValue: g) else { throw PayloadError(field: "grade", problem: "has an unknown value \"\(g)\"") }
                return grade
            }
            c.collector = try r.optionalString("collector")
            c.status = try r.enumValue("status", as: CustomerStatus.self)
            c.guarantees = try r.optionalString("guarantees") ?? ""
            c.nextReview = try r.optionalDay("review")
            event = .customerAdded(c)
        case "customer.changed":
            event = .profileChanged(try r.string("customer"), try change(r), reason: try r.string("reason"))
        case "credit_note.issued":
            event = .creditNoteIssued(CreditNote(number: try r.string("number"), customer: try r.string("customer"),
                                                 day: try r.day("date"), amount: try r.money("amount"),
                                                 invoice: try r.optionalString("invoice"),
                                                 reason: try r.optionalString("reason") ?? ""))
        case "payment.reversed":
            let cause = try r.optionalString("cause")
            guard let known = PaymentReversal.Cause(rawValue: cause ?? PaymentReversal.Cause.returned.rawValue) else {
                throw PayloadError(field: "cause", problem: "\"\(cause ?? "")\" is a cause this build does not know: upgrade ardesk")
            }
            event = .paymentReversed(PaymentReversal(payment: try r.string("reference"), customer: try r.string("customer"),
                                                     day: try r.day("date"), reason: try r.string("reason"), cause: known))
        case "writeoff.posted":
            event = .writtenOff(WriteOff(id: try r.string("id"), customer: try r.string("customer"), day: try r.day("date"),
                                         allocations: try r.objects("allocations", allocation),
                                         reason: try r.string("reason"), approvedBy: try r.string("approved_by")))
        case "writeoff.reinstated":
            event = .writeOffReinstated(id: try r.string("id"), customer: try r.string("customer"), day: try r.day("date"), reason: try r.string("reason"))
        case "credit.applied":
            // Whose credit: a payment's or a credit note's, named by one field or the other.
            let source: CreditApplication.Source
            switch (try r.optionalString("payment"), try r.optionalString("credit_note")) {
            case (let reference?, nil): source = .payment(reference)
            case (nil, let number?): source = .creditNote(number)
            default: throw PayloadError(field: "payment", problem: "names no credit, or two (payment and credit_note)")
            }
            event = .creditApplied(CreditApplication(id: try r.string("id"), customer: try r.string("customer"), day: try r.day("date"),
                                                     source: source, allocations: try r.objects("allocations", allocation)))
        case "credit.withdrawn":
            event = .creditWithdrawn(id: try r.string("id"), customer: try r.string("customer"), day: try r.day("date"), reason: try r.string("reason"))
        case "dispute.opened":
            event = .disputeOpened(Dispute(id: try r.string("id"), customer: try r.string("customer"),
                                           invoice: try r.string("invoice"), amount: try r.optionalMoney("amount"),
                                           reason: try r.string("reason"), opened: try r.optionalDay("opened") ?? day,
                                           owner: try r.string("owner")))
        case "dispute.resolved":
            event = .disputeResolved(id: try r.string("id"), day: try r.day("resolved"), note: try r.string("note"))
        case "promise.taken":
            event = .promiseTaken(try promise(r, day: day, author: author))
        case "plan.agreed":
            event = .planAgreed(id: try r.string("id"), customer: try r.string("customer"),
                                instalments: try r.objects("instalments") { try promise($0, day: day, author: author) })
        case "call.logged":
            event = .callLogged(try r.string("customer"), try r.enumValue("outcome", as: CallOutcome.self),
                                note: try r.optionalString("note") ?? "", callback: try r.optionalDay("callback"))
        case "note.added":
            event = .noteAdded(try r.string("customer"), try r.string("text"))
        case "callback.scheduled":
            event = .callbackScheduled(try r.string("customer"), try r.day("on"), note: try r.optionalString("note") ?? "")
        case "document.sent":
            let kind: DocumentKind
            switch try r.string("kind") {
            case "letter": kind = .letter(level: Int(try r.int("level")))
            case "statement":
                // Statements recorded before ardesk kept their figures have no "aging".
                let figures = r.isPresent("aging")
                    ? StatementFigures(aging: try r.objects("aging") { (try $0.string("label"), try $0.money("amount")) },
                                       credit: try r.money("credit"))
                    : nil
                kind = .statement(from: try r.optionalDay("from"), to: try r.day("to"), figures: figures)
            case let other: throw PayloadError(field: "kind", problem: "has an unknown value \"\(other)\"")
            }
            event = .documentSent(try r.string("customer"), kind, file: try r.optionalString("file") ?? "")
        case "customer.claimed": event = .claimed(try r.string("customer"))
        case "customer.released": event = .released(try r.string("customer"))
        case "customer.worked": event = .markedWorked(try r.string("customer"))
        case "action.undone": event = .undone(sequence: UInt64(try r.int("seq")))
        case "dunning.run": event = .dunningRun(id: try r.string("id"), day: try r.day("run_day"))
        case "dunning.level":
            event = .dunningLevelSet(try r.string("customer"), level: Int(try r.int("level")), runID: try r.string("run"))
        case "request.filed":
            let amount = try r.money("amount")
            let kind: RequestKind
            switch try r.string("kind") {
            case "limit": kind = .creditLimit(amount)
            case "writeoff": kind = .writeOff(amount)
            case "hold": kind = .creditHold
            case "handoff": kind = .handOff(try r.enumValue("status", as: CustomerStatus.self))
            case let other: throw PayloadError(field: "kind", problem: "has an unknown value \"\(other)\"")
            }
            event = .requestFiled(Request(id: try r.string("id"), customer: try r.string("customer"), kind: kind,
                                          reason: try r.string("reason"), requestedBy: author, day: day))
        case "request.decided":
            event = .requestDecided(id: try r.string("id"), approved: try r.bool("approved"), reason: try r.string("reason"))
        case "charge.posted":
            let kind: Charge.Kind
            switch try r.string("kind") {
            case "fee": kind = .fee(level: Int(try r.int("level")))
            case "interest": kind = .interest(through: try r.day("through"))
            case let other: throw PayloadError(field: "kind", problem: "has an unknown value \"\(other)\"")
            }
            event = .chargePosted(Charge(id: try r.string("id"), customer: try r.string("customer"), day: try r.day("billed"),
                                         kind: kind, amount: try r.money("amount")))
        case "charge.waived":
            event = .chargeWaived(id: try r.string("id"), day: try r.day("waived"), reason: try r.string("reason"))
        case "journal.lost":
            event = .recordLost(reason: try r.string("reason"), text: try r.string("text"))
        case "journal.lost.reviewed":
            event = .lostRecordsReviewed(through: UInt64(max(0, try r.int("through"))))
        default:
            throw PayloadError(field: "type", problem: "names an event this ardesk does not know (\"\(type)\"); upgrade ardesk to read this book")
        }
        return (event, day)
    }

    // MARK: - Pieces shared by several events

    private static func contact(_ r: PayloadReader) throws -> ContactPerson {
        ContactPerson(name: try r.optionalString("name") ?? "", phone: try r.optionalString("phone") ?? "",
                      email: try r.optionalString("email") ?? "")
    }

    /// What a payment pays on fees and interest (absent: nothing).
    private static func chargePayments(_ r: PayloadReader) throws -> [ChargePayment] {
        guard r.isPresent("charges") else { return [] }
        return try r.objects("charges") { ChargePayment(charge: try $0.string("charge"), amount: try $0.money("amount")) }
    }

    private static func allocation(_ r: PayloadReader) throws -> Allocation {
        Allocation(invoice: try r.string("invoice"), amount: try r.money("amount"))
    }

    private static func promise(_ r: PayloadReader, day: Day, author: String) throws -> Promise {
        Promise(id: try r.string("id"), customer: try r.string("customer"), amount: try r.money("amount"),
                due: try r.day("due"), toleranceDays: Int(try r.int("tolerance")), taken: day, takenBy: author,
                plan: try r.optionalString("plan"))
    }

    private static func change(_ r: PayloadReader) throws -> ProfileChange {
        switch try r.string("change") {
        case "limit": return .creditLimit(try r.money("limit"))
        case "hold": return .hold
        case "release": return .release
        case "grade": return .grade(try r.enumValue("grade", as: RiskGrade.self))
        case "terms": return .terms(Int(try r.int("terms")))
        case "collector": return .collector(try r.optionalString("collector"))
        case "status": return .status(try r.enumValue("status", as: CustomerStatus.self))
        case "review": return .nextReview(try r.optionalDay("review"))
        case "contacts": return .contacts(try r.objects("contacts", contact))
        case "name": return .name(try r.string("name"))
        case let other: throw PayloadError(field: "change", problem: "has an unknown value \"\(other)\"")
        }
    }
}
