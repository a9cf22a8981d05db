import Foundation

/// Says on the terminal how far opening a book has come, when it takes long enough to notice
/// (a large book without a snapshot takes seconds over a slow link, and a blank screen looks
/// stuck). Writes to standard error, only when that is a terminal, and removes its line when done.
final class OpeningProgressLine {
    private let started = DispatchTime.now().uptimeNanoseconds
    private let showsAfter: UInt64 = 400_000_000  // a snapshot's open (a few tenths) stays silent
    private var lastShown: UInt64 = 0
    private var shown = false
    private let enabled = isatty(STDERR_FILENO) == 1

    func update(bytesRead: Int, bytesTotal: Int) {
        guard enabled, bytesTotal > 0 else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - started >= showsAfter, now - lastShown >= 100_000_000 else { return }
        lastShown = now
        shown = true
        let percent = min(99, bytesRead * 100 / bytesTotal)
        write("\r\u{1B}[2Kardesk: reading the book's log… \(percent)%")
    }

    /// Clears the line, if one was shown.
    func finish() {
        guard shown else { return }
        write("\r\u{1B}[2K")
        shown = false
    }

    private func write(_ text: String) {
        TerminalOutput.toStandardError(text)
    }
}
