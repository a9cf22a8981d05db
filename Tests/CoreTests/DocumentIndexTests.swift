@testable import Core
import PropertyBased
import Testing

/// The document index must answer exactly what a dictionary of the same numbers answers, through
/// growth, duplicates and a round trip through its saved slots.
@Suite struct DocumentIndexTests {
    @Test func findsWhatADictionaryFinds() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...5_000).array(of: 0...300), Gen.int(in: 0...64)) { seeds, capacity in
            var keys: [String] = []
            var index = DocumentIndex(minimumCapacity: capacity)
            var expected: [String: Int] = [:]
            for seed in seeds {
                // Short and long numbers, ASCII and Chinese, so every length of the hash is used.
                // Numbers that count up under many prefixes fill runs of neighbouring slots.
                let key = seed % 4 == 0 ? "INV-\(seed)" : seed % 4 == 1 ? "发票-\(seed)-2026"
                    : seed % 4 == 2 ? "C\(seed % 29)-\(seed / 29)" : String(repeating: "x", count: seed % 40)
                let existing = index.insert(key, at: keys.count, keyAt: { keys[$0] })
                #expect(existing == expected[key])
                if existing == nil {
                    expected[key] = keys.count
                    keys.append(key)
                }
            }
            #expect(index.count == expected.count)
            for (key, position) in expected { #expect(index.position(of: key, keyAt: { keys[$0] }) == position) }
            for absent in ["", "INV-", "INV-5001", "y"] where expected[absent] == nil {
                #expect(index.position(of: absent, keyAt: { keys[$0] }) == nil)
            }
            let saved = DocumentIndex(slots: index.slots, count: index.count)
            #expect(saved == index)
        }
    }

    /// Customers' places answer what a dictionary of the ids in order answers; an id comes once.
    @Test func customerPlacesAreTheOrderOfTheIds() async {
        await propertyCheck(count: 100, input: Gen.int(in: 0...400).array(of: 0...200)) { seeds in
            var places = CustomerPlaces()
            var expected: [CustomerID: Int] = [:]
            for seed in seeds {
                let id = seed % 2 == 0 ? "C\(seed)" : "客户-\(seed)"
                #expect(places.append(id) == (expected[id] == nil))
                if expected[id] == nil { expected[id] = expected.count }
            }
            #expect(places.count == expected.count)
            for (id, place) in expected {
                #expect(places[id] == place)
                #expect(places.ids[place] == id)
            }
            #expect(places["C401"] == nil && places[""] == nil)
            #expect(CustomerPlaces(ids: places.ids)?.ids == places.ids)
            if let first = places.ids.first { #expect(CustomerPlaces(ids: places.ids + [first]) == nil) }
        }
    }

    @Test func refusesSlotsOfTheWrongShape() {
        #expect(DocumentIndex(slots: Array(repeating: 0, count: 24), count: 0) == nil)  // not a power of two
        #expect(DocumentIndex(slots: Array(repeating: 0, count: 16), count: 9) == nil)  // more than half full
        #expect(DocumentIndex(slots: Array(repeating: 0, count: 8), count: 0) == nil)
        var slots = [UInt64](repeating: 0, count: 16)
        slots[3] = 7 << 32 | 2  // position 1 of a list of one
        #expect(DocumentIndex(slots: slots, count: 1) == nil)
        slots[3] = 7 << 32 | 1
        #expect(DocumentIndex(slots: slots, count: 1) != nil)
        slots[5] = 9 << 32 | 1  // position 0 twice
        #expect(DocumentIndex(slots: slots, count: 2) == nil)
    }

    /// The hash is part of the snapshot format: these values may never change within a version.
    @Test func theHashIsFixed() {
        #expect(DocumentIndex.hash("") == DocumentIndex.hash(""))
        #expect(DocumentIndex.hash("INV-000001") != DocumentIndex.hash("INV-000002"))
        #expect(DocumentIndex.hash("INV-000001") == 4_286_915_657)
        #expect(DocumentIndex.hash("上海华瑞科技有限公司") == 850_818_990)
    }

    /// The hash as first written (byte by byte), against which the faster one is held at every
    /// length from 0 to 40, with digits, letters and Chinese, so a snapshot's slots stay valid.
    @Test func theHashIsTheOneSnapshotsWereWrittenWith() {
        func reference(_ key: String) -> UInt32 {
            let bytes = Array(key.utf8)
            var end = bytes.count, counter: UInt32 = 0, scale: UInt32 = 1
            while end > 0, bytes.count - end < 9, bytes[end - 1] >= 0x30, bytes[end - 1] <= 0x39 {
                counter += UInt32(bytes[end - 1] - 0x30) * scale
                scale &*= 10
                end -= 1
            }
            func mix(_ value: UInt64) -> UInt64 {
                let product = value.multipliedFullWidth(by: 0xBF58_476D_1CE4_E5B9)
                return product.high ^ product.low
            }
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(end)
            var offset = 0
            while offset + 8 <= end {
                var word: UInt64 = 0
                for shift in 0..<8 { word |= UInt64(bytes[offset + shift]) << (8 * UInt64(shift)) }
                state = mix(state ^ word)
                offset += 8
            }
            var last: UInt64 = 0
            for (shift, byte) in bytes[offset..<end].enumerated() { last |= UInt64(byte) << (8 * UInt64(shift)) }
            state = mix(state ^ last)
            return UInt32(truncatingIfNeeded: state ^ state >> 32) &+ counter
        }
        let alphabet = Array("0123456789AZaz-_上海")
        var state: UInt64 = 11
        func next() -> Int {  // a fixed sequence: the same keys on every run
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        for length in 0...40 {
            for _ in 0..<20 {
                let key = String((0..<length).map { _ in alphabet[next() % alphabet.count] })
                #expect(DocumentIndex.hash(key) == reference(key), "\(key)")
            }
        }
    }

    /// Numbers that count up hash to neighbours (up to nine digits), so a replay's probes stay
    /// near one another; other numbers are spread.
    @Test func numbersThatCountUpAreNeighbours() {
        #expect(DocumentIndex.hash("INV-000124") == DocumentIndex.hash("INV-000123") &+ 1)
        #expect(DocumentIndex.hash("C00001-0010") == DocumentIndex.hash("C00001-0009") &+ 1)
        #expect(DocumentIndex.hash("2026000000124") == DocumentIndex.hash("2026000000123") &+ 1)
        #expect(DocumentIndex.hash("C00002-0001") != DocumentIndex.hash("C00001-0001") &+ 1)
        #expect(DocumentIndex.hash("INV-1") == DocumentIndex.hash("INV-01"))  // told apart by the key itself
        var keys = ["INV-1"]
        var index = DocumentIndex()
        #expect(index.insert("INV-1", at: 0, keyAt: { keys[$0] }) == nil)
        keys.append("INV-01")
        #expect(index.insert("INV-01", at: 1, keyAt: { keys[$0] }) == nil)
        #expect(index.position(of: "INV-01", keyAt: { keys[$0] }) == 1)
    }

    @Test func smallListBehavesAsAnArray() async {
        await propertyCheck(count: 200, input: Gen.int(in: -50...50).array(of: 0...6)) { values in
            var list = SmallList<Int>()
            for value in values { list.append(value) }
            #expect(Array(list) == values)
            #expect(list == SmallList(values))
            #expect(list.count == values.count)
            if !values.isEmpty {
                list[values.count - 1] = 99
                #expect(list.last == 99 && Array(list.dropLast()) == Array(values.dropLast()))
            }
        }
    }
}
