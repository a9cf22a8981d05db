import Foundation

/// A value computed on another thread, waited for by whoever reads it first: work the first
/// screen does not show goes on while the user reads it.
final class Deferred<Value: Sendable>: DeferredReady, @unchecked Sendable {
    private let ready = NSCondition()
    /// Set once by the computing thread; read and changed under `ready` afterwards.
    private var result: Value?

    init(priority: DispatchQoS.QoSClass = .userInitiated, computing make: @escaping @Sendable () -> Value) {
        DispatchQueue.global(qos: priority).async { self.set(make()) }
    }

    /// Computed on a thread of its own once `after` is ready: waiting on a dispatch queue's thread
    /// would hold one of the few that the other work's parallel loops share.
    init(after: some DeferredReady & Sendable, computing make: @escaping @Sendable () -> Value) {
        let thread = Thread {
            after.waitUntilReady()
            self.set(make())
        }
        thread.qualityOfService = .utility
        thread.start()
    }

    private func set(_ value: Value) {
        ready.lock()
        result = value
        ready.broadcast()
        ready.unlock()
    }

    var value: Value {
        ready.lock()
        defer { ready.unlock() }
        while result == nil { ready.wait() }
        return result!
    }

    /// Changes the value in place once it is there (no copy of its tables).
    func modify(_ change: (inout Value) -> Void) {
        ready.lock()
        defer { ready.unlock() }
        while result == nil { ready.wait() }
        change(&result!)
    }

    /// Waits until the value is there.
    func waitUntilReady() {
        ready.lock()
        defer { ready.unlock() }
        while result == nil { ready.wait() }
    }

    /// Whether the value is there, without waiting for it.
    var isReady: Bool {
        ready.lock()
        defer { ready.unlock() }
        return result != nil
    }
}

/// Something computed elsewhere that can be waited for.
protocol DeferredReady: AnyObject {
    func waitUntilReady()
}
