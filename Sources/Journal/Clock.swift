#if canImport(Glibc)
import Glibc
#endif

/// The wall clock as the journal writes it: a record's time and a file name's stamp, in UTC.
extension Journal {
    /// The current UTC time as `2026-11-24T03:40:00.123Z`.
    public static func utcNow() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let tm = utcFields(time_t(ts.tv_sec))
        return "\(pad(tm.tm_year + 1900, 4))-\(pad(tm.tm_mon + 1, 2))-\(pad(tm.tm_mday, 2))T"
            + "\(pad(tm.tm_hour, 2)):\(pad(tm.tm_min, 2)):\(pad(tm.tm_sec, 2)).\(pad(Int32(ts.tv_nsec / 1_000_000), 3))Z"
    }

    /// Compact UTC stamp for file names: `20261124T034000Z`.
    static func fileStamp() -> String {
        let tm = utcFields(time(nil))
        return "\(pad(tm.tm_year + 1900, 4))\(pad(tm.tm_mon + 1, 2))\(pad(tm.tm_mday, 2))T\(pad(tm.tm_hour, 2))\(pad(tm.tm_min, 2))\(pad(tm.tm_sec, 2))Z"
    }

    private static func utcFields(_ seconds: time_t) -> tm {
        var t = seconds
        var fields = Glibc.tm()
        gmtime_r(&t, &fields)
        return fields
    }

    /// `value` in decimal with leading zeros to `width` digits.
    private static func pad(_ value: Int32, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
