import Core
import Desk

/// The manager's dashboard figures: computed when the dashboard is first shown after a change of
/// the book (twelve month-end agings are too much for every keystroke).
struct PortfolioView: Sendable {
    let sequence: UInt64
    let aging: AgingReport
    let kpis: PortfolioKPIs
    let trend: [PortfolioKPIs]
    let collections: Provision
    let accounting: Provision
    let collectors: [CollectorFigures]
    let keptRate: (count: Int?, amount: Int?)

    init(book: Book, policy: Policy, asOf: Day) {
        sequence = book.lastSequence
        aging = AgingReport(book: book, policy: policy, asOf: asOf)
        trend = PortfolioKPIs.trend(book: book, policy: policy, asOf: asOf)
        kpis = trend.last!  // the trend ends with the day's own figures
        collections = .collections(aging, policy: policy)
        accounting = .accounting(AgingReport(book: book, policy: policy, asOf: asOf, basis: .issue), policy: policy)
        collectors = CollectorFigures.compute(book: book, from: asOf.adding(days: -29), to: asOf)
        let judged = Promises.judgeAll(in: book, asOf: asOf)
        keptRate = Promises.keptRate(judged, judgedWithin: 90, asOf: asOf)
    }
}

/// ▁▂▃▄▅▆▇█ for a series of values (nil shown as a space).
func sparkline(_ values: [Int?]) -> String {
    let known = values.compactMap { $0 }
    guard let low = known.min(), let high = known.max() else { return "" }
    let bars = Array("▁▂▃▄▅▆▇█")
    return String(values.map { value in
        guard let value else { return " " }
        return high == low ? bars[3] : bars[(value - low) * (bars.count - 1) / (high - low)]
    })
}
