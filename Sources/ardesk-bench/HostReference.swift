import CChecksum
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Three fixed workloads on one core that stand for what an open of a large book pays per line:
/// hashing (the chain), new memory (the book's pages, each faulted in and zeroed by the kernel)
/// and cache misses (the fold's probes of tables of millions). The project's machine is a shared
/// host whose speed moves from day to day (by half between two rounds); printed beside every run,
/// these say which host a round's figures came from, so that rounds can be set side by side.
struct HostReference {
    /// SHA-256 of 340-byte lines, two at a time, with the processor's instructions (nil without them).
    var hashMBPerSecond: Double?
    /// Fresh anonymous memory written once per page.
    var newMemoryMBPerSecond: Double
    /// One dependent load from a random place in 256 MiB.
    var cacheMissNanoseconds: Double

    /// Each workload five times; the median.
    static func measure() -> HostReference {
        let cycle = randomCycle(count: (256 << 20) / 8)
        return HostReference(hashMBPerSecond: median(5) { hashing() }, newMemoryMBPerSecond: median(5) { newMemory() }!,
                             cacheMissNanoseconds: median(5) { cacheMiss(cycle) }!)
    }

    var text: String {
        let hash = hashMBPerSecond.map { "chain hash \(Int($0)) MB/s" } ?? "no SHA instructions"
        return "host reference, one core: \(hash), new memory \(Int(newMemoryMBPerSecond)) MB/s, "
            + "cache miss \(String(format: "%.0f", cacheMissNanoseconds)) ns"
    }

    private static func median(_ runs: Int, _ body: () -> Double?) -> Double? {
        let values = (0..<runs).compactMap { _ in body() }.sorted()
        return values.isEmpty ? nil : values[values.count / 2]
    }

    private static func elapsed(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    private static func hashing() -> Double? {
        guard ardesk_sha256_hardware_available() != 0 else { return nil }
        let line = 340, lines = 200_000
        let text = [UInt8](repeating: UInt8(ascii: "a"), count: line * lines)
        var digests = [UInt8](repeating: 0, count: 64)
        let time = text.withUnsafeBufferPointer { bytes in
            digests.withUnsafeMutableBufferPointer { out in
                elapsed {
                    for pair in stride(from: 0, to: lines - 1, by: 2) {
                        let first = bytes.baseAddress! + pair * line
                        ardesk_sha256_hardware_pair(first, line, first + line, line, out.baseAddress!, out.baseAddress! + 32)
                    }
                }
            }
        }
        return Double(line * lines) / time / 1e6
    }

    private static func newMemory() -> Double? {
        let size = 256 << 20
        guard let region = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), region != MAP_FAILED else {
            return nil
        }
        defer { munmap(region, size) }
        let bytes = region.assumingMemoryBound(to: UInt8.self)
        let time = elapsed { for page in stride(from: 0, to: size, by: 4096) { bytes[page] = 1 } }
        return Double(size) / time / 1e6
    }

    /// A single cycle through every slot in random order (Sattolo's shuffle, with a fixed seed):
    /// following it, each load waits for the one before and none is predictable.
    private static func randomCycle(count: Int) -> [Int] {
        var next = [Int](0..<count)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for index in stride(from: count - 1, to: 0, by: -1) {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17  // xorshift64
            next.swapAt(index, Int(state % UInt64(index)))
        }
        return next
    }

    private static func cacheMiss(_ cycle: [Int]) -> Double? {
        let steps = 2_000_000
        var position = 0
        let time = cycle.withUnsafeBufferPointer { slots in
            elapsed { for _ in 0..<steps { position = slots[position] } }
        }
        guard position >= 0 else { return nil }  // keeps the walk from being optimised away
        return time / Double(steps) * 1e9
    }
}
