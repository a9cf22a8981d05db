import Terminal

/// Editing one line of typed text the way a shell does, shared by form fields and the search
/// and command lines.
enum LineEditing {
    /// Where Ctrl-W's deletion starts: back over spaces and punctuation, then over the word
    /// before them. Punctuation ends a word too: Chinese has no spaces, and its commas (，、) are
    /// where a phrase ends.
    static func wordStart(in characters: [Character], before caret: Int) -> Int {
        func breaks(_ c: Character) -> Bool { c.isWhitespace || c.isPunctuation }
        var start = caret
        while start > 0 && breaks(characters[start - 1]) { start -= 1 }
        while start > 0 && !breaks(characters[start - 1]) { start -= 1 }
        return start
    }

    /// Edits a line typed at its end (the search and command lines): backspace, Ctrl-U, Ctrl-W,
    /// a character, a paste (its line breaks dropped). False for any other key, left unchanged.
    static func edit(_ line: inout String, with key: Key) -> Bool {
        switch key {
        case .backspace, .delete: if !line.isEmpty { line.removeLast() }
        case .ctrl("u"): line = ""
        case .ctrl("w"): line = droppingLastWord(line)
        case .char(let c): line.append(c)
        case .paste(let text): line += text.filter { !$0.isNewline }
        default: return false
        }
        return true
    }

    /// `text` without its last word and the spaces after it (Ctrl-W at the end of a line).
    static func droppingLastWord(_ text: String) -> String {
        let characters = Array(text)
        return String(characters[..<wordStart(in: characters, before: characters.count)])
    }
}
