import Testing

@Test func DeskPlaceholder() { #expect(Bool(true)) }
