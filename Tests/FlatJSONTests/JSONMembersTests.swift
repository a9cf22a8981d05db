import FlatJSON
import PropertyBased
import Testing

/// Reading an object in place must accept and refuse exactly what parsing it whole does, and give
/// back the same values.
@Suite struct JSONMembersTests {
    @Test func membersDecodeToTheParsedValues() throws {
        let text = #"{"day":"2026-11-24","amount":-12,"note":"上海 \"q\"\n","none":null,"list":[{"invoice":"I1","amount":5},{"invoice":"I2","amount":7}],"\u0065sc":1}"#
        let bytes = Array(text.utf8)
        let members = try JSONMembers(bytes)
        guard case .object(let parsed) = try JSONReader.parse(bytes) else { Issue.record("not an object"); return }
        #expect(members.count == parsed.pairs.count)
        #expect(try members.object() == parsed)
        #expect(try members.offset(of: "day").map(members.value) == parsed["day"])
        #expect(try members.offset(of: "note").map(members.value) == parsed["note"])
        #expect(try members.offset(of: "none").map(members.value) == JSONValue.null)
        #expect(members.offset(of: "missing") == nil)
        #expect(members.hasEscapedKeys)  // "\u0065sc" is "esc": found by decoding, not by raw bytes
        let list = try #require(members.offset(of: "list"))
        let starts = try #require(try members.elements(at: list))
        #expect(starts.count == 2)
        let second = try JSONMembers(bytes, at: starts[1])
        #expect(try second.offset(of: "invoice").map(second.value) == .string("I2"))
        #expect(try members.elements(at: try #require(members.offset(of: "amount"))) == nil)
    }

    /// `end` is just after the object, so a reader can refuse bytes after it.
    @Test func endsJustAfterTheObject() throws {
        let bytes = Array(#"{"a":{"b":[1,"}"]}} x"#.utf8)
        let members = try JSONMembers(bytes)
        #expect(members.end == bytes.count - 2)
        #expect(try JSONMembers(Array("{}".utf8)).end == 2)
    }

    @Test func refusesWhatParsingRefuses() throws {
        for bad in [#"{"a":1,"a":2}"#, #"{"a":1.5}"#, #"{"a":[1,]}"#, "{\"a\":\"\u{01}\"}", #"{"a" 1}"#, #"{"a":tru}"#,
                    #"{"a":"\uD800"}"#, #"{"a":01}"#, #"{"\u0061":1,"a":2}"#, #"{"a":1"#, #"{"a":"x}"#] {
            let bytes = Array(bad.utf8)
            #expect(throws: JSONError.self, "\(bad)") { try JSONReader.parse(bytes) }
            #expect(throws: JSONError.self, "\(bad)") { try JSONMembers(bytes) }
        }
        #expect(throws: JSONError.self) { try JSONMembers([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]) }  // invalid UTF-8
        let many = (0..<20).map { "\"k\($0)\":\($0)" }.joined(separator: ",")  // more keys than the stack holds
        #expect(try JSONMembers(Array("{\(many)}".utf8)).count == 20)
        #expect(throws: JSONError.self) { try JSONMembers(Array("{\(many),\"k3\":0}".utf8)) }
        #expect(throws: JSONError.self) { try JSONMembers(Array("{\(many),\"k19\":0}".utf8)) }
        let deep = "{\"a\":" + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "}"
        #expect(throws: JSONError.self) { try JSONMembers(Array(deep.utf8)) }
    }

    /// Strings are skipped eight bytes at a time until a byte needs a closer look: whatever byte
    /// sits at whatever place of a word, skipping accepts and refuses what parsing does, and ends
    /// where the parser ends.
    @Test func skippingAStringAgreesWithParsingIt() async {
        let special: [UInt8] = [0x22, 0x5C, 0x00, 0x1F, 0x20, 0x7F, 0x80, 0xC3, 0xA9, 0xFF, 0x41, 0x6E]
        await propertyCheck(count: 400, input: Gen.int(in: 0...40), Gen.int(in: 0...(special.count - 1)), Gen.int(in: 0...17)) { length, pick, padding in
            var text = Array(repeating: UInt8(ascii: "a"), count: length)
            if length > 0 { text[length / 2] = special[pick] }
            let bytes = Array(repeating: UInt8(ascii: " "), count: padding) + [0x22] + text + [0x22] + Array("  ".utf8)
            let parsed = try? bytes.withUnsafeBufferPointer { try JSONReader.parseValue($0, at: padding) }
            let skipped = try? bytes.withUnsafeBufferPointer { try JSONReader.skipValue($0, at: padding) }
            #expect((parsed == nil) == (skipped == nil), "\(bytes)")
            if let parsed, let skipped { #expect(parsed.end == skipped, "\(bytes)") }
        }
    }

    @Test func anyObjectReadsTheSameInPlace() async {
        await propertyCheck(count: 200, input: Gen.unicodeScalar(in: " "..."\u{9FFF}").map { Character($0) }.string(of: 0...30), Gen.int(in: Int(Int32.min)...Int(Int32.max))) { text, number in
            let object: JSONObject = ["text": .string(text), "n": .int(Int64(number)), "items": .array([.object(["k": .string(text)])])]
            let bytes = Array(JSONWriter.string(.object(object)).utf8)
            let members = try? JSONMembers(bytes)
            #expect(members.flatMap { try? $0.object() } == object)
            #expect(members.flatMap { m in m.offset(of: "text").flatMap { try? m.value(at: $0) } } == .string(text))
        }
    }
}
