/// By which date an item's age is counted.
public enum AgingBasis: String, Sendable, CaseIterable {
    /// Days past the due date (collections); a "not due" column comes first.
    case due
    /// Days since issue (accounting and provision).
    case issue
}

/// Open items grouped into buckets as of a day. The buckets always add up to the outstanding total.
/// Customer credit (unapplied cash and credit notes) is shown apart: it does not reduce a bucket.
public struct AgingReport: Sendable {
    public struct Row: Sendable {
        public var customer: CustomerID
        public var total: Money
        public var buckets: [Money]
    }

    public let asOf: Day
    public let basis: AgingBasis
    public let labels: [String]
    public private(set) var totals: [Money]
    /// Customers with open items, in the book's customer order.
    public private(set) var rows: [Row] = []
    public private(set) var openItems = 0
    /// Customers with a credit as of the day (unapplied cash and credit notes), in customer order.
    public private(set) var credits: [(customer: CustomerID, amount: Money)] = []
    public var total: Money { totals.reduce(.zero, +) }
    public var creditTotal: Money { credits.reduce(.zero) { $0 + $1.amount } }

    /// One pass over each customer's invoices; nothing is allocated per open item.
    public init(book: Book, policy: Policy, asOf: Day, basis: AgingBasis = .due) {
        self.asOf = asOf
        self.basis = basis
        let buckets = basis == .due ? policy.collectionBuckets : policy.accountingBuckets
        labels = AgingReport.labels(basis: basis, buckets: buckets)
        totals = Array(repeating: .zero, count: labels.count)
        let columns = labels.count
        let perCustomer = book.mapPlacesOnAllCores { place, book -> (id: CustomerID, row: Row?, items: Int, credit: Money) in
            let id = book.ledgers[place].customer.id
            var row = [Money](repeating: .zero, count: columns)
            var items = 0
            OpenItems.visit(place: place, in: book, asOf: asOf) { _, _, item in
                row[AgingReport.bucketIndex(item, asOf: asOf, basis: basis, buckets: buckets)] += item.open
                items += 1
            }
            let credit = Position.credit(book.ledgers[place].credits, asOf: asOf)
            return (id, items > 0 ? Row(customer: id, total: row.reduce(.zero, +), buckets: row) : nil, items, credit)
        }
        for (id, row, items, credit) in perCustomer {
            if credit.isPositive { credits.append((id, credit)) }
            guard let row else { continue }
            for index in row.buckets.indices { totals[index] += row.buckets[index] }
            rows.append(row)
            openItems += items
        }
    }

    static func labels(basis: AgingBasis, buckets: [AgingBucket]) -> [String] {
        (basis == .due ? ["not due"] : []) + buckets.map(\.label)
    }

    /// One customer's open amounts per column (labels as in a report on the same basis).
    public static func columns(of customer: CustomerID, book: Book, policy: Policy, asOf: Day,
                               basis: AgingBasis = .due) -> [(label: String, amount: Money)] {
        let buckets = basis == .due ? policy.collectionBuckets : policy.accountingBuckets
        let labels = AgingReport.labels(basis: basis, buckets: buckets)
        var amounts = [Money](repeating: .zero, count: labels.count)
        OpenItems.visit(customer, in: book, asOf: asOf) { _, _, item in
            amounts[bucketIndex(item, asOf: asOf, basis: basis, buckets: buckets)] += item.open
        }
        return zip(labels, amounts).map { ($0, $1) }
    }

    /// Which column an item falls in; days beyond every bucket land in the last one.
    public static func bucketIndex(_ item: OpenItem, basis: AgingBasis, buckets: [AgingBucket]) -> Int {
        bucketIndex(daysPastDue: item.daysPastDue, daysSinceIssue: item.daysSinceIssue, basis: basis, buckets: buckets)
    }

    static func bucketIndex(_ item: OpenAmount, asOf: Day, basis: AgingBasis, buckets: [AgingBucket]) -> Int {
        bucketIndex(daysPastDue: asOf.days(since: item.due), daysSinceIssue: asOf.days(since: item.issued), basis: basis, buckets: buckets)
    }

    static func bucketIndex(daysPastDue: Int, daysSinceIssue: Int, basis: AgingBasis, buckets: [AgingBucket]) -> Int {
        switch basis {
        case .due:
            if daysPastDue <= 0 { return 0 }
            return (buckets.firstIndex { $0.contains(daysPastDue) } ?? buckets.count - 1) + 1
        case .issue:
            return buckets.firstIndex { $0.contains(max(0, daysSinceIssue)) } ?? buckets.count - 1
        }
    }
}
