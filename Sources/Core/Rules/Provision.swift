/// Bad-debt provision by matrix [坏账准备]: Σ bucket balance × loss rate, rounded half away from
/// zero to the minor unit. Two matrices: collections (not due + days past due) and accounting
/// (days since issue: ≤1, 1–2, 2–3, >3 years in Chinese practice).
public struct Provision: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var label: String
        public var balance: Money
        public var ratePPM: Int
        public var provision: Money
    }
    public var lines: [Line]
    public var total: Money { lines.reduce(.zero) { $0 + $1.provision } }

    public init(balances: [(label: String, balance: Money)], ratesPPM: [Int]) {
        lines = zip(balances, ratesPPM).map { item, rate in
            Line(label: item.label, balance: item.balance, ratePPM: rate, provision: item.balance.scaled(by: Int64(rate), over: 1_000_000))
        }
    }

    public static func collections(_ report: AgingReport, policy: Policy) -> Provision {
        Provision(balances: zip(report.labels, report.totals).map { ($0, $1) }, ratesPPM: policy.collectionLossRatesPPM)
    }

    public static func accounting(_ report: AgingReport, policy: Policy) -> Provision {
        Provision(balances: zip(report.labels, report.totals).map { ($0, $1) }, ratesPPM: policy.accountingLossRatesPPM)
    }
}
