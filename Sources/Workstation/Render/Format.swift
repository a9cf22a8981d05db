import Core
import Desk

/// Number and date formatting for the screen, per language.
struct Format: Sendable {
    let currency: Currency
    let language: Language

    func money(_ m: Money) -> String { currency.format(m, grouping: ",") }

    /// A credit limit, "none" for zero (no limit set).
    func limit(_ m: Money) -> String { m.isPositive ? money(m) : (language == .zh ? "无" : "none") }

    /// Compact money for narrow columns: 1,234,567.89 → 1.23M / 123.5万.
    func short(_ m: Money) -> String {
        let unit = Int64(max(1, pow10(currency.minorDigits)))  // minor units in a whole one
        let units = m.minorUnits / unit
        if language == .zh, abs(units) >= 100_000_000 { return oneDecimal(m.minorUnits, per: 100_000_000 * unit) + "亿" }
        if language == .zh, abs(units) >= 100_000 { return oneDecimal(m.minorUnits, per: 10_000 * unit) + "万" }
        if abs(units) >= 1_000_000_000 { return oneDecimal(m.minorUnits, per: 1_000_000_000 * unit) + "B" }
        if abs(units) >= 1_000_000 { return oneDecimal(m.minorUnits, per: 1_000_000 * unit) + "M" }
        return currency.format(Money(minorUnits: units * unit), grouping: ",")
            .split(separator: ".").first.map(String.init) ?? ""
    }

    /// A figure kept in hundredths, as it is read: 205 → "2.05"; nil → "-".
    static func hundredths(_ value: Int?) -> String { PortfolioOutput.hundredths(value) }

    func percent(basisPoints: Int?) -> String {
        guard let bp = basisPoints else { return "-" }
        return "\(KPI.wholePercent(bp))%"
    }

    func day(_ d: Day?) -> String { d?.iso ?? "-" }

    private func oneDecimal(_ minor: Int64, per unit: Int64) -> String {
        let tenths = Rounding.divide(minor * 10, by: unit)
        return "\(tenths / 10).\(abs(tenths % 10))"
    }

    private func pow10(_ n: Int) -> Int { (0..<n).reduce(1) { acc, _ in acc * 10 } }
}
