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

extension Slices {
    /// `transform` of each of `0..<total` on every core: the results in order, written in place by
    /// each slice (joining per-slice arrays copied every result once more, 40 % of building the
    /// queue), and the extras it gives, in order, gathered per slice (without a list of optionals
    /// or of pairs to take apart afterwards).
    static func map<Result, Extra>(_ total: Int, minimumCount: Int = 2_048,
                                   _ transform: (Int) -> (Result, Extra?)) -> ([Result], [Extra]) {
        let extras = SliceLists<Extra>()
        let results = [Result](unsafeUninitializedCapacity: total) { results, initialized in
            nonisolated(unsafe) let results = results
            run(total, minimumCount: minimumCount) { slice, range in
                var mine: [Extra] = []
                for index in range {
                    let (result, extra) = transform(index)
                    (results.baseAddress! + index).initialize(to: result)
                    if let extra { mine.append(extra) }
                }
                extras.set(slice, mine)
            }
            initialized = total
        }
        return (results, extras.joined())
    }
}

extension Array where Element: Sendable {
    /// `map` over contiguous slices on every core, results in order. Short arrays are mapped on
    /// the calling thread.
    public func mapOnAllCores<Result>(minimumCount: Int = 2_048, _ transform: (Element) -> Result) -> [Result] {
        let elements = self
        return Slices.map(count, minimumCount: minimumCount) { (transform(elements[$0]), nil as Never?) }.0
    }

    /// `compactMap` over contiguous slices on every core, results in order.
    public func compactMapOnAllCores<Result>(minimumCount: Int = 2_048, _ transform: (Element) -> Result?) -> [Result] {
        let elements = self
        return Slices.map(count, minimumCount: minimumCount) { ((), transform(elements[$0])) }.1
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
        return Slices.map(ledgers.count) { (transform($0, shared.book), nil as Never?) }.0
    }

    /// The same for `places` (every customer by default), where each may also give an `Extra`:
    /// those come back as a second list, in the same order.
    func mapPlacesOnAllCores<Result, Extra>(_ places: [Int]? = nil,
                                            _ transform: (Int, borrowing Book) -> (Result, Extra?)) -> ([Result], [Extra]) {
        let shared = SharedBook(self)
        guard let places else { return Slices.map(ledgers.count) { transform($0, shared.book) } }
        return Slices.map(places.count) { transform(places[$0], shared.book) }
    }
}
