/// What of a customer's invoices is under dispute on a day: invoices disputed whole, and the
/// part disputed of others (a dispute for an amount). The rule reaches what is disputed only
/// after everything else; an invoice disputed in part is paid as any other but for that part.
public struct DisputedItems: Equatable, Sendable, ExpressibleByArrayLiteral {
    public var whole: Set<String> = []
    /// Each invoice disputed in part, with the amount disputed.
    public var parts: [String: Money] = [:]

    public init() {}
    /// Invoices disputed whole (as tests and forms name them).
    public init(arrayLiteral numbers: String...) { whole = Set(numbers) }

    /// Whether any of `number` is disputed.
    public func contains(_ number: String) -> Bool { whole.contains(number) || parts[number] != nil }
    public var isEmpty: Bool { whole.isEmpty && parts.isEmpty }
}
