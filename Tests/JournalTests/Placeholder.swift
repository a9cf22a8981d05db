import Testing

@Test func JournalPlaceholder() { #expect(Bool(true)) }
