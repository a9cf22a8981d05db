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

/// Typed reads of payload fields, each failure naming the field. Reads a decoded object, or the
/// payload's bytes in place (replay), decoding only the fields asked for.
struct PayloadReader {
    enum Source {
        case object(JSONObject)
        case bytes(JSONMembers)
    }
    let source: Source

    init(object: JSONObject) { source = .object(object) }

    /// Falls back to a decoded object for the rare payload whose keys are escaped. The whole
    /// payload is checked (syntax, UTF-8, duplicate keys, depth, nothing after the object): a
    /// journal opened for replay leaves that to this reader rather than reading every payload twice.
    init(data: [UInt8]) throws {
        let members = try JSONMembers(data)
        guard members.end == data.count else {
            throw PayloadError(field: "data", problem: "has \(data.count - members.end) bytes after its object")
        }
        source = members.hasEscapedKeys ? .object(try members.object()) : .bytes(members)
    }

    private func value(_ key: StaticString) -> JSONValue? {
        switch source {
        case .object(let object): return object[key.description]
        case .bytes(let members): return members.offset(of: key).flatMap { try? members.value(at: $0) }
        }
    }

    func string(_ key: StaticString) throws -> String {
        guard let value = value(key) else { throw PayloadError(field: key.description, problem: "is missing") }
        guard let s = value.stringValue else { throw PayloadError(field: key.description, problem: "is not text") }
        return s
    }

    func optionalString(_ key: StaticString) throws -> String? {
        guard let value = value(key), value != .null else { return nil }
        guard let s = value.stringValue else { throw PayloadError(field: key.description, problem: "is not text") }
        return s
    }

    func int(_ key: StaticString) throws -> Int64 {
        guard let value = value(key) else { throw PayloadError(field: key.description, problem: "is missing") }
        guard let i = value.intValue else { throw PayloadError(field: key.description, problem: "is not a whole number") }
        return i
    }

    func optionalInt(_ key: StaticString) throws -> Int64? {
        guard let value = value(key), value != .null else { return nil }
        guard let i = value.intValue else { throw PayloadError(field: key.description, problem: "is not a whole number") }
        return i
    }

    func bool(_ key: StaticString) throws -> Bool {
        guard let b = value(key)?.boolValue else { throw PayloadError(field: key.description, problem: "is not true or false") }
        return b
    }

    func money(_ key: StaticString) throws -> Money { Money(minorUnits: try int(key)) }
    func optionalMoney(_ key: StaticString) throws -> Money? { try optionalInt(key).map { Money(minorUnits: $0) } }

    func day(_ key: StaticString) throws -> Day {
        let text = try string(key)
        guard let day = Day(iso: text) else { throw PayloadError(field: key.description, problem: "is not a date (YYYY-MM-DD): \(text)") }
        return day
    }

    func optionalDay(_ key: StaticString) throws -> Day? {
        guard let value = value(key), value != .null else { return nil }
        return try day(key)
    }

    func objects(_ key: StaticString) throws -> [PayloadReader] {
        let notAList = PayloadError(field: key.description, problem: "is not a list")
        switch source {
        case .object(let object):
            guard let items = object[key.description]?.arrayValue else { throw notAList }
            return try items.enumerated().map { index, item in
                guard let o = item.objectValue else { throw PayloadError(field: "\(key)[\(index)]", problem: "is not an object") }
                return PayloadReader(object: o)
            }
        case .bytes(let members):
            guard let offset = members.offset(of: key), let starts = try? members.elements(at: offset) else { throw notAList }
            return try starts.enumerated().map { index, start in
                guard let item = try? JSONMembers(members.bytes, at: start) else {
                    throw PayloadError(field: "\(key)[\(index)]", problem: "is not an object")
                }
                return item.hasEscapedKeys ? PayloadReader(object: try item.object()) : PayloadReader(source: .bytes(item))
            }
        }
    }

    private init(source: Source) { self.source = source }

    func enumValue<E: RawRepresentable>(_ key: StaticString, as type: E.Type) throws -> E where E.RawValue == String {
        let raw = try string(key)
        guard let value = E(rawValue: raw) else { throw PayloadError(field: key.description, problem: "has an unknown value \"\(raw)\"") }
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
