import Testing

@Test func CorePlaceholder() { #expect(Bool(true)) }
