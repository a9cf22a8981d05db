/// Where frames go and keys come from: the real terminal, or memory in tests.
public protocol TerminalBackend: AnyObject {
    var size: (rows: Int, cols: Int) { get }
    func present(_ screen: Screen)
    /// The next key, or nil when `timeoutMilliseconds` passed without one (time to poll the book).
    func nextKey(timeoutMilliseconds: Int) -> Key?
    /// Sends the whole next frame again, whatever the terminal is thought to show (Ctrl-L: a
    /// screen garbled by line noise or another program's output).
    func repaint()
    func shutdown()
}

/// A terminal in memory: scripted keys in, presented frames kept for the test to read.
public final class MemoryTerminal: TerminalBackend {
    public var size: (rows: Int, cols: Int)
    public private(set) var frames: [Screen] = []
    /// nil: no key waiting at that point (a pause, as when the user stops typing).
    public var keys: [Key?]
    public private(set) var isShutDown = false

    public init(rows: Int, cols: Int, keys: [Key?] = []) {
        size = (rows, cols)
        self.keys = keys
    }

    public var lastFrame: Screen? { frames.last }

    public func present(_ screen: Screen) { frames.append(screen) }

    public private(set) var repaints = 0
    public func repaint() { repaints += 1 }

    /// Scripted keys, then a hangup so a loop under test always ends.
    public func nextKey(timeoutMilliseconds: Int) -> Key? {
        keys.isEmpty ? .hangup : keys.removeFirst()
    }

    public func shutdown() { isShutDown = true }
}
