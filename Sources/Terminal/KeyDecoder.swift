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
