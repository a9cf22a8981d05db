#if canImport(Glibc)
import Glibc
#endif

/// Who is running this process, according to the operating system (never `$USER`, which anyone
/// can set).
public enum SystemIdentity {
    /// The login name of the real user id (`getuid()` looked up with `getpwuid_r`), or `uid<N>`
    /// when the user database has no entry.
    public static func currentUserName() -> String {
        let uid = getuid()
        var pwd = passwd()
        var result: UnsafeMutablePointer<passwd>? = nil
        var size = 1024
        while size <= 1 << 20 {
            var buffer = [CChar](repeating: 0, count: size)
            var name: String? = nil
            let rc = buffer.withUnsafeMutableBufferPointer { buf -> Int32 in
                let rc = getpwuid_r(uid, &pwd, buf.baseAddress!, size, &result)
                if rc == 0, result != nil, let p = pwd.pw_name { name = String(cString: p) }
                return rc
            }
            if rc == ERANGE { size *= 4; continue }
            if let name, !name.isEmpty { return name }
            break
        }
        return "uid\(uid)"
    }
}
