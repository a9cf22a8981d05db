/// Folding `Event.paymentsReallocated`: payments allocated by the rule, allocated again.
extension Book {
    mutating func reallocate(_ changes: [PaymentAllocations], of customer: CustomerID) throws {
        let ledger = try ledgerIndex(customer)
        // Everything is checked, or put back, before the payments change: a refused event
        // changes nothing.
        var positions: [Int] = []
        for change in changes {
            guard let position = paymentIndex.position(of: change.payment, in: paymentList) else {
                throw BookError.invalid("no payment \"\(change.payment)\" in this book")
            }
            let payment = paymentList[position]
            guard payment.customer == customer else { throw BookError.wrongCustomer(document: change.payment, customer: customer) }
            guard payment.byRule else { throw BookError.invalid("payment \"\(change.payment)\" was for the invoice named, not allocated by the rule") }
            guard reversals[change.payment] == nil else { throw BookError.invalid("payment \"\(change.payment)\" was reversed") }
            guard !positions.contains(position) else { throw BookError.invalid("payment \"\(change.payment)\" reallocated twice at once") }
            let parts = change.allocations.reduce(Money.zero) { $0 + $1.amount } + change.charges.reduce(Money.zero) { $0 + $1.amount }
            guard parts <= payment.amount else { throw BookError.invalid("payment \"\(change.payment)\" pays more than its amount") }
            // Its credit applied to invoices since stays applied: it may not shrink below that.
            let applied = creditCommitted(from: .payment(change.payment), on: payment.day)
            guard applied == .zero || payment.amount - parts >= applied else {
                throw BookError.invalid("\(currency.format(applied, grouping: ",")) of the credit of payment \"\(change.payment)\" was applied to invoices: allocated again, it would leave only \(currency.format(payment.amount - parts, grouping: ","))")
            }
            positions.append(position)
        }
        // What changes, as it was: put back if a new part is refused.
        var invoicesBefore: [Int: SmallList<Settlement>] = [:]
        var chargesBefore: [Int: [ChargeSettlement]] = [:]
        func keepInvoice(_ position: Int) { if invoicesBefore[position] == nil { invoicesBefore[position] = invoiceList[position].settlements } }
        func keepCharge(_ position: Int) { if chargesBefore[position] == nil { chargesBefore[position] = charges[position].settlements } }
        let openBefore = ledgers[ledger].open
        // Every old part is taken off first, then the new ones settled: a payment may take what
        // another gave up in the same event.
        for position in positions {
            let payment = paymentList[position]
            for allocation in payment.allocations {
                guard let invoice = invoicePosition(allocation.invoice) else { throw BookError.unknownInvoice(allocation.invoice) }
                keepInvoice(invoice)
            }
            for part in payment.charges {
                guard let charge = chargeIndex[part.charge] else { throw BookError.invalid("no charge \"\(part.charge)\"") }
                keepCharge(charge)
            }
        }
        for position in positions {
            let reference = paymentList[position].reference
            for allocation in paymentList[position].allocations {
                let invoice = invoicePosition(allocation.invoice)!
                invoiceList[invoice].settlements = SmallList(invoiceList[invoice].settlements.filter { $0.source != .payment(reference) })
            }
            for part in paymentList[position].charges {
                charges[chargeIndex[part.charge]!].settlements.removeAll { $0.source == .payment(reference) }
            }
        }
        do {
            for (change, position) in zip(changes, positions) {
                var payment = paymentList[position]
                for allocation in change.allocations {
                    guard let invoice = invoicePosition(allocation.invoice) else { throw BookError.unknownInvoice(allocation.invoice) }
                    guard invoiceList[invoice].issued <= payment.day else {
                        throw BookError.invalid("payment \"\(payment.reference)\" of \(payment.day) cannot pay invoice \"\(allocation.invoice)\", issued later")
                    }
                    keepInvoice(invoice)
                    try settle(allocation.invoice, customer: customer, ledger: ledger, amount: allocation.amount, day: payment.day,
                               source: .payment(payment.reference))
                }
                payment.charges = change.charges
                try checkChargePayments(payment)
                for part in change.charges { keepCharge(chargeIndex[part.charge]!) }
                settleCharges(of: payment)
            }
        } catch {
            for (invoice, settlements) in invoicesBefore { invoiceList[invoice].settlements = settlements }
            for (charge, settlements) in chargesBefore { charges[charge].settlements = settlements }
            ledgers[ledger].open = openBefore
            throw error
        }
        // An invoice an old allocation had settled may be owed again, or settled on another day.
        for invoice in invoicesBefore.keys {
            if let settled = invoiceList[invoice].settledOn {
                ledgers[ledger].open.settle(at: invoice, settledOn: settled)
                ledgers[ledger].open.settledThrough = max(ledgers[ledger].open.settledThrough, settled)
            } else {
                ledgers[ledger].open.reopen(invoice)
            }
        }
        for (change, position) in zip(changes, positions) {
            let day = paymentList[position].day, before = paymentList[position].unapplied
            paymentList[position] = paymentList[position].with(change)
            let after = paymentList[position].unapplied
            if before.isPositive, let credit = ledgers[ledger].credits.firstIndex(where: { $0.day == day && $0.amount == before }) {
                ledgers[ledger].credits.remove(at: credit)
            }
            if after.isPositive { ledgers[ledger].credits.append((day, after)) }
        }
    }
}
