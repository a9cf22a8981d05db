import CNcursesw
import CTerminalSupport
import Foundation

/// The real terminal, through ncursesw. Owns set-up and tear-down; every way out (quit, error,
/// TERM/INT/HUP, a dropped SSH link, a crash) leaves the terminal usable.
public final class NcursesTerminal: TerminalBackend {
    let rendition: Theme.Rendition
    let theme: Theme
    private var pairs: [Role: (attributes: attr_t, pair: Int16)] = [:]
    private var shown: Screen?
    private var quickErrors = 0
    /// A key ncurses had decoded already that came right after an Esc (an arrow, a paste's
    /// start): read with the Esc, handed out by the next `nextKey` rather than lost.
    private var pending: (result: Int32, value: wint_t)?
    private var isOpen = false

    /// `colorMode` forces a rendition (for `NO_COLOR` or a `--theme mono`); nil picks from the terminal.
    public init(theme: Theme, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.theme = theme
        NcursesTerminal.chooseLocale()
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal }
        let term = environment["TERM"] ?? ""  // "": not set at all
        guard ardesk_start_screen() != 0 else { throw TerminalError.cannotStart(term: term) }
        guard ardesk_can_place_cursor() != 0 else { endwin(); throw TerminalError.cannotDraw(term: term) }
        isOpen = true
        ardesk_install_signal_handlers()
        raw()
        noecho()
        nonl()
        keypad(ardesk_stdscr(), true)
        set_escdelay(25)  // Esc must feel instant over SSH; ncurses' default waits a second
        curs_set(0)
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        if !noColor && has_colors() {
            start_color()
            use_default_colors()
            rendition = ardesk_colors() >= 256 ? .colors256 : .colors8
        } else {
            rendition = .mono
        }
        definePairs()
        define_key("\u{1b}[200~", KeyDecoder.Code.pasteStart)
        define_key("\u{1b}[201~", KeyDecoder.Code.pasteEnd)
        // What terminals send for Home, End, Delete and the page keys whatever $TERM says (tmux,
        // screen, PuTTY and the console send ESC [1~ for Home under TERM=xterm, whose entry
        // lacks it): each read as its key, so that none reaches a form as Esc.
        for (sequence, code) in KeyDecoder.commonSequences { define_key(sequence, code) }
        NcursesTerminal.write("\u{1b}[?2004h")  // bracketed paste: pasted text arrives marked as such
    }

    deinit { shutdown() }

    /// The signal (TERM, HUP, INT) that ended the session, 0 when the user quit: the process
    /// exits 128 + it, as a shell reports a process a signal stopped.
    public static var stopSignal: Int32 { ardesk_stop_signal() }

    /// CJK is only drawn under a UTF-8 codeset: fall back to C.UTF-8 when the user's locale is not
    /// installed (only C, C.UTF-8 and POSIX exist on many servers).
    static func chooseLocale() {
        setlocale(LC_ALL, "")
        let codeset = String(cString: ardesk_codeset())
        if codeset.uppercased().replacingOccurrences(of: "-", with: "") != "UTF8" {
            setlocale(LC_ALL, "C.UTF-8")
        }
    }

    static func write(_ text: String) {
        _ = text.withCString { Foundation.write(STDOUT_FILENO, $0, strlen($0)) }
    }

    private func definePairs() {
        var next: Int16 = 1
        for role in Role.allCases {
            let style = theme.style(role, rendition)
            var attributes = ardesk_a_normal()
            for attribute in style.attributes {
                switch attribute {
                case .bold: attributes |= ardesk_a_bold()
                case .reverse: attributes |= ardesk_a_reverse()
                case .underline: attributes |= ardesk_a_underline()
                case .dim: attributes |= ardesk_a_dim()
                }
            }
            var pair: Int16 = 0
            if rendition != .mono, style.foreground != -1 || style.background != -1 {
                init_pair(next, Int16(style.foreground), Int16(style.background))
                pair = next
                next += 1
            }
            pairs[role] = (attributes, pair)
        }
    }

    public var size: (rows: Int, cols: Int) {
        (Int(getmaxy(ardesk_stdscr())), Int(getmaxx(ardesk_stdscr())))
    }

    /// Sends only the cells that differ from the last frame; ncurses then sends only real changes.
    public func present(_ screen: Screen) {
        guard isOpen else { return }
        let window = ardesk_stdscr()
        let previous = (shown?.rows == screen.rows && shown?.cols == screen.cols) ? shown : nil
        if previous == nil { werase(window) }
        var cell = cchar_t()
        for row in 0..<screen.rows {
            for col in 0..<screen.cols {
                let current = screen[row, col]
                if let previous, previous[row, col] == current { continue }
                guard let character = current.character else { continue }  // right half of a wide character
                let style = pairs[current.role] ?? (ardesk_a_normal(), 0)
                var wide: [wchar_t] = character.unicodeScalars.prefix(4).map { wchar_t(bitPattern: $0.value) } + [0]
                setcchar(&cell, &wide, style.attributes, style.pair, nil)
                mvwadd_wch(window, Int32(row), Int32(col), &cell)
            }
        }
        shown = screen
        wnoutrefresh(window)
        doupdate()
    }

    public func repaint() {
        guard isOpen else { return }
        shown = nil
        clearok(ardesk_curscr(), true)  // ncurses forgets what it thinks is shown, and sends it all
    }

    public func nextKey(timeoutMilliseconds: Int) -> Key? {
        guard isOpen else { return .hangup }
        if ardesk_stop_signal() != 0 { return .hangup }
        let window = ardesk_stdscr()
        wtimeout(window, Int32(timeoutMilliseconds))
        let started = DispatchTime.now().uptimeNanoseconds
        var value: wint_t = 0
        let result: Int32
        if let held = pending {
            pending = nil
            (result, value) = held
        } else {
            result = wget_wch(window, &value)
        }
        if ardesk_stop_signal() != 0 { return .hangup }
        if result == ERR {
            // A timeout takes the whole timeout; a closed terminal answers ERR at once, forever.
            let elapsedMs = Int((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
            quickErrors = elapsedMs < timeoutMilliseconds / 2 ? quickErrors + 1 : 0
            return quickErrors > 20 ? .hangup : nil
        }
        quickErrors = 0
        let isKeyCode = result == KEY_CODE_YES
        if isKeyCode && Int32(value) == KeyDecoder.Code.pasteStart { return readPaste() }
        if !isKeyCode && value == 27, let rest = sequenceAfterEscape() {
            if rest.count == 1, rest[0] != "[", rest[0] != "O" { return .alt(Character(rest[0])) }
            return KeyDecoder.unknownSequence(rest)
        }
        if isKeyCode && Int32(value) == KeyDecoder.Code.resize { shown = nil }
        return KeyDecoder.decode(Int32(value), isKeyCode: isKeyCode)
    }

    /// After an Esc, the rest of an escape sequence that arrived with it (`[` or `O`, then its
    /// parameters and final character) and that ncurses did not know: a function key no entry
    /// names, which must not act as Esc (cancelling a form) followed by text typed into it; or
    /// the one character that came with the Esc (see `Key.alt`). Nil when nothing came with the
    /// Esc; a key that did (an arrow, a second Esc, a control key) is given back to be read next.
    private func sequenceAfterEscape() -> [Unicode.Scalar]? {
        let window = ardesk_stdscr()
        wtimeout(window, 0)
        var value: wint_t = 0
        var result = wget_wch(window, &value)
        guard result == OK, let introducer = Unicode.Scalar(UInt32(value)) else {
            // A key ncurses decoded: Esc now, that key next.
            if result != ERR { pending = (result, value) }
            return nil
        }
        if "]P_^".unicodeScalars.contains(introducer) { return terminalReply(after: introducer) }
        guard introducer == "[" || introducer == "O" else {
            if introducer.value < 0x20 || introducer.value == 0x7F { pending = (result, value); return nil }  // Esc, then a control key
            return [introducer]  // Alt with a character, or Esc and the next key at once
        }
        var rest = [introducer]
        while rest.count < 64 {  // long enough for any key's parameters: a longer tail must not be typed
            result = wget_wch(window, &value)
            guard result == OK, let scalar = Unicode.Scalar(UInt32(value)) else {
                if result != ERR { pending = (result, value) }
                break
            }
            rest.append(scalar)
            if KeyDecoder.endsSequence(scalar, after: rest.count - 1) { break }
        }
        return rest
    }

    /// A string a terminal sends unasked or in reply (OSC, DCS, APC, PM: a colour or status
    /// answered to another program's question), read to its end (BEL, or Esc \) and dropped: its
    /// text must not be typed into a form or act as keys. Alone, `introducer` is Alt with it.
    private func terminalReply(after introducer: Unicode.Scalar) -> [Unicode.Scalar] {
        let window = ardesk_stdscr()
        var rest = [introducer]
        var value: wint_t = 0
        while rest.count < 4096, wget_wch(window, &value) == OK, let scalar = Unicode.Scalar(UInt32(value)), scalar != "\u{07}" {
            if scalar == "\u{1b}" { _ = wget_wch(window, &value); break }  // the string terminator, Esc \
            rest.append(scalar)
        }
        return rest
    }

    /// Everything up to the end-of-paste marker, as one piece of text.
    private func readPaste() -> Key {
        var text = ""
        let window = ardesk_stdscr()
        wtimeout(window, 200)
        while true {
            var value: wint_t = 0
            let result = wget_wch(window, &value)
            if result == ERR { break }
            if result == KEY_CODE_YES {
                if Int32(value) == KeyDecoder.Code.pasteEnd { break }
                continue
            }
            if let scalar = Unicode.Scalar(UInt32(value)) { text.unicodeScalars.append(scalar == "\r" ? "\n" : scalar) }
        }
        return .paste(text)
    }

    public func shutdown() {
        guard isOpen else { return }
        isOpen = false
        NcursesTerminal.write("\u{1b}[?2004l")
        if !isendwin() { endwin() }
    }
}
