import FlatJSON
import PropertyBased
import Testing

@Suite struct FlatJSONTests {
    @Test func writesCompactOrderedJSONAndReadsItBack() throws {
        let value: JSONValue = .object(["b": .int(-12), "a": .string("上海 \"q\"\n\t\\"), "list": .array([.bool(true), .null, .int(Int64.max)])])
        let text = JSONWriter.string(value)
        #expect(text == #"{"b":-12,"a":"上海 \"q\"\n\t\\","list":[true,null,9223372036854775807]}"#)
        #expect(try JSONReader.parse(text) == value)
    }

    @Test func refusesWhatAJournalLineMustNotHold() {
        for bad in ["1.5", "1e3", "01", "{\"a\":1,\"a\":2}", "[1,]", "\"\u{01}\"", "{\"a\" 1}", "tru", "99999999999999999999", "[1] x", "\"\\uD800\""] {
            #expect(throws: JSONError.self, "\(bad)") { try JSONReader.parse(bad) }
        }
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONError.self) { try JSONReader.parse(deep) }
        #expect(throws: JSONError.self) { try JSONReader.parse([0x22, 0xC3, 0x28, 0x22]) }  // invalid UTF-8
    }

    /// Whole numbers of every length, around both ends of 64 bits: read exactly when they fit,
    /// refused when they do not.
    @Test func wholeNumbersOfEveryLength() async {
        for text in ["9223372036854775807", "-9223372036854775808", "999999999999999999", "-999999999999999999",
                     "1000000000000000000", "0", "-0", "18446744073709551615"] {
            #expect((try? JSONReader.parse(text)) == Int64(text).map { .int($0) }, "\(text)")
        }
        #expect(throws: JSONError.self) { try JSONReader.parse("9223372036854775808") }
        #expect(throws: JSONError.self) { try JSONReader.parse("-9223372036854775809") }
        await propertyCheck(count: 500, input: Gen.int(in: 1...22), Gen.int(in: 0...Int(Int32.max)), Gen.bool) { length, seed, negative in
            var digits = String(String(seed).reversed()) + String(repeating: "7", count: 22)
            digits = String(digits.prefix(length))
            if digits.count > 1, digits.first == "0" { digits.removeFirst(); digits = "1" + digits }
            let text = (negative ? "-" : "") + digits
            #expect((try? JSONReader.parse(text)) == Int64(text).map { .int($0) }, "\(text)")
        }
    }

    @Test func escapesAndSurrogatePairs() throws {
        #expect(try JSONReader.parse(#""\u4e0a\ud83d\ude00\/""#) == .string("上😀/"))
        #expect(JSONWriter.string(.string("\u{7F}\u{1B}")) == #""\u007f\u001b""#)
    }

    @Test func anyTextRoundTrips() async {
        await propertyCheck(count: 300, input: Gen.unicodeScalar(in: " "..."\u{9FFF}").map { Character($0) }.string(of: 0...40), Gen.int(in: Int(Int32.min)...Int(Int32.max))) { text, number in
            let value: JSONValue = .object(["text": .string(text), "n": .int(Int64(number)), "nested": .array([.string(text)])])
            #expect((try? JSONReader.parse(JSONWriter.string(value))) == value)
        }
    }
}
