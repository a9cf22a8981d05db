/// A list that keeps its first element inline and only the others in an array. Most invoices
/// have one instalment and at most one settlement, and most payments settle one invoice: as
/// arrays, a book of a million invoices made two million small allocations on every open, and
/// each read of an invoice's due date followed a pointer to memory the cache did not hold.
public struct SmallList<Element> {
    private var head: Element?
    private var tail: [Element] = []

    public init() {}

    public init<S: Sequence>(_ elements: S) where S.Element == Element {
        var iterator = elements.makeIterator()
        head = iterator.next()
        while let next = iterator.next() { tail.append(next) }
    }

    public mutating func append(_ element: Element) {
        if head == nil { head = element } else { tail.append(element) }
    }
}

extension SmallList: RandomAccessCollection, MutableCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { head == nil ? 0 : 1 + tail.count }
    public subscript(position: Int) -> Element {
        get { position == 0 ? head! : tail[position - 1] }
        set {
            precondition(position < endIndex, "SmallList index out of range")
            if position == 0 { head = newValue } else { tail[position - 1] = newValue }
        }
    }
}

extension SmallList: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Element...) { self.init(elements) }
}

extension SmallList: Equatable where Element: Equatable {
    public static func == (a: SmallList, b: SmallList) -> Bool { a.elementsEqual(b) }
}

extension SmallList: Sendable where Element: Sendable {}

extension SmallList: CustomStringConvertible {
    public var description: String { Array(self).description }
}
