import Testing

@Test func TerminalPlaceholder() { #expect(Bool(true)) }
