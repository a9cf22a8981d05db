import Desk

/// The books this process opened, kept to its end: freeing a large book's millions of objects one
/// by one as a command returns took a tenth of a second of every command, and the system takes a
/// process's memory back at once.
enum OpenedBooks {
    nonisolated(unsafe) private static var desks: [Desk] = []

    static func keep(_ desk: Desk) { desks.append(desk) }

    /// What closing them did: a snapshot that is due written, work on other threads finished.
    static func finish() {
        for desk in desks {
            desk.startDueSnapshot()
            desk.finishBackgroundWork()
        }
    }
}
