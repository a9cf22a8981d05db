import Dispatch

/// Contiguous slices of `0..<count` run on every core: more slices than cores, so a slow slice
/// does not leave a core idle. For the whole-book rules (a queue or an aging over 50,000
/// customers): each element's result depends on that element and the book alone, so the answer
/// is the same on any number of threads.
enum Slices {
    static let count = 8

    /// Calls `body` with each slice's number and range, on every core; short ranges (fewer than
    /// `minimumCount`) in one slice on the calling thread.
    static func run(_ total: Int, minimumCount: Int = 2_048, _ body: (_ slice: Int, _ range: Range<Int>) -> Void) {
        guard total >= Swift.max(2, minimumCount) else { return body(0, 0..<total) }
        let size = (total + count - 1) / count
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: count) { slice in
                body(slice, Swift.min(total, slice * size)..<Swift.min(total, (slice + 1) * size))
            }
        }
    }
}

extension Array where Element: Sendable {
    /// `map` over contiguous slices on every core, results in order. Short arrays are mapped on
    /// the calling thread.
    public func mapOnAllCores<Result>(minimumCount: Int = 2_048, _ transform: (Element) -> Result) -> [Result] {
        // Each slice initialises its own range of the result in place: joining per-slice arrays
        // copied every result once more (for the queue's large entries, 40 % of building it).
        [Result](unsafeUninitializedCapacity: count) { results, initialized in
            nonisolated(unsafe) let results = results
            let elements = self
            Slices.run(count, minimumCount: minimumCount) { _, range in
                for index in range { (results.baseAddress! + index).initialize(to: transform(elements[index])) }
            }
            initialized = count
        }
    }
}

extension Array where Element: Sendable {
    /// `compactMap` over contiguous slices on every core, results in order; without a list of
    /// optionals to compact afterwards.
    public func compactMapOnAllCores<Result>(minimumCount: Int = 2_048, _ transform: (Element) -> Result?) -> [Result] {
        let lists = SliceLists<Result>()
        let elements = self
        Slices.run(count, minimumCount: minimumCount) { slice, range in
            var mine: [Result] = []
            for index in range { if let result = transform(elements[index]) { mine.append(result) } }
            lists.set(slice, mine)
        }
        return lists.joined()
    }
}

/// One list per slice, each written once by one thread (into storage allocated up front, so no
/// two threads touch the same variable) and joined in slice order once all are done.
final class SliceLists<Element>: @unchecked Sendable {
    private let lists: UnsafeMutableBufferPointer<[Element]>
    init() {
        lists = .allocate(capacity: Slices.count)
        lists.initialize(repeating: [])
    }
    deinit { lists.deinitialize().deallocate() }
    func set(_ slice: Int, _ list: [Element]) { lists[slice] = list }
    func joined() -> [Element] {
        var all: [Element] = []
        all.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        for index in lists.indices { all.append(contentsOf: lists[index]); lists[index] = [] }
        return all
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

    /// The same, where each place may also give an `Extra`: those come back as a second list, in
    /// place order, without a list of pairs to take apart (for 50,000 customers, megabytes
    /// written, faulted in and copied again).
    func mapPlacesOnAllCores<Result, Extra>(_ transform: (Int, borrowing Book) -> (Result, Extra?)) -> ([Result], [Extra]) {
        let shared = SharedBook(self)
        let extras = SliceLists<Extra>()
        let results = [Result](unsafeUninitializedCapacity: ledgers.count) { results, initialized in
            nonisolated(unsafe) let results = results
            Slices.run(ledgers.count) { slice, range in
                var mine: [Extra] = []
                for place in range {
                    let (result, extra) = transform(place, shared.book)
                    (results.baseAddress! + place).initialize(to: result)
                    if let extra { mine.append(extra) }
                }
                extras.set(slice, mine)
            }
            initialized = ledgers.count
        }
        return (results, extras.joined())
    }
}
