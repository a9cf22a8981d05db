import Core
import FlatJSON

/// The aging report in the command line's three formats. The JSON shape is a contract:
/// `{"as_of","currency","basis","open_items","total","buckets":[{"label","amount"}],"credit","net"}`
/// and, by customer, `"customers":[{"id","name","total","buckets","credit","net"}]`. Amounts are
/// decimal strings. `credit` is unapplied cash and credit notes (DOMAIN: shown as a credit on the
/// customer), `net` the total less it; the table shows both columns when any credit exists.
public struct AgingOutput {
    public let report: AgingReport
    public let book: Book

    public init(report: AgingReport, book: Book) { self.report = report; self.book = book }

    func amount(_ m: Money) -> String { book.currency.format(m) }

    public func json(byCustomer: Bool) -> String {
        var object: JSONObject = [
            "as_of": .string(report.asOf.iso), "currency": .string(book.currency.code), "basis": .string(report.basis.rawValue),
            "open_items": .int(Int64(report.openItems)), "total": .string(amount(report.total)),
            "buckets": buckets(report.totals),
            "credit": .string(amount(report.creditTotal)), "net": .string(amount(report.total - report.creditTotal)),
        ]
        if byCustomer {
            object["customers"] = .array(customerRows.map { row in
                .object([
                    "id": .string(row.id), "name": .string(book.customers[row.id]?.name ?? ""),
                    "total": .string(amount(row.total)), "buckets": buckets(row.buckets),
                    "credit": .string(amount(row.credit)), "net": .string(amount(row.total - row.credit)),
                ])
            })
        }
        return JSONWriter.string(.object(object))
    }

    /// A row per customer with open items, then one per customer with credit and nothing open
    /// (it owes less than nothing: listed too), each with its credit.
    var customerRows: [(id: CustomerID, buckets: [Money], total: Money, credit: Money)] {
        let credits = Dictionary(uniqueKeysWithValues: report.credits.map { ($0.customer, $0.amount) })  // one per customer
        let listed = Set(report.rows.map(\.customer))
        return report.rows.map { ($0.customer, $0.buckets, $0.total, credits[$0.customer] ?? .zero) }
            + report.credits.filter { !listed.contains($0.customer) }.map { ($0.customer, report.labels.map { _ in .zero }, .zero, $0.amount) }
    }

    func buckets(_ amounts: [Money]) -> JSONValue {
        .array(zip(report.labels, amounts).map { .object(["label": .string($0), "amount": .string(amount($1))]) })
    }

    public func table(byCustomer: Bool) -> ReportTable {
        let title = "Aging as of \(report.asOf.iso) by \(report.basis == .due ? "days past due" : "days since issue") (\(book.currency.code), \(counted(report.openItems, "open item")))"
        var columns: [ReportTable.Column] = byCustomer ? [.init("customer"), .init("name")] : [.init("")]
        columns += report.labels.map { .init($0, key: $0, .right) } + [.init("total", .right)]
        let showCredit = !report.credits.isEmpty
        if showCredit { columns += [.init("credit", .right), .init("net", .right)] }
        var table = ReportTable(title: title, columns: columns)
        func withCredit(_ total: Money, _ credit: Money) -> [String] { showCredit ? [amount(total), amount(credit), amount(total - credit)] : [amount(total)] }
        if byCustomer {
            for row in customerRows {
                table.rows.append([row.id, book.customers[row.id]?.name ?? ""] + row.buckets.map(amount) + withCredit(row.total, row.credit))
            }
            table.rows.append(["", "total"] + report.totals.map(amount) + withCredit(report.total, report.creditTotal))
        } else {
            table.rows.append(["total"] + report.totals.map(amount) + withCredit(report.total, report.creditTotal))
        }
        return table
    }
}
