import Core
import FlatJSON

/// Why a journal record's payload cannot become an event: names the field and what was wrong.
public struct PayloadError: Error, CustomStringConvertible, Sendable {
    public var field: String
    public var problem: String
    public var description: String { "field \"\(field)\" \(problem)" }
    /// The record comes from a newer ardesk (unknown type or version), not from damage.
    public var needsUpgrade: Bool { problem.contains("upgrade ardesk") }
}

/// Typed reads of payload fields, each failure naming the field.
struct PayloadReader {
    let object: JSONObject

    func string(_ key: String) throws -> String {
        guard let value = object[key] else { throw PayloadError(field: key, problem: "is missing") }
        guard let s = value.stringValue else { throw PayloadError(field: key, problem: "is not text") }
        return s
    }

    func optionalString(_ key: String) throws -> String? {
        guard let value = object[key], value != .null else { return nil }
        return try string(key)
    }

    func int(_ key: String) throws -> Int64 {
        guard let value = object[key] else { throw PayloadError(field: key, problem: "is missing") }
        guard let i = value.intValue else { throw PayloadError(field: key, problem: "is not a whole number") }
        return i
    }

    func optionalInt(_ key: String) throws -> Int64? {
        guard let value = object[key], value != .null else { return nil }
        return try int(key)
    }

    func bool(_ key: String) throws -> Bool {
        guard let b = object[key]?.boolValue else { throw PayloadError(field: key, problem: "is not true or false") }
        return b
    }

    func money(_ key: String) throws -> Money { Money(minorUnits: try int(key)) }
    func optionalMoney(_ key: String) throws -> Money? { try optionalInt(key).map { Money(minorUnits: $0) } }

    func day(_ key: String) throws -> Day {
        let text = try string(key)
        guard let day = Day(iso: text) else { throw PayloadError(field: key, problem: "is not a date (YYYY-MM-DD): \(text)") }
        return day
    }

    func optionalDay(_ key: String) throws -> Day? {
        guard let value = object[key], value != .null else { return nil }
        return try day(key)
    }

    func objects(_ key: String) throws -> [PayloadReader] {
        guard let items = object[key]?.arrayValue else { throw PayloadError(field: key, problem: "is not a list") }
        return try items.enumerated().map { index, item in
            guard let o = item.objectValue else { throw PayloadError(field: "\(key)[\(index)]", problem: "is not an object") }
            return PayloadReader(object: o)
        }
    }

    func enumValue<E: RawRepresentable>(_ key: String, as type: E.Type) throws -> E where E.RawValue == String {
        let raw = try string(key)
        guard let value = E(rawValue: raw) else { throw PayloadError(field: key, problem: "has an unknown value \"\(raw)\"") }
        return value
    }
}

/// Builds a payload object with the small vocabulary ardesk uses: text, whole numbers, days, money.
struct PayloadBuilder {
    var object = JSONObject()

    mutating func set(_ key: String, _ value: String) { object.pairs.append((key, .string(value))) }
    mutating func set(_ key: String, _ value: String?) { if let value { set(key, value) } }
    mutating func set(_ key: String, _ value: Int) { object.pairs.append((key, .int(Int64(value)))) }
    mutating func set(_ key: String, _ value: Int64) { object.pairs.append((key, .int(value))) }
    mutating func set(_ key: String, _ value: Bool) { object.pairs.append((key, .bool(value))) }
    mutating func set(_ key: String, _ value: Money) { set(key, value.minorUnits) }
    mutating func set(_ key: String, _ value: Money?) { if let value { set(key, value.minorUnits) } }
    mutating func set(_ key: String, _ value: Day) { set(key, value.iso) }
    mutating func set(_ key: String, _ value: Day?) { if let value { set(key, value.iso) } }
    mutating func set(_ key: String, _ items: [JSONObject]) { object.pairs.append((key, .array(items.map { .object($0) }))) }
}
