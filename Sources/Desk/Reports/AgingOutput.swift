import Core
import FlatJSON

/// The aging report in the command line's three formats. The JSON shape is a contract:
/// `{"as_of","currency","basis","open_items","total","buckets":[{"label","amount"}]}` and, by
/// customer, `"customers":[{"id","name","total","buckets"}]`. Amounts are decimal strings.
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
        ]
        if byCustomer {
            object["customers"] = .array(report.rows.map { row in
                .object([
                    "id": .string(row.customer), "name": .string(book.customers[row.customer]?.name ?? ""),
                    "total": .string(amount(row.total)), "buckets": buckets(row.buckets),
                ])
            })
        }
        return JSONWriter.string(.object(object))
    }

    func buckets(_ amounts: [Money]) -> JSONValue {
        .array(zip(report.labels, amounts).map { .object(["label": .string($0), "amount": .string(amount($1))]) })
    }

    public func table(byCustomer: Bool) -> ReportTable {
        let title = "Aging as of \(report.asOf.iso) by \(report.basis == .due ? "days past due" : "days since issue") (\(book.currency.code), \(report.openItems) open items)"
        var columns: [ReportTable.Column] = byCustomer ? [.init("customer"), .init("name")] : [.init("")]
        columns += report.labels.map { .init($0, key: $0, .right) } + [.init("total", .right)]
        var table = ReportTable(title: title, columns: columns)
        if byCustomer {
            for row in report.rows {
                table.rows.append([row.customer, book.customers[row.customer]?.name ?? ""] + row.buckets.map(amount) + [amount(row.total)])
            }
            table.rows.append(["", "total"] + report.totals.map(amount) + [amount(report.total)])
        } else {
            table.rows.append(["total"] + report.totals.map(amount) + [amount(report.total)])
        }
        return table
    }
}
