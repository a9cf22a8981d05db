import Testing

@Test func CLIPlaceholder() { #expect(Bool(true)) }
