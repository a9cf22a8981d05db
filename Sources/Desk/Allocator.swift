import Core

/// Decides where new cash goes when it is recorded; the result is stored in the event.
enum Allocator {
    /// Explicit allocation to one invoice (up to its open amount), else oldest due first.
    /// What cannot be applied stays unapplied cash on the customer.
    static func allocate(_ amount: Money, of customer: CustomerID, to invoice: String?, in book: Book) throws -> [Allocation] {
        if let invoice {
            guard let target = book.invoices[invoice], target.customer == customer else {
                throw DeskError.invalid("no invoice \"\(invoice)\" for customer \(customer)")
            }
            let open = target.amount - target.settledEver
            guard open.isPositive else { throw DeskError.invalid("invoice \(invoice) is already settled") }
            return [Allocation(invoice: invoice, amount: min(open, amount))]
        }
        var remaining = amount
        var allocations: [Allocation] = []
        let open = book.invoices(of: customer)
            .map { (invoice: $0, open: $0.amount - $0.settledEver) }
            .filter { $0.open.isPositive }
            .sorted { a, b in
                if a.invoice.firstDue != b.invoice.firstDue { return a.invoice.firstDue < b.invoice.firstDue }
                if a.invoice.issued != b.invoice.issued { return a.invoice.issued < b.invoice.issued }
                return a.invoice.number < b.invoice.number
            }
        for item in open where remaining.isPositive {
            let applied = min(item.open, remaining)
            allocations.append(Allocation(invoice: item.invoice.number, amount: applied))
            remaining -= applied
        }
        return allocations
    }
}
