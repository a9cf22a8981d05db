/// Fees and interest in the book: billed, paid and waived apart from the invoices they came from.
extension Book {
    /// A customer's charges in the order billed.
    public func charges(of customer: CustomerID) -> [Charge] {
        (chargesByCustomer[customer] ?? []).map { charges[$0] }
    }

    public func charge(_ id: String) -> Charge? { chargeIndex[id].map { charges[$0] } }

    mutating func post(_ charge: Charge) throws {
        guard customerPlaces[charge.customer] != nil else { throw BookError.unknownCustomer(charge.customer) }
        guard chargeIndex[charge.id] == nil else { throw BookError.duplicateDocument(charge.id) }
        guard charge.amount.isPositive else { throw BookError.invalid("charge \"\(charge.id)\" needs an amount above zero") }
        guard charge.settlements.isEmpty else { throw BookError.invalid("charge \"\(charge.id)\" comes with payments already on it") }
        chargeIndex[charge.id] = charges.count
        chargesByCustomer[charge.customer, default: []].append(charges.count)
        charges.append(charge)
    }

    mutating func waiveCharge(_ id: String, on day: Day, reason: String, by author: String) throws {
        guard let position = chargeIndex[id] else { throw BookError.invalid("no charge \"\(id)\"") }
        guard day >= charges[position].day else { throw BookError.invalid("charge \"\(id)\" is waived before it was billed") }
        let open = charges[position].outstanding
        guard open.isPositive else { throw BookError.invalid("charge \"\(id)\" has nothing left to waive") }
        charges[position].settlements.append(ChargeSettlement(source: .waiver(reason: reason, by: author), day: day, amount: open))
    }

    /// Every charge a payment pays is the payer's, billed by the payment's day, and open for
    /// what is paid (several parts of one charge by their sum); checked before anything changes.
    func checkChargePayments(_ payment: Payment) throws {
        var paid: [String: Money] = [:]
        for part in payment.charges {
            guard let position = chargeIndex[part.charge] else { throw BookError.invalid("no charge \"\(part.charge)\"") }
            let charge = charges[position]
            guard charge.customer == payment.customer else { throw BookError.wrongCustomer(document: part.charge, customer: payment.customer) }
            guard charge.day <= payment.day else {
                throw BookError.invalid("payment \"\(payment.reference)\" pays charge \"\(part.charge)\" before it was billed")
            }
            let before = paid[part.charge, default: .zero]
            let open = charge.room(on: payment.day) - before
            guard part.amount.isPositive, part.amount <= open else {
                throw BookError.overAllocated(invoice: part.charge, open: open, allocated: part.amount, currency: currency)
            }
            paid[part.charge] = before + part.amount
        }
    }

    mutating func settleCharges(of payment: Payment) {
        for part in payment.charges {
            charges[chargeIndex[part.charge]!].settlements.append(
                ChargeSettlement(source: .payment(payment.reference), day: payment.day, amount: part.amount))
        }
    }
}
