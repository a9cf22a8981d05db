/// A key press as the workstation sees it, decoded from ncurses or scripted in tests.
public enum Key: Hashable, Sendable {
    case char(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    case function(Int)
    case ctrl(Character)
    /// Text that arrived as a bracketed paste: data, never commands.
    case paste(String)
    case resize
    /// The terminal went away (SSH dropped) or a TERM/INT/HUP signal asked us to stop.
    case hangup
}
