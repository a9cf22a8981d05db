/// By which date an item's age is counted.
public enum AgingBasis: String, Sendable, CaseIterable {
    /// Days past the due date (collections); a "not due" column comes first.
    case due
    /// Days since issue (accounting and provision).
    case issue
}

/// Open items grouped into buckets as of a day. The buckets always add up to the outstanding total.
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
    public private(set) var rows: [Row] = []
    public private(set) var openItems = 0
    public var total: Money { totals.reduce(.zero, +) }

    public init(book: Book, policy: Policy, asOf: Day, basis: AgingBasis = .due) {
        self.asOf = asOf
        self.basis = basis
        let buckets = basis == .due ? policy.collectionBuckets : policy.accountingBuckets
        labels = (basis == .due ? ["not due"] : []) + buckets.map(\.label)
        totals = Array(repeating: .zero, count: labels.count)
        var items: [OpenItem] = []
        for id in book.customerOrder {
            items.removeAll(keepingCapacity: true)
            for invoice in book.invoices(of: id) where invoice.issued <= asOf {
                OpenItems.append(invoice, book: book, asOf: asOf, into: &items)
            }
            guard !items.isEmpty else { continue }
            var row = Row(customer: id, total: .zero, buckets: Array(repeating: .zero, count: labels.count))
            for item in items {
                let index = AgingReport.bucketIndex(item, basis: basis, buckets: buckets)
                row.buckets[index] += item.open
                row.total += item.open
                totals[index] += item.open
            }
            openItems += items.count
            rows.append(row)
        }
    }

    /// One customer's open amounts per column (labels as in a report on the same basis).
    public static func columns(of customer: CustomerID, book: Book, policy: Policy, asOf: Day,
                               basis: AgingBasis = .due) -> [(label: String, amount: Money)] {
        let buckets = basis == .due ? policy.collectionBuckets : policy.accountingBuckets
        let labels = (basis == .due ? ["not due"] : []) + buckets.map(\.label)
        var amounts = [Money](repeating: .zero, count: labels.count)
        for item in OpenItems.of(customer, in: book, asOf: asOf) {
            amounts[bucketIndex(item, basis: basis, buckets: buckets)] += item.open
        }
        return zip(labels, amounts).map { ($0, $1) }
    }

    /// Which column an item falls in; days beyond every bucket land in the last one.
    public static func bucketIndex(_ item: OpenItem, basis: AgingBasis, buckets: [AgingBucket]) -> Int {
        switch basis {
        case .due:
            if item.daysPastDue <= 0 { return 0 }
            return (buckets.firstIndex { $0.contains(item.daysPastDue) } ?? buckets.count - 1) + 1
        case .issue:
            return buckets.firstIndex { $0.contains(max(0, item.daysSinceIssue)) } ?? buckets.count - 1
        }
    }
}
