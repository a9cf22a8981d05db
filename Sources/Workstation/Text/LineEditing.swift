/// Editing one line of typed text the way a shell does, shared by form fields and the search
/// and command lines.
enum LineEditing {
    /// Where Ctrl-W's deletion starts: back over spaces, then over the word before them.
    static func wordStart(in characters: [Character], before caret: Int) -> Int {
        var start = caret
        while start > 0 && characters[start - 1].isWhitespace { start -= 1 }
        while start > 0 && !characters[start - 1].isWhitespace { start -= 1 }
        return start
    }

    /// `text` without its last word and the spaces after it (Ctrl-W at the end of a line).
    static func droppingLastWord(_ text: String) -> String {
        let characters = Array(text)
        return String(characters[..<wordStart(in: characters, before: characters.count)])
    }
}
