import Core
import Dispatch
import Terminal

/// The input loop: draw, wait up to a second for a key, and look for other users' appends both
/// when idle and between keys, so they appear within a second without disturbing the cursor.
public enum WorkstationRunner {
    /// `clock`: the day now, for a session that follows it past midnight (nil: a pinned day).
    public static func run(_ workstation: Workstation, terminal: TerminalBackend, clock: (() -> Day)? = nil) {
        workstation.lookForEarlierDamage()
        func draw() {
            let size = terminal.size
            terminal.present(workstation.render(rows: size.rows, cols: size.cols))
        }
        draw()
        workstation.firstScreenShown()
        var dirty = false
        var lastPoll = DispatchTime.now().uptimeNanoseconds
        /// One key: false to stop. Ctrl-L sends the whole screen again, as in other curses programs.
        func take(_ key: Key) -> Bool {
            if key == .ctrl("l") { terminal.repaint(); return true }
            return key != .hangup && workstation.handle(key)
        }
        func mustShow() -> Bool {
            workstation.state.message != nil || workstation.state.armedApproval != nil || workstation.screenTooSmall
        }
        loop: while true {
            if dirty {
                draw()
                dirty = false
            }
            let key = terminal.nextKey(timeoutMilliseconds: 500)
            let now = DispatchTime.now().uptimeNanoseconds
            if key == nil || now - lastPoll > 500_000_000 {
                lastPoll = now
                if workstation.poll() { dirty = true }
                if let clock, workstation.clockTurned(to: clock()) { dirty = true }
            }
            guard let key else { continue }
            guard take(key) else { break }
            dirty = true
            // Keys already waiting (one held down, or typed ahead of a slow link) are handled
            // before the next frame: a frame for each would be out of date before it arrived,
            // and over a slow link the screen fell seconds behind the keys.
            // Not past what the next frame must show first: a resize (the screen's size decides
            // what keys act on), a message or a question (a write-off's second y), a panel changed.
            var context = workstation.state.context
            for _ in 0..<64 {
                if key == .resize || mustShow() || context != workstation.state.context { break }
                guard let next = terminal.nextKey(timeoutMilliseconds: 0) else { break }
                guard take(next) else { break loop }
                if next == .resize { break }
                context = workstation.state.context
            }
        }
    }
}
