import Testing

@Test func WorkstationPlaceholder() { #expect(Bool(true)) }
