import Core
import Foundation
import Glibc

/// What the command line writes for a person to read: a character that would act on the terminal
/// (an ESC in a note a log written before they were refused may hold, in a cell of a file quoted
/// back, in a mistyped argument) is shown, not sent (see `screenControlsShown`). CSV and JSON on
/// stdout are data for a program and go through `print` as they are.
enum TerminalOutput {
    static func print(_ text: String, terminator: String = "\n") {
        Swift.print(text.screenControlsShown, terminator: terminator)
    }

    /// One line on stderr: a note beside the output, or why a command failed.
    static func warn(_ line: String) { toStandardError(line.screenControlsShown + "\n") }

    /// Written with write(2), its failure ignored: FileHandle's `write` traps when the write fails
    /// (errors sent to a full disk, `2>/dev/full`), which turned a saved change into a crash.
    static func toStandardError(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}
