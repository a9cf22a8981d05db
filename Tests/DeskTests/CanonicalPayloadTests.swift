import Core
@testable import Desk
import FlatJSON
import PropertyBased
import Testing

/// The fast reading of invoices and payments (`CanonicalPayload`) must read what it accepts
/// exactly as the general reader does, and accept what ardesk writes.
@Suite struct CanonicalPayloadTests {
    /// The general reader alone, as replay used it before the fast path.
    static func general(_ type: String, _ bytes: [UInt8]) -> Result<(Event, Day), Error> {
        Result {
            try bytes.withUnsafeBufferPointer { buffer in
                try PayloadReader.reading(buffer) { try EventCodec.decode(type: type, reader: $0, author: "tester") }
            }
        }
    }

    static func canonical(_ type: String, _ bytes: [UInt8]) -> (Event, Day)? {
        bytes.withUnsafeBufferPointer { CanonicalPayload.decode(type: type, $0) }
    }

    /// The demo's deterministic generator, so that a failing seed can be replayed by hand.
    struct Random {
        var generator: SeededRandom
        init(state: UInt64) { generator = SeededRandom(seed: state) }
        mutating func below(_ n: Int) -> Int { generator.int(0...n - 1) }
        mutating func chance(_ percent: Int) -> Bool { generator.chance(percent) }

        /// Text that is usually plain ASCII (the fast path's), sometimes not.
        mutating func text() -> String {
            let plain = Array("ABCXYZ0123456789-_/ .")
            let odd: [Character] = ["\"", "\\", "\n", "\u{7F}", "上", "é", "\u{1F}"]
            var s = ""
            for _ in 0..<below(14) { s.append(chance(4) ? odd[below(odd.count)] : plain[below(plain.count)]) }
            return s
        }
        mutating func amount() -> Money {
            // Around the fast path's 18 digits; three of them still add up without overflow.
            let magnitudes: [Int64] = [0, 1, 9, 10, 950_000, 999_999_999_999_999_999, 1_000_000_000_000_000_000, -1_000_000_000_000_000_000]
            if chance(20) { return Money(minorUnits: magnitudes[below(magnitudes.count)]) }
            return Money(minorUnits: Int64(below(2_000_000_000)) - (chance(10) ? 1_000_000_000 : 0))
        }
        mutating func day() -> Day { Day(iso: "2026-01-01")!.adding(days: below(800) - 100) }
    }

    static func invoice(_ r: inout Random) -> Event {
        let instalments = (0..<[1, 1, 1, 2, 3, 0][r.below(6)]).map { _ in Instalment(due: r.day(), amount: r.amount()) }
        return .invoiceIssued(Invoice(number: r.text(), customer: r.text(), issued: r.day(), instalments: instalments,
                                      reference: r.chance(70) ? r.text() : ""))
    }

    static func payment(_ r: inout Random) -> Event {
        let allocations = (0..<[1, 1, 1, 2, 0][r.below(5)]).map { _ in Allocation(invoice: r.text(), amount: r.amount()) }
        return .paymentReceived(Payment(reference: r.text(), customer: r.text(), day: r.day(), amount: r.amount(),
                                        method: r.chance(70) ? r.text() : "", allocations: allocations, byRule: r.chance(50)))
    }

    static func isPlain(_ s: String) -> Bool { s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C } }

    /// Whether the fast path is meant to take this event as written (plain text, amounts of at most 18 digits).
    static func isCanonical(_ event: Event) -> Bool {
        func small(_ m: Money) -> Bool { m.minorUnits > -1_000_000_000_000_000_000 && m.minorUnits < 1_000_000_000_000_000_000 }
        switch event {
        case .invoiceIssued(let i):
            return [i.number, i.customer, i.reference].allSatisfy(isPlain) && i.instalments.allSatisfy { small($0.amount) }
        case .paymentReceived(let p):
            return [p.reference, p.customer, p.method].allSatisfy(isPlain) && small(p.amount)
                && p.allocations.allSatisfy { small($0.amount) && isPlain($0.invoice) }
        default:
            return false
        }
    }

    @Test func readsWhatArdeskWritesAsTheGeneralReaderDoes() async {
        await propertyCheck(count: 3_000, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var r = Random(state: UInt64(seed))
            let event = r.chance(50) ? Self.invoice(&r) : Self.payment(&r)
            let day = r.day()
            let encoded = EventCodec.encode(event, day: day)
            let bytes = Array(JSONWriter.string(.object(encoded.payload)).utf8)
            let fast = Self.canonical(encoded.type, bytes)
            let general = try? Self.general(encoded.type, bytes).get()
            #expect(general?.0 == event && general?.1 == day, "seed \(seed)")
            if Self.isCanonical(event) {
                #expect(fast?.0 == event && fast?.1 == day, "seed \(seed): \(String(decoding: bytes, as: UTF8.self))")
            } else {
                #expect(fast == nil || (fast?.0 == event && fast?.1 == day), "seed \(seed)")
            }
        }
    }

    /// Damaged, reordered or hand-written payloads: whatever the fast path accepts, the general
    /// reader accepts too and reads alike; everything else is left to it.
    @Test func acceptsNothingTheGeneralReaderReadsOtherwise() async {
        let bytesToTry: [UInt8] = Array("\"\\{}[],:-0123456789 .eE\u{7F}nulltrue".utf8) + [0x00, 0x1F, 0xC3, 0xA9, 0xFF]
        await propertyCheck(count: 4_000, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var r = Random(state: UInt64(seed))
            let event = r.chance(50) ? Self.invoice(&r) : Self.payment(&r)
            let encoded = EventCodec.encode(event, day: r.day())
            var bytes = Array(JSONWriter.string(.object(encoded.payload)).utf8)
            for _ in 0..<(1 + r.below(2)) where !bytes.isEmpty {
                let at = r.below(bytes.count)
                switch r.below(3) {
                case 0: bytes[at] = bytesToTry[r.below(bytesToTry.count)]
                case 1: bytes.remove(at: at)
                default: bytes.insert(bytesToTry[r.below(bytesToTry.count)], at: at)
                }
            }
            guard let fast = Self.canonical(encoded.type, bytes) else { return }
            let general = try? Self.general(encoded.type, bytes).get()
            #expect(general != nil, "seed \(seed): \(String(decoding: bytes, as: UTF8.self))")
            if let general { #expect(general.0 == fast.0 && general.1 == fast.1, "seed \(seed): \(String(decoding: bytes, as: UTF8.self))") }
        }
    }

    @Test func leavesOtherFormsToTheGeneralReader() throws {
        let written = #"{"day":"2026-03-01","number":"INV-1","customer":"C1","issued":"2026-03-01","instalments":[{"due":"2026-04-01","amount":100}]}"#
        #expect(Self.canonical("invoice.issued", Array(written.utf8)) != nil)
        for other in [
            #"{"number":"INV-1","day":"2026-03-01","customer":"C1","issued":"2026-03-01","instalments":[{"due":"2026-04-01","amount":100}]}"#,
            #"{"day":"2026-03-01", "number":"INV-1","customer":"C1","issued":"2026-03-01","instalments":[{"due":"2026-04-01","amount":100}]}"#,
            #"{"day":"2026-03-01","number":"INV\u002D1","customer":"C1","issued":"2026-03-01","instalments":[{"due":"2026-04-01","amount":100}]}"#,
            #"{"day":"2026-03-01","number":"发票1","customer":"C1","issued":"2026-03-01","instalments":[{"due":"2026-04-01","amount":100}]}"#,
            #"{"day":"2026-03-01","number":"INV-1","customer":"C1","issued":"2026-03-01","instalments":[{"due":"2026-04-01","amount":1000000000000000000}]}"#,
            #"{"day":"2026-03-01","number":"INV-1","customer":"C1","issued":"2026-03-01","instalments":[{"due":"2026-04-01","amount":100}],"extra":1}"#,
        ] {
            #expect(Self.canonical("invoice.issued", Array(other.utf8)) == nil, "\(other)")
            #expect((try? Self.general("invoice.issued", Array(other.utf8)).get()) != nil, "the general reader reads \(other)")
        }
        let escaped = try Self.general("invoice.issued", Array(#"{"day":"2026-03-01","number":"INV\u002D1","customer":"C1","issued":"2026-03-01","instalments":[{"due":"2026-04-01","amount":100}]}"#.utf8)).get()
        #expect(escaped.0 == Self.canonical("invoice.issued", Array(written.utf8))?.0)
    }
}
