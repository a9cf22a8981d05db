/// A late fee or late-payment interest billed to a customer [违约金/逾期利息], kept apart from the
/// principal (DOMAIN.md: paying the principal must not silently erase them): open until paid by
/// a payment or waived by a manager.
public struct Charge: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// A dunning level's fee, billed by its letter.
        case fee(level: Int)
        /// Simple interest on the past-due items for the days up to and including `through`
        /// (the next bill starts after it, so no day is billed twice).
        case interest(through: Day)
    }

    public var id: String
    public var customer: CustomerID
    /// The day it was billed.
    public var day: Day
    public var kind: Kind
    public var amount: Money
    /// Payments and waivers, in the order recorded.
    public var settlements: [ChargeSettlement] = []

    public init(id: String, customer: CustomerID, day: Day, kind: Kind, amount: Money) {
        self.id = id; self.customer = customer; self.day = day; self.kind = kind; self.amount = amount
    }

    /// What is still owed after every payment and waiver recorded.
    public var outstanding: Money { settlements.reduce(amount) { $0 - $1.amount } }

    /// What a payment or waiver dated `day` may still settle (see `Invoice.room(on:)`).
    public func room(on day: Day) -> Money {
        settlements.contains { $0.amount.isNegative } ? amount - settlements.mostSettled(from: day) : outstanding
    }

    /// What is still owed as of `asOf`: nothing before it was billed.
    public func open(asOf: Day) -> Money {
        guard day <= asOf else { return .zero }
        return amount - settlements.total(asOf: asOf)
    }
}

/// Part or all of a charge paid or waived on a day.
public struct ChargeSettlement: Equatable, Sendable {
    public enum Source: Equatable, Sendable {
        /// Paid by the payment with this reference.
        case payment(String)
        /// Forgiven by a manager, with the reason given.
        case waiver(reason: String, by: String)
    }
    public var source: Source
    public var day: Day
    public var amount: Money
    public init(source: Source, day: Day, amount: Money) { self.source = source; self.day = day; self.amount = amount }
}

/// The part of a payment that pays a charge.
public struct ChargePayment: Equatable, Sendable {
    public var charge: String
    public var amount: Money
    public init(charge: String, amount: Money) { self.charge = charge; self.amount = amount }
}
