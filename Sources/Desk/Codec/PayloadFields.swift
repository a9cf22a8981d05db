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

    /// A reader of the object its members describe (or, for the rare object whose keys are
    /// escaped, of that object decoded: lookups by raw bytes would miss them).
    private init(members: JSONMembers) throws {
        source = members.hasEscapedKeys ? .object(try members.object()) : .bytes(members)
    }

    /// Calls `body` with a reader of the payload `data`, valid only during `body`. The whole
    /// payload is checked first (syntax, UTF-8, duplicate keys, depth, nothing after the object):
    /// a journal opened for replay leaves that to this reader rather than reading every payload
    /// twice.
    static func reading<R>(_ data: UnsafeBufferPointer<UInt8>, _ body: (PayloadReader) throws -> R) throws -> R {
        var result: R?
        do {
            try JSONMembers.read(data) { members in
                guard members.end == data.count else {
                    throw PayloadError(field: "data", problem: "has \(data.count - members.end) bytes after its object")
                }
                result = try body(try PayloadReader(members: members))
            }
            return result!
        } catch let error as JSONError {
            throw PayloadError(field: "data", problem: "is not a JSON object (\(error))")
        }
    }

    private func missing(_ key: StaticString) -> PayloadError { PayloadError(field: key.description, problem: "is missing") }

    /// Whether `key` is there and not `null`.
    func isPresent(_ key: StaticString) -> Bool {
        switch source {
        case .object(let object): return object[key.description].map { $0 != .null } ?? false
        case .bytes(let members): return members.value(of: key).map { !members.isNull($0) } ?? false
        }
    }

    // `string` and `int` are written out alike on purpose: one generic reader taking the two
    // ways of reading as closures made decoding a large book 3–5 % slower.
    func string(_ key: StaticString) throws -> String {
        let found: String?
        switch source {
        case .object(let object):
            guard let value = object[key.description] else { throw missing(key) }
            found = value.stringValue
        case .bytes(let members):
            guard let value = members.value(of: key) else { throw missing(key) }
            found = members.string(value)
        }
        guard let found else { throw PayloadError(field: key.description, problem: "is not text") }
        return found
    }

    func optionalString(_ key: StaticString) throws -> String? {
        guard isPresent(key) else { return nil }
        return try string(key)
    }

    func int(_ key: StaticString) throws -> Int64 {
        let found: Int64?
        switch source {
        case .object(let object):
            guard let value = object[key.description] else { throw missing(key) }
            found = value.intValue
        case .bytes(let members):
            guard let value = members.value(of: key) else { throw missing(key) }
            found = members.integer(value)
        }
        guard let found else { throw PayloadError(field: key.description, problem: "is not a whole number") }
        return found
    }

    func optionalInt(_ key: StaticString) throws -> Int64? {
        guard isPresent(key) else { return nil }
        return try int(key)
    }

    func bool(_ key: StaticString) throws -> Bool {
        let value: JSONValue?
        switch source {
        case .object(let object): value = object[key.description]
        case .bytes(let members): value = members.offset(of: key).flatMap { try? members.value(at: $0) }
        }
        guard let b = value?.boolValue else { throw PayloadError(field: key.description, problem: "is not true or false") }
        return b
    }

    func money(_ key: StaticString) throws -> Money { Money(minorUnits: try int(key)) }
    func optionalMoney(_ key: StaticString) throws -> Money? { try optionalInt(key).map { Money(minorUnits: $0) } }

    func day(_ key: StaticString) throws -> Day {
        // A date without escapes is read from its bytes, without making a string of it first.
        if case .bytes(let members) = source, let value = members.value(of: key),
            let text = members.plainString(value), let day = Day(isoBytes: text) {
            return day
        }
        let text = try string(key)
        guard let day = Day(iso: text) else { throw PayloadError(field: key.description, problem: "is not a date (YYYY-MM-DD): \(text)") }
        return day
    }

    func optionalDay(_ key: StaticString) throws -> Day? {
        guard isPresent(key) else { return nil }
        return try day(key)
    }

    /// `transform` of a reader of each object in the list `key`, in order.
    func objects<T>(_ key: StaticString, _ transform: (PayloadReader) throws -> T) throws -> [T] {
        switch source {
        case .object(let object):
            guard let items = object[key.description]?.arrayValue else { throw notAList(key) }
            return try items.enumerated().map { index, item in
                guard let o = item.objectValue else { throw notAnObject(key, index) }
                return try transform(PayloadReader(object: o))
            }
        case .bytes(let members):
            guard let list = members.value(of: key) else { throw notAList(key) }
            var results: [T] = []
            let isList: Bool
            do {
                isList = try members.forEachObject(in: list) { _, item in results.append(try transform(try PayloadReader(members: item))) }
            } catch is JSONError {
                throw notAnObject(key, results.count)
            }
            guard isList else { throw notAList(key) }
            return results
        }
    }

    private func notAList(_ key: StaticString) -> PayloadError { PayloadError(field: key.description, problem: "is not a list") }
    private func notAnObject(_ key: StaticString, _ index: Int) -> PayloadError {
        PayloadError(field: "\(key)[\(index)]", problem: "is not an object")
    }

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
