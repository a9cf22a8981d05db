/// How large a book's amounts are, all told: every invoice, payment, credit note, write-off,
/// charge, promise, request and credit limit, summed without their signs.
///
/// Rules add up parts of these (a balance, a bucket, a month's sales, a collector's promises) in
/// 64-bit minor units. While this total stays under `Book.amountsBound` none of those sums can
/// overflow, so an action that would take it past is refused when it is entered, instead of every
/// report failing from then on. The bound is far beyond any business: about 1.4 × 10¹⁵ yuan.
extension Book {
    public static let amountsBound: Int64 = Int64.max / 64

    public var amountsMagnitude: Int64 {
        var total = MagnitudeSum()
        for invoice in invoiceList { total.add(invoice.amount) }
        for payment in paymentList { total.add(payment.amount) }
        for note in creditNotes.values { total.add(note.amount) }
        for writeOff in writeOffs.values { total.add(writeOff.amount) }
        for charge in charges { total.add(charge.amount) }
        for promise in promises.values { total.add(promise.amount) }
        for request in requests.values { total.add(request.kind.amount) }
        for ledger in ledgers { total.add(ledger.customer.creditLimit) }
        return total.value
    }
}

extension Event {
    /// What this event adds to `Book.amountsMagnitude`.
    public var amountsMagnitude: Int64 {
        var total = MagnitudeSum()
        switch self {
        case .customerAdded(let customer): total.add(customer.creditLimit)
        case .profileChanged(_, .creditLimit(let limit), _): total.add(limit)
        case .invoiceIssued(let invoice): total.add(invoice.amount)
        case .creditNoteIssued(let note): total.add(note.amount)
        case .paymentReceived(let payment): total.add(payment.amount)
        case .writtenOff(let writeOff): total.add(writeOff.amount)
        case .chargePosted(let charge): total.add(charge.amount)
        case .promiseTaken(let promise): total.add(promise.amount)
        case .planAgreed(_, _, let instalments): instalments.forEach { total.add($0.amount) }
        case .requestFiled(let request): total.add(request.kind.amount)
        default: break
        }
        return total.value
    }
}

extension RequestKind {
    /// The amount a limit or write-off request names; zero for the others.
    var amount: Money {
        switch self {
        case .creditLimit(let amount), .writeOff(let amount): return amount
        case .creditHold, .handOff: return .zero
        }
    }
}

/// A sum of magnitudes that stops at `Int64.max` instead of overflowing.
public struct MagnitudeSum: Sendable {
    public private(set) var value: Int64

    public init(_ start: Int64 = 0) { value = start }

    mutating func add(_ money: Money) { add(magnitude: Int64(clamping: money.minorUnits.magnitude)) }

    public mutating func add(magnitude: Int64) {
        let (sum, overflow) = value.addingReportingOverflow(magnitude)
        value = overflow ? .max : sum
    }

    /// `start` plus every event's `amountsMagnitude`.
    public static func adding(_ events: some Sequence<Event>, to start: Int64) -> Int64 {
        var total = MagnitudeSum(start)
        for event in events { total.add(magnitude: event.amountsMagnitude) }
        return total.value
    }
}
