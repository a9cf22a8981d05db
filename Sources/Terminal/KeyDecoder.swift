/// Turns what `get_wch` returned into a `Key`. Pure, so it is tested without a terminal.
public enum KeyDecoder {
    /// Codes ncurses uses for special keys (from <curses.h>; stable across ncurses 5 and 6).
    public enum Code {
        public static let down: Int32 = 0o402, up: Int32 = 0o403, left: Int32 = 0o404, right: Int32 = 0o405
        public static let home: Int32 = 0o406, backspace: Int32 = 0o407, f0: Int32 = 0o410
        public static let delete: Int32 = 0o512, pageDown: Int32 = 0o522, pageUp: Int32 = 0o523
        public static let enter: Int32 = 0o527, backTab: Int32 = 0o541, end: Int32 = 0o550, resize: Int32 = 0o632
        /// Codes defined with `define_key` for bracketed paste.
        public static let pasteStart: Int32 = 0o1200, pasteEnd: Int32 = 0o1201
    }

    /// Sequences many terminals send for Home, End, Delete, the page keys, F1 and F10 that a
    /// terminfo entry may not list (vt220 and rxvt forms, xterm's cursor-key forms).
    public static let commonSequences: [(String, Int32)] = [
        ("\u{1b}[1~", Code.home), ("\u{1b}[7~", Code.home), ("\u{1b}[H", Code.home), ("\u{1b}OH", Code.home),
        ("\u{1b}[4~", Code.end), ("\u{1b}[8~", Code.end), ("\u{1b}[F", Code.end), ("\u{1b}OF", Code.end),
        ("\u{1b}[3~", Code.delete), ("\u{1b}[5~", Code.pageUp), ("\u{1b}[6~", Code.pageDown),
        // F1 (help) and F10 (quit) as PuTTY, the vt220 and xterm send them under any $TERM.
        ("\u{1b}[11~", Code.f0 + 1), ("\u{1b}OP", Code.f0 + 1), ("\u{1b}[21~", Code.f0 + 10),
    ]

    /// Whether `scalar`, at `index` of what followed an Esc (`[` or `O` at 0), ends the escape
    /// sequence: after `O`, the one character that follows; after `[`, the first character from
    /// `@` to `~` (parameters and intermediates come before it), but for a second `[` (the Linux
    /// console's function keys, ESC [ [ A).
    public static func endsSequence(_ scalar: Unicode.Scalar, after index: Int) -> Bool {
        index >= 1 && (0x40...0x7E).contains(scalar.value) && !(index == 1 && scalar == "[")
    }

    /// What an escape sequence ncurses did not know (what followed its Esc) reads as: the Home
    /// and End forms no terminfo entry listed, else nothing (an unknown key does nothing, rather
    /// than Esc and stray text).
    public static func unknownSequence(_ rest: [Unicode.Scalar]) -> Key? {
        let text = "\u{1b}" + String(String.UnicodeScalarView(rest))
        return commonSequences.first { $0.0 == text }.flatMap { decode($0.1, isKeyCode: true) }
    }

    /// `isKeyCode` is true when get_wch returned KEY_CODE_YES.
    public static func decode(_ value: Int32, isKeyCode: Bool) -> Key? {
        if isKeyCode {
            switch value {
            case Code.up: return .up
            case Code.down: return .down
            case Code.left: return .left
            case Code.right: return .right
            case Code.home: return .home
            case Code.end: return .end
            case Code.pageUp: return .pageUp
            case Code.pageDown: return .pageDown
            case Code.backspace: return .backspace
            case Code.delete: return .delete
            case Code.enter: return .enter
            case Code.backTab: return .backTab
            case Code.resize: return .resize
            case Code.f0 + 1...Code.f0 + 24: return .function(Int(value - Code.f0))
            default: return nil
            }
        }
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(value) + 96)))
        default:
            guard value >= 32, let scalar = Unicode.Scalar(UInt32(value)) else { return nil }
            return .char(Character(scalar))
        }
    }
}
