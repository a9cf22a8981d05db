import Core
import Foundation
import TOMLKit
import TOMLPlaces

/// The policy file's values read by type (whole numbers, amounts, percentages, aging buckets),
/// each refused with its key named when it is not what the setting takes.
extension PolicyReader {
    func known(_ t: TOMLTable, _ prefix: String, _ keys: Set<String>) throws {
        if let unknown = t.keys.first(where: { !keys.contains($0) }) {
            throw fail(prefix + unknown, "is not a policy setting (known here: \(keys.sorted().joined(separator: ", ")))")
        }
    }

    func table(_ t: TOMLTable, _ key: String, prefix: String = "") throws -> TOMLTable? {
        guard let value = t[key] else { return nil }
        guard let table = value.table else { throw fail(prefix + key, "must be a table") }
        return table
    }

    func int(_ t: TOMLTable, _ key: String, _ range: ClosedRange<Int>, prefix: String = "") throws -> Int? {
        guard let value = t[key] else { return nil }
        guard let v = value.int, range.contains(v) else {
            // "5" is text to TOML: a number is written bare.
            let quoted = value.string.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.flatMap { range.contains($0) ? $0 : nil }
                .map { "; write it without quotes: \(key) = \($0)" } ?? ""
            throw fail(prefix + key, "must be a whole number from \(range.lowerBound) to \(range.upperBound)" + quoted)
        }
        return v
    }

    func ints(_ t: TOMLTable, _ path: String, count: Int) throws -> [Int]? {
        let key = String(path.split(separator: ".").last!)
        guard let value = t[key] else { return nil }
        guard let array = value.array, array.count == count else { throw fail(path, "must be a list of \(count) whole numbers") }
        return try array.map { item in
            guard let v = item.int else { throw fail(path, "must be a list of \(count) whole numbers") }
            return v
        }
    }

    /// Money as a string ("100.00"), never a TOML float.
    func money(_ t: TOMLTable, _ key: String, prefix: String = "") throws -> Money? {
        let path = prefix + key
        guard let value = t[key] else { return nil }
        guard let text = value.string else { throw fail(path, "must be an amount in quotes, e.g. \"100.00\"") }
        guard let money = currency.parse(text) else {
            throw fail(path, "\"\(text)\" is not an amount of \(currency.code) (at most \(currency.minorDigits) decimals, e.g. \"\(currency.format(Money(minorUnits: 100 * currency.scale)))\")")
        }
        guard !money.isNegative else { throw fail(path, "cannot be below zero") }
        return money
    }

    /// "8.695%" -> parts per million (86950).
    func percent(_ t: TOMLTable, _ key: String, prefix: String = "") throws -> Int? {
        let path = prefix + key
        guard let value = t[key] else { return nil }
        guard let text = value.string else { throw fail(path, "must be a percentage in quotes, e.g. \"10%\"") }
        guard let ppm = PolicyReader.partsPerMillion(text) else { throw fail(path, PolicyReader.percentProblem(text)) }
        return ppm
    }

    /// What is wrong with a percentage text, in words.
    static func percentProblem(_ text: String) -> String {
        guard text.hasSuffix("%") else { return "\"\(text)\" is not a percentage: write it with %, e.g. \"10%\"" }
        if text.hasPrefix("-") { return "\"\(text)\": a percentage cannot be below zero" }
        return "\"\(text)\" is not a percentage from 0% to 100% with at most four decimals"
    }

    static func partsPerMillion(_ text: String) -> Int? {
        guard text.hasSuffix("%") else { return nil }
        let number = Currency(code: "PCT", minorDigits: 4).parse(String(text.dropLast()))
        guard let number, !number.isNegative, number.minorUnits <= 1_000_000 else { return nil }
        return Int(number.minorUnits)
    }

    func rates(_ t: TOMLTable, _ path: String) throws -> [Int]? {
        let key = String(path.split(separator: ".").last!)
        guard let value = t[key] else { return nil }
        guard let array = value.array else { throw fail(path, "must be a list of percentages") }
        return try array.enumerated().map { index, item in
            guard let text = item.string else { throw fail(path, "must be a list of percentages in quotes, e.g. [\"2%\", \"4%\"]") }
            guard let ppm = PolicyReader.partsPerMillion(text) else { throw fail(path, "item \(index + 1): " + PolicyReader.percentProblem(text)) }
            return ppm
        }
    }

    func buckets(_ t: TOMLTable, _ path: String, startingAt first: Int) throws -> [AgingBucket]? {
        let key = String(path.split(separator: ".").last!)
        guard let value = t[key] else { return nil }
        guard let array = value.array, !array.isEmpty else { throw fail(path, "must be a list of {label, from, to} tables") }
        var result: [AgingBucket] = []
        for (index, item) in array.enumerated() {
            guard let b = item.table else { throw fail("\(path)[\(index)]", "must be a {label, from, to} table") }
            // Which is wrong, and how: left out, or of another type ("31" in quotes).
            guard let label = b["label"]?.string else {
                throw fail("\(path)[\(index)].label", b["label"] == nil ? "is required" : "must be text in quotes")
            }
            guard let from = b["from"]?.int else {
                throw fail("\(path)[\(index)].from", b["from"] == nil ? "is required" : "must be a whole number of days, without quotes")
            }
            if b["to"] != nil && b["to"]?.int == nil { throw fail("\(path)[\(index)].to", "must be a whole number of days, without quotes") }
            try known(b, "\(path)[\(index)].", ["label", "from", "to"])  // "upto" would leave the bucket open-ended
            let to = b["to"]?.int
            if to != nil && index == array.count - 1 { throw fail("\(path)[\(index)].to", "must be left out: the last bucket takes every older item") }
            if index == 0 && from != first { throw fail("\(path)[0].from", "must be \(first) so that every day has a bucket") }
            if let to, to < from { throw fail("\(path)[\(index)].to", "must not be below from (\(from))") }
            if to == nil && index != array.count - 1 { throw fail("\(path)[\(index)].to", "is required except for the last bucket") }
            if let previous = result.last, previous.to.map({ $0 + 1 }) != from {
                throw fail("\(path)[\(index)].from", "must be \((previous.to ?? 0) + 1) so buckets neither overlap nor leave gaps")
            }
            result.append(AgingBucket(label: label, from: from, to: to))
        }
        return result
    }
}
