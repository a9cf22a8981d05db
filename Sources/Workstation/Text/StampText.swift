import Core
import Foundation

/// When an activity happened, as a collector reads it: its business day, and the local time of
/// day it was saved when that falls on the same day. The record's time is UTC and its day is the
/// business day it was entered for (a history imported today keeps its own days), so the UTC
/// time alone showed yesterday's or today's date against the wrong events.
enum StampText {
    static func label(_ stamp: Stamp, timeZone: TimeZone = .current) -> String {
        guard let local = localTime(stamp.time, timeZone: timeZone), local.day == stamp.day.iso else {
            return stamp.day.iso + "      "
        }
        return stamp.day.iso + " " + local.clock
    }

    /// `2026-11-24T03:40:00.123Z` in `timeZone`: its day and its hour and minute.
    static func localTime(_ utc: String, timeZone: TimeZone) -> (day: String, clock: String)? {
        guard let date = parser.date(from: String(utc.prefix(19)) + "Z") else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        guard let y = c.year, let m = c.month, let d = c.day, let h = c.hour, let min = c.minute else { return nil }
        return (String(format: "%04d-%02d-%02d", y, m, d), String(format: "%02d:%02d", h, min))
    }

    nonisolated(unsafe) private static let parser: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f
    }()
}
