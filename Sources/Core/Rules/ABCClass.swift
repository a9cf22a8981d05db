/// ABC classification by revenue share [客户分类]: customers ranked by what they were invoiced in
/// the twelve months up to the day, net of the credit notes issued to them then; those making
/// the first 80 % of revenue are A, the next 15 % B, the rest (and customers without revenue) C.
public enum ABCClass {
    public static func classify(_ book: Book, asOf day: Day) -> [CustomerID: Character] {
        let start = day.adding(months: -12)
        var credited: [CustomerID: Int64] = [:]  // one pass over the credit notes, not one per customer
        for note in book.creditNotes.values where note.day > start && note.day <= day { credited[note.customer, default: 0] += note.amount.minorUnits }
        // Invoices are read in place by position (copying a million of them cost more than the sums).
        let revenue: [(CustomerID, Int64)] = book.invoiceList.withUnsafeBufferPointer { invoices in
            book.mapPlacesOnAllCores { place, book in
                var sum: Int64 = 0
                for position in book.ledgers[place].invoices where invoices[position].issued > start && invoices[position].issued <= day {
                    sum += invoices[position].amount.minorUnits
                }
                let id = book.ledgers[place].customer.id
                return (id, max(0, sum - (credited[id] ?? 0)))
            }
        }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        let total = revenue.reduce(Int64(0)) { $0 + $1.1 }
        var result: [CustomerID: Character] = [:]
        result.reserveCapacity(revenue.count)
        var running: Int64 = 0
        for (id, amount) in revenue {
            // The class is decided by where the customer's revenue starts in the cumulative share.
            let share = total > 0 ? running * 100 / total : 100
            result[id] = amount == 0 ? "C" : share < 80 ? "A" : share < 95 ? "B" : "C"
            running += amount
        }
        return result
    }
}
