import FlatJSON
import PropertyBased
import Testing

/// Reading an object in place must accept and refuse exactly what parsing it whole does, and give
/// back the same values.
@Suite struct JSONMembersTests {
    /// Reads the members of `bytes` (whose `{` is at `offset`), checked, and calls `body` with
    /// them, since they are only lent; throws when the object is refused.
    private func members(_ bytes: [UInt8], at offset: Int = 0, _ body: (JSONMembers) throws -> Void = { _ in }) throws {
        try bytes.withUnsafeBufferPointer { buffer in try JSONMembers.read(buffer, at: offset, body) }
    }

    @Test func membersDecodeToTheParsedValues() throws {
        let text = #"{"day":"2026-11-24","amount":-12,"note":"上海 \"q\"\n","none":null,"list":[{"invoice":"I1","amount":5},{"invoice":"I2","amount":7}],"\u0065sc":1,"long_key_name":"x"}"#
        let bytes = Array(text.utf8)
        guard case .object(let parsed) = try JSONReader.parse(bytes) else { Issue.record("not an object"); return }
        var visited = false
        try members(bytes) { members in
            visited = true
            #expect(members.count == parsed.pairs.count)
            #expect(try members.object() == parsed)
            #expect(try members.offset(of: "day").map(members.value) == parsed["day"])
            #expect(try members.offset(of: "note").map(members.value) == parsed["note"])
            #expect(try members.offset(of: "none").map(members.value) == JSONValue.null)
            #expect(members.offset(of: "missing") == nil)
            #expect(members.offset(of: "da") == nil)  // a prefix of a key is not the key
            #expect(members.offset(of: "long_key_nam") == nil)
            #expect(members.value(of: "long_key_name").flatMap(members.string) == "x")
            #expect(members.hasEscapedKeys)  // "\u0065sc" is "esc": found by decoding, not by raw bytes

            // Typed reads, straight from the bytes.
            let day = try #require(members.value(of: "day"))
            #expect(members.string(day) == "2026-11-24")
            #expect(members.plainString(day).map { String(decoding: $0, as: UTF8.self) } == "2026-11-24")
            let note = try #require(members.value(of: "note"))
            #expect(members.string(note) == "上海 \"q\"\n")
            #expect(members.plainString(note) == nil)  // escaped: not its text as it stands
            let amount = try #require(members.value(of: "amount"))
            #expect(members.integer(amount) == -12)
            #expect(members.string(amount) == nil)
            #expect(members.integer(day) == nil)
            #expect(members.isNull(try #require(members.value(of: "none"))))
            #expect(!members.isNull(amount))

            let list = try #require(members.value(of: "list"))
            var invoices: [String] = []
            var indices: [Int] = []
            let isList = try members.forEachObject(in: list) { index, item in
                indices.append(index)
                invoices.append(item.value(of: "invoice").flatMap(item.string) ?? "?")
            }
            #expect(isList && indices == [0, 1] && invoices == ["I1", "I2"])
            #expect(try !members.forEachObject(in: amount) { _, _ in })  // not a list
        }
        #expect(visited)
        let notObjects = Array(#"{"list":[{"a":1},2]}"#.utf8)
        #expect(throws: JSONError.self) {
            try members(notObjects) { m in _ = try m.forEachObject(in: try #require(m.value(of: "list"))) { _, _ in } }
        }
    }

    /// `end` is just after the object, so a reader can refuse bytes after it.
    @Test func endsJustAfterTheObject() throws {
        let bytes = Array(#"{"a":{"b":[1,"}"]}} x"#.utf8)
        var end = 0
        try members(bytes) { end = $0.end }
        #expect(end == bytes.count - 2)
        try members(Array("{}".utf8)) { #expect($0.end == 2) }
        try members(Array(#"[{"a":1}]"#.utf8), at: 1) { #expect($0.end == 8 && $0.count == 1) }
    }

    @Test func refusesWhatParsingRefuses() throws {
        for bad in [#"{"a":1,"a":2}"#, #"{"a":1.5}"#, #"{"a":[1,]}"#, "{\"a\":\"\u{01}\"}", #"{"a" 1}"#, #"{"a":tru}"#,
                    #"{"a":"\uD800"}"#, #"{"a":01}"#, #"{"\u0061":1,"a":2}"#, #"{"a":1"#, #"{"a":"x}"#,
                    #"{"long_key_1":1,"long_key_1":2}"#] {
            let bytes = Array(bad.utf8)
            #expect(throws: JSONError.self, "\(bad)") { try JSONReader.parse(bytes) }
            #expect(throws: JSONError.self, "\(bad)") { try members(bytes) }
        }
        #expect(throws: JSONError.self) { try members(Array("[1]".utf8)) }  // not an object
        #expect(throws: JSONError.self) { try members([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]) }  // invalid UTF-8
        let many = (0..<20).map { "\"k\($0)\":\($0)" }.joined(separator: ",")  // more keys than the stack holds
        try members(Array("{\(many)}".utf8)) { m in
            #expect(m.count == 20)
            #expect(m.value(of: "k19").flatMap(m.integer) == 19)
            #expect(m.value(of: "k0").flatMap(m.integer) == 0)
        }
        #expect(throws: JSONError.self) { try members(Array("{\(many),\"k3\":0}".utf8)) }
        #expect(throws: JSONError.self) { try members(Array("{\(many),\"k19\":0}".utf8)) }
        let deep = "{\"a\":" + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "}"
        #expect(throws: JSONError.self) { try members(Array(deep.utf8)) }
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
            var decoded: JSONObject?
            var read: String?
            try? members(bytes) { m in
                decoded = try? m.object()
                read = m.value(of: "text").flatMap(m.string)
            }
            #expect(decoded == object)
            #expect(read == text)
        }
    }
}
