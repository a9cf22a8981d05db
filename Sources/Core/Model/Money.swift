/// An amount in integer minor units (fen, cents) of the book's currency. Never floating point.
public struct Money: Hashable, Comparable, Sendable, AdditiveArithmetic, CustomStringConvertible {
    public var minorUnits: Int64

    public init(minorUnits: Int64) { self.minorUnits = minorUnits }

    public static let zero = Money(minorUnits: 0)
    public static func + (a: Money, b: Money) -> Money { Money(minorUnits: a.minorUnits + b.minorUnits) }
    public static func - (a: Money, b: Money) -> Money { Money(minorUnits: a.minorUnits - b.minorUnits) }
    public static func += (a: inout Money, b: Money) { a.minorUnits += b.minorUnits }
    public static func -= (a: inout Money, b: Money) { a.minorUnits -= b.minorUnits }
    public static prefix func - (a: Money) -> Money { Money(minorUnits: -a.minorUnits) }
    public static func < (a: Money, b: Money) -> Bool { a.minorUnits < b.minorUnits }

    public var isPositive: Bool { minorUnits > 0 }
    public var isNegative: Bool { minorUnits < 0 }

    /// `self × numerator / denominator`, rounded half away from zero, in exact integer arithmetic.
    public func scaled(by numerator: Int64, over denominator: Int64) -> Money {
        Money(minorUnits: Rounding.divide(minorUnits.multipliedFullWidth(by: numerator), by: denominator))
    }

    public var description: String { Currency.cny.format(self) }
}

/// Integer division with half-away-from-zero rounding, on a double-width dividend so that
/// amount × rate × days cannot overflow.
public enum Rounding {
    public static func divide(_ n: (high: Int64, low: UInt64), by d: Int64) -> Int64 {
        precondition(d != 0, "division by zero")
        let negative = (n.high < 0) != (d < 0)
        let magnitude = absolute(n)
        let divisor = d.magnitude
        let (q, r) = divisor.dividingFullWidth(magnitude)
        let rounded = r >= divisor - r ? q + 1 : q  // r*2 >= divisor, without overflow
        return negative ? -Int64(rounded) : Int64(rounded)
    }

    /// The same for a 128-bit dividend (amount × days × rate); a quotient past 64 bits is
    /// clamped, which no bounded book reaches.
    public static func divide(_ n: Int128, by d: Int64) -> Int64 {
        precondition(d != 0, "division by zero")
        let divisor = Int128(d)
        var (q, r) = n.quotientAndRemainder(dividingBy: divisor)
        if r.magnitude >= divisor.magnitude - r.magnitude { q += (n < 0) != (d < 0) ? -1 : 1 }  // 2|r| >= |d|
        return Int64(clamping: q)
    }

    public static func divide(_ n: Int64, by d: Int64) -> Int64 {
        divide(n.multipliedFullWidth(by: 1), by: d)
    }

    private static func absolute(_ n: (high: Int64, low: UInt64)) -> (high: UInt64, low: UInt64) {
        if n.high >= 0 { return (UInt64(n.high), n.low) }
        // Two's complement negation of the 128-bit value.
        let low = ~n.low &+ 1
        let high = ~UInt64(bitPattern: n.high) &+ (low == 0 ? 1 : 0)
        return (high, low)
    }
}

/// An ISO 4217 currency: its code and how many minor digits it has.
public struct Currency: Hashable, Sendable {
    public let code: String
    public let minorDigits: Int

    public init(code: String, minorDigits: Int = 2) {
        self.code = code
        self.minorDigits = minorDigits
    }

    public static let cny = Currency(code: "CNY")

    /// Currencies whose minor unit is not a hundredth (ISO 4217).
    static let unusualDigits: [String: Int] = [
        "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0, "RWF": 0,
        "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
        "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
        "CLF": 4, "UYW": 4,
    ]

    /// The other active ISO 4217 codes (a hundredth as minor unit).
    static let hundredths: Set<String> = Set("""
        AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD
        CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD
        GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA
        MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR
        RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD
        TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG
        """.split(whereSeparator: \.isWhitespace).map(String.init))

    /// Nil unless `code` is an active ISO 4217 code (a typo such as "CYN" would make a book in
    /// no currency at all), with its minor digits.
    public init?(isoCode code: String) {
        if let digits = Currency.unusualDigits[code] {
            self.init(code: code, minorDigits: digits)
        } else if Currency.hundredths.contains(code) {
            self.init(code: code, minorDigits: 2)
        } else {
            return nil
        }
    }

    /// The ISO code of what a file or a user may write for a currency: the code in any case, or
    /// a common name (`RMB`, `人民币`, `美元`): one currency, not another.
    public static func isoCode(for written: String) -> String {
        let code = written.filter { !$0.isWhitespace }.uppercased()  // a code or a name has no space within
        return Currency.commonNames[code] ?? code
    }

    static let commonNames: [String: String] = [
        "RMB": "CNY", "人民币": "CNY", "人民币元": "CNY", "美元": "USD", "港币": "HKD", "港元": "HKD", "日元": "JPY",
        "欧元": "EUR", "英镑": "GBP", "新台币": "TWD", "澳门币": "MOP", "新加坡元": "SGD",
    ]

    /// Minor units in one unit of the currency (100 for yuan, 1 for yen).
    public var scale: Int64 { (0..<minorDigits).reduce(1) { acc, _ in acc * 10 } }

    /// "5119.85" (no grouping; the format reports and the journal use).
    public func format(_ money: Money) -> String { format(money, grouping: nil) }

    /// "5,119.85" with a grouping separator.
    public func format(_ money: Money, grouping: Character?) -> String {
        let negative = money.minorUnits < 0
        let magnitude = money.minorUnits.magnitude
        let scale = UInt64(self.scale)
        var whole = String(magnitude / scale)
        if let grouping, whole.count > 3 {
            var grouped = ""
            for (index, ch) in whole.enumerated() {
                if index > 0, (whole.count - index) % 3 == 0 { grouped.append(grouping) }
                grouped.append(ch)
            }
            whole = grouped
        }
        var text = (negative ? "-" : "") + whole
        if minorDigits > 0 {
            let fraction = String(magnitude % scale)
            text += "." + String(repeating: "0", count: minorDigits - fraction.count) + fraction
        }
        return text
    }

    /// The signs an amount in this currency may be written with ("¥", "RMB" for yuan). Another
    /// currency's sign makes a text not an amount of this one: "$1,000" is not CNY 1,000.
    var signs: [String] {
        switch code {
        case "CNY": return ["¥", "￥", "RMB"]
        case "JPY": return ["¥", "￥"]
        case "USD", "HKD", "SGD", "AUD", "CAD", "NZD", "TWD": return ["$"]
        case "EUR": return ["€"]
        case "GBP": return ["£"]
        default: return []
        }
    }

    /// Parses "1,234.5", "¥1234.50", "-12", "1 234,00" is refused (ambiguous). Nil when not an amount
    /// or when it has more decimals than the currency allows, or another currency's sign.
    public func parse(_ raw: String) -> Money? {
        let limits = limits(of: raw)
        var text = limits.number
        // 1万2千, 1万2000: the ten thousands, then what follows them (never signed: -1万2千 is unclear).
        if let mark = text.firstIndex(of: "万"), limits.unit != "万" {
            let head = String(text[..<mark]), tail = String(text[text.index(after: mark)...])
            guard !head.hasPrefix("-"), !tail.isEmpty, !Currency.unclearTenThousands(text, unit: limits.unit),
                  let tens = parse(head + "万"), let rest = parse(tail + (limits.unit ?? "")),
                  !rest.isNegative, rest.minorUnits < 10_000 * scale else { return nil }
            return tens + rest
        }
        var negative = false
        if text.hasPrefix("-") { negative = true; text.removeFirst() }
        if text.hasPrefix("(") && text.hasSuffix(")") { negative = true; text = String(text.dropFirst().dropLast()) }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard !text.isEmpty, parts.count <= 2 else { return nil }
        let wholePart = parts[0]
        let groups = wholePart.split(separator: ",", omittingEmptySubsequences: false)
        if groups.count > 1 {
            // Thousands separators must sit every three digits.
            guard !groups[0].isEmpty, groups[0].count <= 3, groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
        }
        let digits = groups.joined()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.count <= limits.wholeDigits else { return nil }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.allSatisfy({ $0.isASCII && $0.isNumber }), fraction.count <= limits.decimals,
              parts.count == 1 || !fraction.isEmpty else { return nil }
        fraction += String(repeating: "0", count: limits.decimals - fraction.count)
        guard let whole = Int64(digits), let minor = Int64(fraction.isEmpty ? "0" : fraction) else { return nil }
        let value = whole * scale * limits.multiplier + minor
        return Money(minorUnits: negative ? -value : value)
    }

    /// `1万2`: one digit after the ten thousands and no unit, said for 12,000 as often as meant
    /// as 10,002 (`number` as `limits` leaves it, `unit` the one typed at its end).
    public static func unclearTenThousands(_ number: String, unit: String?) -> Bool {
        guard unit == nil, let mark = number.firstIndex(of: "万") else { return false }
        return number[number.index(after: mark)...].count == 1
    }

    /// `3千5`: the same with thousands, said for 3,500 as often as meant as 3,005.
    public static func unclearThousands(_ number: String, unit: String?) -> Bool {
        guard unit == nil, !number.contains("万"), let mark = number.firstIndex(of: "千") else { return false }
        let after = number[number.index(after: mark)...]
        return after.count == 1 && after.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Digits before the decimal point an amount may have (the book's totals stay within Int64).
    public static let mostWholeDigits = 15

    /// Why `parse` refused `raw`, after "… is not an amount in CNY": too many digits, too many
    /// decimals, or an example of what is read.
    public func refusal(of raw: String) -> String {
        let limits = limits(of: raw)
        let parts = limits.number.split(separator: ".", omittingEmptySubsequences: false)
        let digit = { (c: Character) in c.isASCII && c.isNumber }
        if parts[0].filter(digit).count > limits.wholeDigits {
            return "too large: at most \(limits.wholeDigits) digits before the decimal point" + (limits.unit.map { " with \($0)" } ?? "")
        }
        if Currency.unclearTenThousands(limits.number, unit: limits.unit) {
            return "said for 12,000 as often as meant as 10,002: write 1.2万, 1万2千 or 10,002"
        }
        if Currency.unclearThousands(limits.number, unit: limits.unit) {
            return "said for 3,500 as often as meant as 3,005: write 3.5千, 3,500 or 3,005"
        }
        if parts.count == 2, parts[1].allSatisfy(digit), parts[1].count > limits.decimals {
            // 1.200 typed for twelve hundred (a European habit): which mark is which.
            let grouping = parts[1].count == 3 && limits.unit == nil ? " ('.' is the decimal point, ',' groups thousands: 1,200)" : ""
            return limits.decimals == 0 ? "\(code) has no decimals" : "at most \(limits.decimals) decimals" + (limits.unit.map { " with \($0)" } ?? grouping)
        }
        return "e.g. 1,234.50"
    }

    /// The number in what was typed (the currency's sign or code before or after it, and 万 or 千,
    /// taken off), and the decimals and whole digits it may have: 万 (ten thousands, as Chinese
    /// amounts are said: 1.2万, 3万元) allows four more decimals and four fewer digits, 千
    /// (thousands: 3千) three; `unit` is the one typed and `multiplier` what it stands for.
    public func limits(of raw: String) -> (number: String, decimals: Int, wholeDigits: Int, unit: String?, multiplier: Int64) {
        var text = raw.halfWidth.trimmingSpaces
        for sign in signs + [code] where text.hasPrefix(sign) {
            text = String(text.dropFirst(sign.count)).trimmingSpaces
        }
        // Or after it, as written in words: 1,234.00 CNY, 1,234.00元.
        for suffix in [code] + (code == "CNY" ? ["元", "RMB"] : code == "JPY" ? ["円"] : []) where text.hasSuffix(suffix) {
            text = String(text.dropLast(suffix.count)).trimmingSpaces
        }
        guard let (unit, digits) = [("万", 4), ("千", 3)].first(where: { text.hasSuffix($0.0) }) else {
            return (text, minorDigits, Currency.mostWholeDigits, nil, 1)
        }
        text = String(text.dropLast()).trimmingSpaces
        var multiplier: Int64 = 1
        for _ in 0..<digits { multiplier *= 10 }
        return (text, minorDigits + digits, Currency.mostWholeDigits - digits, unit, multiplier)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
