/// A key press as the workstation sees it, decoded from ncurses or scripted in tests.
public enum Key: Hashable, Sendable {
    case char(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    case function(Int)
    case ctrl(Character)
    /// Esc and a character that arrived together: Alt with a key, or Esc and the key typed next
    /// over a slow link (which cannot be told apart).
    case alt(Character)
    /// Text that arrived as a bracketed paste: data, never commands.
    case paste(String)
    case resize
    /// The terminal went away (SSH dropped) or a TERM/INT/HUP signal asked us to stop.
    case hangup
}
