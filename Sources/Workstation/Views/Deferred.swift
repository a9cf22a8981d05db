import Foundation

/// A value computed on another thread, waited for by whoever reads it first: work the first
/// screen does not show goes on while the user reads it.
final class Deferred<Value: Sendable>: @unchecked Sendable {
    private let ready = NSCondition()
    /// Set once by the computing thread; read and changed under `ready` afterwards.
    private var result: Value?

    init(priority: DispatchQoS.QoSClass = .userInitiated, computing make: @escaping @Sendable () -> Value) {
        DispatchQueue.global(qos: priority).async {
            let value = make()
            self.ready.lock()
            self.result = value
            self.ready.broadcast()
            self.ready.unlock()
        }
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

    /// Whether the value is there, without waiting for it.
    var isReady: Bool {
        ready.lock()
        defer { ready.unlock() }
        return result != nil
    }
}
