import Core
import Desk
import Foundation
import Testing
@testable import Workstation

/// The customers panel sorts row indices by a precomputed integer per row and searches bytes:
/// both must agree with the plain definitions (the row comparator, a lower-cased substring).
final class CustomerListTests {
    let folder = BookFolder(path: FileManager.default.temporaryDirectory.appendingPathComponent("ardesk-list-\(UUID().uuidString)").path)
    static let today = Day(iso: "2026-11-24")!

    deinit { try? FileManager.default.removeItem(atPath: folder.path) }

    func view() throws -> BookView {
        let desk = try Desk.create(folder: folder, currency: .cny, today: Self.today, user: "li.na")
        try DemoBook(customers: 60, seed: 3, asOf: Self.today).generate { try desk.appendHistory($0) }
        return BookView(desk: desk, asOf: Self.today)
    }

    @Test func rearrangingMovesEachElementWhereTheOrderSays() {
        var seed: UInt64 = 42
        for count in [0, 1, 2, 7, 100] {
            var order = Array(0..<count)
            for i in order.indices.reversed() where i > 0 {  // a shuffle of our own: the same every run
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                order.swapAt(i, Int((seed >> 33) % UInt64(i + 1)))
            }
            var rows = (0..<count).map { "row \($0)" }
            let expected = order.map { rows[$0] }
            rows.rearrange(order)
            #expect(rows == expected)
        }
    }

    @Test func everySortAgreesWithItsComparator() throws {
        let view = try view()
        for sort in CustomerSort.allCases {
            let fast = view.customers(sort: sort, filter: .all, search: "", collector: nil, user: "li.na").map(\.id)
            let plain = view.rows.sorted(by: sort.order).map(\.id)
            #expect(fast == plain, "sort by \(sort)")
        }
    }

    /// Names sort as a Chinese reader expects: by pinyin (北京 bei, 成都 cheng, 重庆 chong, …),
    /// Latin names among them by letter and whatever their case, digits first.
    /// Use is cut to whole percents, but a balance over its limit never reads 100 % beside the
    /// over-limit mark: 100 % is a balance exactly at the limit.
    @Test func overTheLimitReadsAbove100Percent() {
        let cny = { (text: String) in Currency.cny.parse(text)! }
        #expect(CustomerRow.utilisation(owed: cny("60,300"), limit: cny("60,000")) == 10_100)
        #expect(CustomerRow.utilisation(owed: cny("60,000"), limit: cny("60,000")) == 10_000)
        #expect(CustomerRow.utilisation(owed: cny("59,999.99"), limit: cny("60,000")) == 9_999)
        #expect(CustomerRow.utilisation(owed: cny("319,050"), limit: cny("60,000")) == 53_175)
        #expect(CustomerRow.utilisation(owed: cny("1"), limit: .zero) == nil)
    }

    @Test func namesSortByPinyin() {
        let names = ["上海华瑞", "武汉嘉创", "北京恒泰", "重庆鑫鑫", "成都嘉创", "acme Ltd", "Bank of Ningbo", "广州创安",
                     "南京达信", "宁波盛盛", "深圳鑫达", "天津联嘉", "3M China", "Zeta GmbH", "长沙恒通", "厦门特区", "招商银行",
                     "Éclair Foods", "ａｂｃ全角公司"]
        let sorted = names.sorted { PinyinOrder.key($0).lexicographicallyPrecedes(PinyinOrder.key($1)) }
        #expect(sorted == ["3M China", "ａｂｃ全角公司", "acme Ltd", "Bank of Ningbo", "北京恒泰", "长沙恒通", "成都嘉创", "重庆鑫鑫",
                           "Éclair Foods", "广州创安", "南京达信", "宁波盛盛", "上海华瑞", "深圳鑫达", "天津联嘉", "武汉嘉创", "厦门特区",
                           "Zeta GmbH", "招商银行"])
    }

    /// The dashboard's five most past due, kept in one pass, are the first five of a full sort.
    @Test func theDashboardsMostPastDueAreTheFirstFiveOfASort() throws {
        let desk = try Desk.create(folder: folder, currency: .cny, today: Self.today, user: "li.na")
        try DemoBook(customers: 60, seed: 5, asOf: Self.today).generate { try desk.appendHistory($0) }
        let ws = Workstation(desk: desk, asOf: Self.today, language: .en)
        let sorted = ws.view.rows.filter { $0.isInBook && $0.position.pastDue.isPositive }.sorted { CustomerSort.pastDue.order($0, $1) }
        #expect(sorted.count > 5)
        #expect(ws.dashboardLists.top.map(\.id) == sorted.prefix(5).map(\.id))
    }

    /// The risk signals kept with the view, after actions on a few customers, are those of the
    /// whole book computed afresh; a closed customer has none.
    @Test func riskSignalsKeptWithTheViewEqualFreshOnes() throws {
        let desk = try Desk.create(folder: folder, currency: .cny, today: Self.today, user: "li.na")
        try DemoBook(customers: 60, seed: 5, asOf: Self.today).generate { try desk.appendHistory($0) }
        let workstation = Workstation(desk: desk, asOf: Self.today, language: .en)
        #expect(workstation.riskSignals == RiskSignals.byCustomer(in: desk.book, asOf: Self.today))
        let owing = desk.book.customerOrder.filter { !OpenItems.of($0, in: desk.book, asOf: Self.today).isEmpty }
        let (refusing, disputing, closing) = (owing[0], owing[1], owing[2])
        try desk.perform(.logCall(refusing, .refused, note: "hung up", callback: nil))
        let invoice = OpenItems.of(disputing, in: desk.book, asOf: Self.today)[0].invoice
        try desk.perform(.dispute(disputing, invoices: [invoice], reason: "damaged"))
        try desk.perform(.changeProfile(closing, .status(.closed), reason: "ceased trading"))
        workstation.rebuildView()
        let signals = workstation.riskSignals
        #expect(signals == RiskSignals.byCustomer(in: desk.book, asOf: Self.today))
        #expect(signals[refusing]?.contains { $0.kind == .contactRefused } == true)
        #expect(signals[disputing]?.contains { $0.kind == .newDisputes } == true)
        #expect(signals[closing] == nil)
    }

    /// After actions on a few customers, the view updated in place equals one computed afresh.
    @Test func anUpdatedViewEqualsAFreshOne() throws {
        let desk = try Desk.create(folder: folder, currency: .cny, today: Self.today, user: "li.na")
        try DemoBook(customers: 60, seed: 5, asOf: Self.today).generate { try desk.appendHistory($0) }
        var view = BookView(desk: desk, asOf: Self.today)
        _ = desk.takeChanges()
        let queued = view.queue.prefix(3).map(\.customer)
        try desk.perform(.logCall(queued[0], .reached, note: "paid tomorrow", callback: Self.today))
        try desk.perform(.promise(queued[1], amount: nil, due: Self.today.adding(days: 3)))
        try desk.perform(.pay(queued[2], amount: Money(minorUnits: 12_345), on: Self.today, invoice: nil, reference: nil, method: "bank"))
        try desk.perform(.changeProfile(queued[0], .collector("zhao.lei"), reason: "handover"))
        let changes = desk.takeChanges()
        #expect(!changes.everything && changes.customers.count == 3)
        view.update(for: changes.customers, desk: desk)
        let fresh = BookView(desk: desk, asOf: Self.today)
        // The updated queue keeps the order it had (a collector is working down it): the same
        // customers with the same figures as a fresh one, those with nothing due left as settled.
        let due = view.queue.filter { !$0.settled }
        #expect(due.map(\.customer).sorted() == fresh.queue.map(\.customer).sorted())
        #expect(due.map { "\($0.customer) \($0.priority)" }.sorted() == fresh.queue.map { "\($0.customer) \($0.priority)" }.sorted())
        #expect(view.queue.map(\.customer).filter { !queued.contains($0) } == fresh.queue.map(\.customer).filter { !queued.contains($0) })
        #expect(view.rows.map { "\($0.id) \($0.position.balance) \($0.collector ?? "-") \($0.brokenPromises)" }
                == fresh.rows.map { "\($0.id) \($0.position.balance) \($0.collector ?? "-") \($0.brokenPromises)" })
        #expect(view.collectors == fresh.collectors)
        for sort in CustomerSort.allCases {
            #expect(view.customers(sort: sort, filter: .all, search: "", collector: nil, user: "li.na").map(\.id)
                    == fresh.customers(sort: sort, filter: .all, search: "", collector: nil, user: "li.na").map(\.id))
        }
    }

    /// The customers panel's tables are built on another thread: a reader waits for them, and a
    /// change made after they are there is kept.
    @Test func aDeferredValueIsWaitedForAndChangedInPlace() {
        let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let box = Deferred<[Int]> {
            started.signal()
            release.wait()
            return [1, 2, 3]
        }
        started.wait()
        #expect(!box.isReady)
        release.signal()
        #expect(box.value == [1, 2, 3])
        #expect(box.isReady)
        box.modify { $0.append(4) }
        #expect(box.value == [1, 2, 3, 4])
    }

    /// A value computed after another starts only once that one is there.
    @Test func aDeferredValueAfterAnotherWaitsForIt() {
        let release = DispatchSemaphore(value: 0)
        let first = Deferred<Int> { release.wait(); return 1 }
        let second = Deferred<Int>(after: first) { first.isReady ? 2 : -1 }
        Thread.sleep(forTimeInterval: 0.05)
        #expect(!second.isReady)
        release.signal()
        #expect(second.value == 2)
    }

    @Test func idRanksFollowIdOrder() {
        #expect(CustomerList.ranks(of: ["C1", "C2", "C3"]) == [0, 1, 2])
        #expect(CustomerList.ranks(of: ["B", "上海", "A", "C"]) == [1, 3, 0, 2])
    }

    @Test func searchMatchesLowerCasedIdsAndChineseNames() throws {
        let view = try view()
        let chinese = try #require(view.rows.first { $0.name.unicodeScalars.contains { $0.value >= 0x4E00 } })
        let fragment = String(chinese.name.dropFirst().prefix(2))
        for search in [fragment, chinese.id.lowercased(), "C0001", "no such customer", ""] {
            let found = view.customers(sort: .name, filter: .all, search: search, collector: nil, user: "li.na").map(\.id)
            let expected = view.rows.filter { search.isEmpty || ($0.id + " " + $0.name).lowercased().contains(search.lowercased()) }
                .sorted(by: CustomerSort.name.order).map(\.id)
            #expect(found == expected, "search \(search)")
        }
        #expect(!view.customers(sort: .name, filter: .all, search: fragment, collector: nil, user: "li.na").isEmpty)
    }
}
