import Desk

/// What a key handler wants to happen; the loop makes it happen (handlers never draw or write).
enum Reaction: Sendable {
    case none
    case redraw
    case perform(Command, success: String)
    case quit
}
