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
        let parts = SlicedResults<Result>(count: slices)
        withoutActuallyEscaping(transform) { transform in
            nonisolated(unsafe) let transform = transform
            let elements = self
            DispatchQueue.concurrentPerform(iterations: slices) { slice in
                let range = Swift.min(elements.count, slice * size)..<Swift.min(elements.count, (slice + 1) * size)
                parts.set(slice, range.isEmpty ? [] : elements[range].map(transform))
            }
        }
        return parts.joined()
    }
}

/// One result array per slice, each written once by one thread (into storage allocated up
/// front, so no two threads touch the same variable) and read after all have joined.
private final class SlicedResults<Result>: @unchecked Sendable {
    private let parts: UnsafeMutableBufferPointer<[Result]>
    init(count: Int) {
        parts = .allocate(capacity: count)
        parts.initialize(repeating: [])
    }
    deinit { parts.deinitialize().deallocate() }
    func set(_ index: Int, _ value: [Result]) { parts[index] = value }
    func joined() -> [Result] { Array(parts.joined()) }
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
