/// Which credit goes to which invoice when a customer's credit is applied (see
/// `CreditApplication`): the credit named, else the oldest first; the invoice named, else oldest
/// due first as of the day (disputed ones last), as a payment goes; as much as both allow unless
/// an amount is given. One application per credit used.
public enum CreditPlan {
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case noCredit(CustomerID, Day)
        case nothingOpen(CustomerID, Day)
        case moreThanCredit(asked: Money, credit: Money, currency: Currency)
        case moreThanOpen(asked: Money, open: Money, currency: Currency)
        case notPositive
        case invoice(AllocationError)
        case source(String)

        public var description: String {
            switch self {
            case .noCredit(let customer, let day): "\(customer) has no credit to apply on \(day) (unapplied cash or a credit note against no invoice)"
            case .nothingOpen(let customer, let day): "\(customer) has no open invoice the credit can settle on \(day)"
            case .moreThanCredit(let asked, let credit, let currency):
                "\(currency.format(asked, grouping: ",")) is more than the credit left to apply (\(currency.format(credit, grouping: ",")))"
            case .moreThanOpen(let asked, let open, let currency):
                "\(currency.format(asked, grouping: ",")) is more than is open to settle (\(currency.format(open, grouping: ",")))"
            case .notPositive: "the amount to apply must be above zero"
            case .invoice(let error): "\(error)"
            case .source(let reason): reason
            }
        }
    }

    /// `id` names each application made (called once per credit used).
    public static func plan(_ customer: CustomerID, from source: CreditApplication.Source?, to invoice: String?, amount: Money?,
                            on day: Day, in book: Book, id: (Int) -> String) throws(Problem) -> [CreditApplication] {
        if let amount, !amount.isPositive { throw .notPositive }
        var credits = book.creditsToApply(of: customer, on: day)
        if let source {
            let since: Day
            do { since = try book.creditSource(source, of: customer).day } catch { throw .source("\(error)") }
            if since > day { throw .source("\(source.number) is dated \(since): its credit is not there yet on \(day)") }
            credits = credits.filter { $0.source == source }
        }
        let credit = credits.reduce(Money.zero) { $0 + $1.left }
        guard credit.isPositive else {
            if let source { throw .source("\(source.number) has no credit left to apply on \(day)") }
            throw .noCredit(customer, day)
        }
        let open: [Allocation]
        if let invoice {
            do {
                open = try AllocationPlan.toInvoice(invoice, amount: Money(minorUnits: .max / 4), of: customer, in: book, on: day)
            } catch {
                throw .invoice(error)
            }
        } else {
            // Instalment by instalment in the rule's order (merged by invoice, an invoice's later
            // instalments and disputed part were spent before other invoices' earlier ones).
            open = AllocationPlan.openItems(of: customer, in: book, on: day, leavingLast: book.disputedInvoices(of: customer, asOf: day), merging: false)
        }
        let openTotal = open.reduce(Money.zero) { $0 + $1.amount }
        guard openTotal.isPositive else { throw .nothingOpen(customer, day) }
        if let amount, amount > credit { throw .moreThanCredit(asked: amount, credit: credit, currency: book.currency) }
        if let amount, amount > openTotal { throw .moreThanOpen(asked: amount, open: openTotal, currency: book.currency) }
        var remaining = amount ?? min(credit, openTotal)
        var invoices = open[...]
        var plan: [CreditApplication] = []
        for credit in credits where remaining.isPositive {
            var take = min(credit.left, remaining)
            remaining -= take
            var allocations: [Allocation] = []
            while take.isPositive, var next = invoices.first {
                let part = min(next.amount, take)
                if let same = allocations.firstIndex(where: { $0.invoice == next.invoice }) { allocations[same].amount += part }
                else { allocations.append(Allocation(invoice: next.invoice, amount: part)) }
                take -= part
                next.amount -= part
                if next.amount.isPositive { invoices[invoices.startIndex] = next } else { invoices = invoices.dropFirst() }
            }
            plan.append(CreditApplication(id: id(plan.count), customer: customer, day: day, source: credit.source, allocations: allocations))
        }
        return plan
    }
}
