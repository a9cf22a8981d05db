import Core
import Foundation

/// What the command line writes for a person to read: a character that would act on the terminal
/// (an ESC in a note a log written before they were refused may hold, in a cell of a file quoted
/// back, in a mistyped argument) is shown, not sent (see `screenControlsShown`). CSV and JSON on
/// stdout are data for a program and go through `print` as they are.
enum TerminalOutput {
    static func print(_ text: String, terminator: String = "\n") {
        Swift.print(text.screenControlsShown, terminator: terminator)
    }

    /// One line on stderr: a note beside the output, or why a command failed.
    static func warn(_ line: String) {
        FileHandle.standardError.write(Data((line.screenControlsShown + "\n").utf8))
    }
}
