import Core
import FlatJSON

/// The credit manager's portfolio reports as tables (text and CSV) with the same rows as JSON.
public enum PortfolioOutput {
    /// A figure kept in hundredths, as it is read: 205 → "2.05", -5 → "-0.05"; nil → "-".
    public static func hundredths(_ value: Int?) -> String {
        guard let value else { return "-" }
        let sign = value < 0 ? "-" : ""
        let v = abs(value)
        return "\(sign)\(v / 100).\(v % 100 < 10 ? "0" : "")\(v % 100)"
    }

    /// A percentage in hundredths with its sign, "-" when there is none (no AR to divide by).
    static func percent(_ value: Int?) -> String { value == nil ? "-" : hundredths(value) + "%" }

    /// `keptRate`: promises kept by count and by amount (basis points) over those judged in the
    /// last 90 days, as the dashboard shows them.
    public static func kpi(_ k: PortfolioKPIs, trend: [PortfolioKPIs], keptRate: (count: Int?, amount: Int?) = (nil, nil),
                           currency: Currency) -> ReportTable {
        let money = { (m: Money) in currency.format(m) }  // as the aging report: plain digits, for CSV and JSON readers
        // In CSV and JSON the unit of each value (the currency, days, percent) beside it; JSON gives the digits.
        var table = ReportTable(title: "Portfolio KPIs as of \(k.asOf.iso) (\(currency.code))", columns: [
            .init("figure"), .init("value", .right, kind: .percent), .init("unit", inText: false), .init("convention"),
        ])
        let code = currency.code
        table.rows = [
            ["receivables", money(k.receivables), code, "open invoices as of the day, as the aging"],
            ["current (not due)", money(k.current), code, ""],
            ["past due", money(k.pastDue), code, ""],
            ["unapplied credit", money(k.credit), code, "unapplied cash and credit notes, not taken off the receivables"],
            ["receivables net of credit", money(k.netReceivables), code, "each customer's open invoices less its own unapplied credit, oldest first, never below zero (the DSO, CEI and shares are of these; the aging's net takes all credit off the total)"],
            ["fees and interest open", money(k.chargesOpen), code, "billed by dunning letters, kept apart from the receivables"],
            ["credit sales, last 90 days", money(k.salesLast90Days), code, "invoices issued, less credit notes"],
            ["DSO (count-back)", hundredths(k.dsoCountBack), "days", "days; calendar months newest first, current month by elapsed days"],
            ["DSO (simple)", hundredths(k.dsoSimple), "days", "days; AR / sales of the last 90 days x 90"],
            ["best possible DSO", hundredths(k.bestPossibleDSO), "days", "days; not-due AR / sales of the last 90 days x 90"],
            ["ADD", hundredths(k.averageDaysDelinquent), "days", "days; simple DSO - best possible DSO"],
            ["CEI", percent(k.cei), "percent", "this calendar month to the day; write-offs count as collected, a payment returned as uncollected, credit notes as sales taken back"],
            ["% current", percent(k.percentCurrent), "percent", "not-due AR / AR"],
            ["overdue rate", percent(k.overdueRate), "percent", "past-due AR / AR"],
            ["promises kept", percent(keptRate.count), "percent", "by count, of the promises judged in the last 90 days (past their date and tolerance)"],
            ["promises kept by amount", percent(keptRate.amount), "percent", "paid of what was promised, of the same promises"],
        ]
        // The 12-month trend as rows, so the CSV and JSON carry it as the table does.
        for month in trend {
            table.rows.append(["DSO (simple) at \(month.asOf.iso)", hundredths(month.dsoSimple), "days", trendNote(month.asOf, k.asOf)])
        }
        for month in trend {
            table.rows.append(["overdue rate at \(month.asOf.iso)", percent(month.overdueRate), "percent", trendNote(month.asOf, k.asOf)])
        }
        return table
    }

    /// A trend point's convention: month ends, and the report's own day last.
    static func trendNote(_ day: Day, _ asOf: Day) -> String { day == asOf ? "trend, the report's day" : "trend, month end" }

    public static func provision(collections: Provision, accounting: Provision, currency: Currency, asOf: Day) -> ReportTable {
        let money = { (m: Money) in currency.format(m) }  // as the aging report: plain digits, for CSV and JSON readers
        var table = ReportTable(title: "Provision matrices as of \(asOf.iso) (\(currency.code))", columns: [
            .init("matrix"), .init("bucket"), .init("balance", .right), .init("loss rate", key: "loss_rate_percent", .right, kind: .percent),
            .init("provision", .right),
        ])
        for (name, matrix) in [("collections", collections), ("accounting", accounting)] {
            for line in matrix.lines {
                let rate = "\(line.ratePPM / 10_000).\(String(format: "%04d", line.ratePPM % 10_000))%"
                table.rows.append([name, line.label, money(line.balance), rate, money(line.provision)])
            }
            table.rows.append([name, "total", money(matrix.lines.reduce(.zero) { $0 + $1.balance }), "", money(matrix.total)])
        }
        return table
    }

    public static func collectors(_ figures: [CollectorFigures], from: Day, to: Day, currency: Currency) -> ReportTable {
        let money = { (m: Money) in currency.format(m) }  // as the aging report: plain digits, for CSV and JSON readers
        var table = ReportTable(title: "Collectors from \(from.iso) to \(to.iso) (\(currency.code))", columns: [
            .init("collector"), .init("customers", .right, kind: .count), .init("contacts", .right, kind: .count),
            .init("reached", .right, kind: .count),
            // Worked in the period against the customers of theirs in the queue on its last day.
            .init("worked", .right, kind: .count), .init("queued \(to.iso)", key: "queued", .right, kind: .count),
            // Taken in the period; judged in it (due and past tolerance, whenever taken), how many
            // were kept in full (the PTP kept rate), and what was promised and kept, by amount.
            .init("promises", .right, kind: .count), .init("judged", key: "promises_due", .right, kind: .count),
            .init("kept in full", key: "promises_kept", .right, kind: .count),
            .init("kept % of judged", key: "kept_rate_percent", .right, kind: .percent),
            .init("judged promised", key: "promised", .right), .init("of it kept", key: "kept", .right),
            .init("kept % of amount", key: "kept_percent", .right, kind: .percent),
            .init("cash collected", key: "cash_collected", .right),
        ])
        func row(_ name: String, _ f: CollectorFigures) -> [String] {
            [name, String(f.customers), String(f.contacts), String(f.reached), String(f.itemsWorked), f.queued.map(String.init) ?? "",
             String(f.promisesTaken), String(f.promisesDue), String(f.promisesKept), percent(KPI.share(f.promisesKept, of: f.promisesDue)),
             money(f.promisedAmount), money(f.promisedAmountKept),
             percent(KPI.share(f.promisedAmountKept, of: f.promisedAmount)), money(f.cashCollected)]
        }
        for f in figures {
            // The customers of no collector: their cash (net of returns) is no one's.
            table.rows.append(row(f.collector.isEmpty ? "(no collector)" : f.collector, f))
        }
        if figures.count > 1 { table.rows.append(row("total", CollectorFigures.total(of: figures))) }
        return table
    }

    /// Risk signals, and "hold advised" for an active customer the policy's hold rules
    /// (over limit, days past due by grade) say should be on hold.
    public static func risk(book: Book, asOf day: Day, policy: Policy = .standard) -> ReportTable {
        var table = ReportTable(title: "Risk signals as of \(day.iso)", columns: [
            .init("customer"), .init("name"), .init("signal"), .init("detail"),
        ])
        // Positions and signals on every core, then the rows in the book's order.
        let ids = book.customerOrder
        let positions = ids.mapOnAllCores { Position($0, in: book, asOf: day) }
        let signals = RiskSignals.byCustomer(in: book, asOf: day, positions: Dictionary(uniqueKeysWithValues: zip(ids, positions)))
        for (id, position) in zip(ids, positions) {
            guard let customer = book.customer(id, asOf: day), customer.status != .closed else { continue }  // as it stood that day
            if customer.status == .active {
                let reasons = Credit.holdCheck(customer, position: position, policy: policy)
                if !reasons.isEmpty { table.rows.append([id, customer.name, "hold advised", reasons.map { $0.text(in: book.currency) }.joined(separator: "; ")]) }
            }
            for signal in signals[id] ?? [] {
                table.rows.append([id, customer.name, signal.kind.rawValue, signal.detail])
            }
        }
        return table
    }

    /// A table as JSON: `{"title", "as_of", "currency", "rows":[{column: value}]}`, counts as numbers.
    public static func json(_ table: ReportTable, asOf: Day, currency: Currency) -> String {
        JSONWriter.string(.object(["title": .string(table.title), "as_of": .string(asOf.iso), "currency": .string(currency.code),
                                   "rows": table.jsonRows]))
    }
}
