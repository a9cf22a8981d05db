import Dispatch

extension Array where Element: Sendable {
    /// `map` over contiguous slices on every core, results in order. For the whole-book rules
    /// (a queue or an aging over 50,000 customers): each element's result depends on that
    /// element and the book alone, so the answer is the same on any number of threads. Short
    /// arrays are mapped on the calling thread.
    public func mapOnAllCores<Result>(minimumCount: Int = 2_048, _ transform: (Element) -> Result) -> [Result] {
        guard count >= Swift.max(2, minimumCount) else { return map(transform) }
        let slices = Swift.min(8, count)  // more slices than cores, so a slow slice does not leave a core idle
        let size = (count + slices - 1) / slices
        // Each slice initialises its own range of the result in place: joining per-slice arrays
        // copied every result once more (for the queue's large entries, 40 % of building it).
        return [Result](unsafeUninitializedCapacity: count) { results, initialized in
            withoutActuallyEscaping(transform) { transform in
                nonisolated(unsafe) let transform = transform
                nonisolated(unsafe) let results = results
                let elements = self
                DispatchQueue.concurrentPerform(iterations: slices) { slice in
                    for index in Swift.min(elements.count, slice * size)..<Swift.min(elements.count, (slice + 1) * size) {
                        (results.baseAddress! + index).initialize(to: transform(elements[index]))
                    }
                }
            }
            initialized = count
        }
    }
}

/// A book handed to the threads of `mapOnAllCores` by reference.
final class SharedBook: Sendable {
    let book: Book
    init(_ book: Book) { self.book = book }
}

extension Book {
    /// `transform` of each customer's place in `ledgers` (and the book), in the order customers
    /// were added, on every core. The book is handed over in place: a copy would retain every table.
    func mapPlacesOnAllCores<Result>(_ transform: (Int, borrowing Book) -> Result) -> [Result] {
        let shared = SharedBook(self)
        return Array(ledgers.indices).mapOnAllCores { transform($0, shared.book) }
    }
}
