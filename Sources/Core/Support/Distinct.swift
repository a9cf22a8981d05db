extension Sequence where Element: Hashable {
    /// The elements in order, each once: customers named twice on a command line are acted on once.
    public var distinctInOrder: [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
