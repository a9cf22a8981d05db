import Core
import Foundation

/// When an activity happened, as a collector reads it: its business day, and the local time of
/// day it was saved when that falls on the same day. The record's time is UTC and its day is the
/// business day it was entered for (a history imported today keeps its own days), so the UTC
/// time alone showed yesterday's or today's date against the wrong events.
enum StampText {
    static func label(_ stamp: Stamp, timeZone: TimeZone = .current) -> String {
        guard let local = localTime(stamp.time, timeZone: timeZone), local.day == stamp.day else {
            return stamp.day.iso + "      "
        }
        return stamp.day.iso + " " + local.clock
    }

    /// `2026-11-24T03:40:00.123Z` in `timeZone`: its day and its hour and minute. Read from the
    /// text's digits, not through a date formatter: the ledger draws one per activity per frame.
    static func localTime(_ utc: String, timeZone: TimeZone) -> (day: Day, clock: String)? {
        let bytes = Array(utc.utf8.prefix(16))
        guard bytes.count == 16, bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
              let day = Day(iso: String(decoding: bytes[0..<10], as: UTF8.self)),
              let hour = Int(String(decoding: bytes[11..<13], as: UTF8.self)),
              let minute = Int(String(decoding: bytes[14..<16], as: UTF8.self)) else { return nil }
        // Day ordinals count days since 1970-01-01 (Day's epoch), as Unix time does.
        let seconds = (Int(day.ordinal) * 86_400) + hour * 3_600 + minute * 60
        let local = seconds + timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
        let localDay = Day(ordinal: Int32((local - ((local % 86_400) + 86_400) % 86_400) / 86_400))
        let minutes = ((local % 86_400) + 86_400) % 86_400 / 60
        let two = { (n: Int) in n < 10 ? "0" + String(n) : String(n) }
        return (localDay, two(minutes / 60) + ":" + two(minutes % 60))
    }
}
