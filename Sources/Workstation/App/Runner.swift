import Dispatch
import Terminal

/// The input loop: draw, wait up to a second for a key, and look for other users' appends both
/// when idle and between keys, so they appear within a second without disturbing the cursor.
public enum WorkstationRunner {
    public static func run(_ workstation: Workstation, terminal: TerminalBackend) {
        workstation.lookForEarlierDamage()
        func draw() {
            let size = terminal.size
            terminal.present(workstation.render(rows: size.rows, cols: size.cols))
        }
        draw()
        workstation.firstScreenShown()
        var dirty = false
        var lastPoll = DispatchTime.now().uptimeNanoseconds
        while true {
            if dirty {
                draw()
                dirty = false
            }
            let key = terminal.nextKey(timeoutMilliseconds: 500)
            let now = DispatchTime.now().uptimeNanoseconds
            if key == nil || now - lastPoll > 500_000_000 {
                lastPoll = now
                if workstation.poll() { dirty = true }
            }
            guard let key else { continue }
            if key == .hangup || !workstation.handle(key) { break }
            dirty = true
        }
    }
}
