import Testing

@Test func FlatJSONPlaceholder() { #expect(Bool(true)) }
