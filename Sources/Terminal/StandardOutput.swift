import CTerminalSupport

/// The command line's standard output, whose failed writes (a full disk, a closed pipe) a
/// command must not end as if written.
public enum StandardOutput {
    /// Flushes it; 0 when everything written reached it, else the errno of the failure (-1: a write failed, its reason no longer known).
    public static func flushFailure() -> Int32 { ardesk_stdout_failure() }
}
