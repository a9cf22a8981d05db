import Core
import FlatJSON

/// Reads the two payloads nearly every record of a book has (an invoice issued, a payment
/// received) when they stand exactly as `EventCodec.encode` writes them: keys in the writer's
/// order, no spaces, text of printable ASCII without escapes, whole numbers of up to 18 digits.
///
/// Why: the general reader finds each field by its key in a table of the object's members and
/// allocates a list for every instalment or allocation; this one walks the bytes once, front to
/// back, and builds the event as it goes. Anything else (another order, an escape, a Chinese
/// reference, an extra key) returns nil and the general reader decides, so what this accepts it
/// reads exactly as the general reader would (a property test holds the two together).
enum CanonicalPayload {
    static func decode(type: String, _ data: UnsafeBufferPointer<UInt8>) -> (Event, Day)? {
        guard let base = data.baseAddress else { return nil }
        var cursor = Cursor(base: base, end: data.count)
        let decoded: (Event, Day)?
        if type == "invoice.issued" {
            decoded = invoice(&cursor)
        } else if type == "payment.received" {
            decoded = payment(&cursor)
        } else {
            return nil
        }
        return cursor.position == data.count ? decoded : nil
    }

    private static func invoice(_ c: inout Cursor) -> (Event, Day)? {
        guard c.take("{\"day\":"), let day = c.day(),
              c.take(",\"number\":"), let number = c.text(),
              c.take(",\"customer\":"), let customer = c.text(),
              c.take(",\"issued\":"), let issued = c.day(),
              c.take(",\"instalments\":["), let instalments = c.list(instalment) else { return nil }
        var reference = ""
        if c.take(",\"ref\":") {
            guard let text = c.text() else { return nil }
            reference = text
        }
        guard c.take("}") else { return nil }
        let invoice = instalments.count == 1
            ? Invoice(number: number, customer: customer, issued: issued, due: instalments[0].due,
                      amount: instalments[0].amount, reference: reference)
            : Invoice(number: number, customer: customer, issued: issued, instalments: Array(instalments), reference: reference)
        return (.invoiceIssued(invoice), day)
    }

    private static func instalment(_ c: inout Cursor) -> Instalment? {
        guard c.take("{\"due\":"), let due = c.day(), c.take(",\"amount\":"), let amount = c.integer(), c.take("}") else { return nil }
        return Instalment(due: due, amount: Money(minorUnits: amount))
    }

    private static func payment(_ c: inout Cursor) -> (Event, Day)? {
        guard c.take("{\"day\":"), let day = c.day(),
              c.take(",\"reference\":"), let reference = c.text(),
              c.take(",\"customer\":"), let customer = c.text(),
              c.take(",\"date\":"), let date = c.day(),
              c.take(",\"amount\":"), let amount = c.integer() else { return nil }
        var method = ""
        if c.take(",\"method\":") {
            guard let text = c.text() else { return nil }
            method = text
        }
        guard c.take(",\"allocations\":["), let allocations = c.list(allocation) else { return nil }
        let byRule = c.take(",\"by_rule\":true")
        guard c.take("}") else { return nil }
        return (.paymentReceived(Payment(reference: reference, customer: customer, day: date, amount: Money(minorUnits: amount),
                                         method: method, allocations: allocations, byRule: byRule)), day)
    }

    private static func allocation(_ c: inout Cursor) -> Allocation? {
        guard c.take("{\"invoice\":"), let invoice = c.text(), c.take(",\"amount\":"), let amount = c.integer(), c.take("}") else { return nil }
        return Allocation(invoice: invoice, amount: Money(minorUnits: amount))
    }

    /// A position in the payload's bytes; every read moves past what it read or fails.
    struct Cursor {
        let base: UnsafePointer<UInt8>
        let end: Int
        var position = 0

        init(base: UnsafePointer<UInt8>, end: Int) {
            self.base = base
            self.end = end
        }

        /// Moves past `literal` when the bytes here are exactly it. Compared byte by byte where it
        /// is called, not by `memcmp`: the literals are short and known there, and the calls were
        /// a tenth of decoding's samples.
        @inline(__always)
        mutating func take(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard end - position >= count else { return false }
            let expected = literal.utf8Start
            for offset in 0..<count where base[position + offset] != expected[offset] { return false }
            position += count
            return true
        }

        /// A string of printable ASCII without escapes, as a `String`.
        mutating func text() -> String? {
            guard let bytes = plainASCII() else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }

        mutating func day() -> Day? {
            guard let bytes = plainASCII() else { return nil }
            return Day(isoBytes: bytes)
        }

        /// The bytes between a string's quotes when all are printable ASCII and none is a
        /// backslash (so they are the text as it stands, and valid UTF-8).
        private mutating func plainASCII() -> UnsafeBufferPointer<UInt8>? {
            guard let (text, after) = JSONReader.plainASCIIString(UnsafeBufferPointer(start: base, count: end), at: position) else { return nil }
            position = after
            return text
        }

        /// A JSON whole number of at most 18 digits (so it cannot overflow), no leading zero. A
        /// fraction or exponent after it fails the literal the caller expects next.
        mutating func integer() -> Int64? {
            var at = position
            let negative = at < end && base[at] == UInt8(ascii: "-")
            if negative { at += 1 }
            let first = at
            var value: Int64 = 0
            while at < end, base[at] &- 48 <= 9, at - first < 18 {
                value = value * 10 + Int64(base[at] &- 48)
                at += 1
            }
            let digits = at - first
            guard digits > 0, !(digits > 1 && base[first] == UInt8(ascii: "0")) else { return nil }
            guard at == end || base[at] &- 48 > 9 else { return nil }  // a 19th digit: the general reader decides
            position = at
            return negative ? -value : value
        }

        /// Elements read by `element` up to the list's `]`, after its `[` was taken.
        mutating func list<Element>(_ element: (inout Cursor) -> Element?) -> SmallList<Element>? {
            var items = SmallList<Element>()
            if take("]") { return items }
            while true {
                guard let item = element(&self) else { return nil }
                items.append(item)
                if take("]") { return items }
                guard take(",") else { return nil }
            }
        }
    }
}
