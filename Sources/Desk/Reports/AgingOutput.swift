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
            let credits = creditByCustomer
            func customer(_ id: CustomerID, total: Money, amounts: [Money]) -> JSONValue {
                let credit = credits[id] ?? .zero
                return .object([
                    "id": .string(id), "name": .string(book.customers[id]?.name ?? ""),
                    "total": .string(amount(total)), "buckets": buckets(amounts),
                    "credit": .string(amount(credit)), "net": .string(amount(total - credit)),
                ])
            }
            let listed = Set(report.rows.map(\.customer))
            object["customers"] = .array(report.rows.map { customer($0.customer, total: $0.total, amounts: $0.buckets) }
                + report.credits.filter { !listed.contains($0.customer) }.map { customer($0.customer, total: .zero, amounts: report.labels.map { _ in .zero }) })
        }
        return JSONWriter.string(.object(object))
    }

    /// Each customer's unapplied credit as of the report's day.
    var creditByCustomer: [CustomerID: Money] { Dictionary(report.credits.map { ($0.customer, $0.amount) }, uniquingKeysWith: +) }

    func buckets(_ amounts: [Money]) -> JSONValue {
        .array(zip(report.labels, amounts).map { .object(["label": .string($0), "amount": .string(amount($1))]) })
    }

    public func table(byCustomer: Bool) -> ReportTable {
        let title = "Aging as of \(report.asOf.iso) by \(report.basis == .due ? "days past due" : "days since issue") (\(book.currency.code), \(report.openItems) open items)"
        var columns: [ReportTable.Column] = byCustomer ? [.init("customer"), .init("name")] : [.init("")]
        columns += report.labels.map { .init($0, key: $0, .right) } + [.init("total", .right)]
        let credits = creditByCustomer
        let showCredit = !credits.isEmpty
        if showCredit { columns += [.init("credit", .right), .init("net", .right)] }
        var table = ReportTable(title: title, columns: columns)
        func withCredit(_ total: Money, _ credit: Money) -> [String] { showCredit ? [amount(total), amount(credit), amount(total - credit)] : [amount(total)] }
        if byCustomer {
            var listed = Set<CustomerID>()
            for row in report.rows {
                listed.insert(row.customer)
                table.rows.append([row.customer, book.customers[row.customer]?.name ?? ""] + row.buckets.map(amount)
                                  + withCredit(row.total, credits[row.customer] ?? .zero))
            }
            // Customers with credit and nothing open still owe less than nothing: listed too.
            for (customer, credit) in report.credits where !listed.contains(customer) {
                table.rows.append([customer, book.customers[customer]?.name ?? ""] + report.labels.map { _ in amount(.zero) } + withCredit(.zero, credit))
            }
            table.rows.append(["", "total"] + report.totals.map(amount) + withCredit(report.total, report.creditTotal))
        } else {
            table.rows.append(["total"] + report.totals.map(amount) + withCredit(report.total, report.creditTotal))
        }
        return table
    }
}
