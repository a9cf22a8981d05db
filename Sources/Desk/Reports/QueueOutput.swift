import Core
import FlatJSON

/// Today's call queue for the command line: each item with its priority and the named rule points
/// that make it up, so a collector (or a manager trying a policy) sees why it is there.
public struct QueueOutput {
    public let items: [QueueItem]
    public let book: Book
    public let asOf: Day

    public init(items: [QueueItem], book: Book, asOf: Day) { self.items = items; self.book = book; self.asOf = asOf }

    func amount(_ m: Money) -> String { book.currency.format(m) }

    static func reasonsText(_ item: QueueItem) -> String {
        item.reasons.map { "\($0.kind.rawValue) +\($0.points)" }.joined(separator: ", ")
    }

    public var table: ReportTable {
        let worked = items.filter(\.worked).count
        var table = ReportTable(title: "Call queue for \(asOf.iso): \(items.count) customer\(items.count == 1 ? "" : "s"), \(worked) worked", columns: [
            .init("#", .right), .init("customer"), .init("name"), .init("priority", .right), .init("to collect", key: "to_collect", .right),
            .init("days", .right), .init("level", .right), .init("why"), .init("due"), .init("worked"), .init("claimed by", key: "claimed_by"),
        ])
        for (index, item) in items.enumerated() {
            let due = [item.callbackDue.map { "callback \($0.iso)" }, item.promiseDue.map { "promise \($0.iso)" }].compactMap { $0 }.joined(separator: " ")
            // Worked in a column of its own: a tick beside the number broke the number column of the CSV.
            table.rows.append([String(index + 1), item.customer, book.customers[item.customer]?.name ?? "",
                               String(item.priority), amount(item.toCollect), String(item.position.oldestDaysPastDue),
                               String(item.level), QueueOutput.reasonsText(item), due, item.worked ? "yes" : "", item.claimedBy ?? ""])
        }
        return table
    }

    public var json: String {
        JSONWriter.string(.object([
            "as_of": .string(asOf.iso), "currency": .string(book.currency.code),
            "items": .array(items.map { item in
                .object([
                    "customer": .string(item.customer), "name": .string(book.customers[item.customer]?.name ?? ""),
                    "collector": book.customers[item.customer]?.collector.map { .string($0) } ?? .null,
                    // Past due all told; what to ask for (less what is disputed and the customer's
                    // unapplied credit, as the workstation's "to collect" and the letters), and what is disputed.
                    "priority": .int(Int64(item.priority)), "past_due": .string(amount(item.position.pastDue)),
                    "to_collect": .string(amount(item.toCollect)), "credit": .string(amount(item.position.credit)),
                    "disputed": .string(amount(item.position.disputed)),
                    "oldest_days_past_due": .int(Int64(item.position.oldestDaysPastDue)), "level": .int(Int64(item.level)),
                    "reasons": .array(item.reasons.map { .object(["reason": .string($0.kind.rawValue), "points": .int(Int64($0.points)), "detail": .string($0.detail(in: book.currency))]) }),
                    "callback_due": item.callbackDue.map { .string($0.iso) } ?? .null,
                    "promise_due": item.promiseDue.map { .string($0.iso) } ?? .null,
                    "worked": .bool(item.worked), "claimed_by": item.claimedBy.map { .string($0) } ?? .null,
                ])
            }),
        ]))
    }
}
