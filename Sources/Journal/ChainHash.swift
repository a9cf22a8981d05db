import CChecksum
import Crypto

/// The chain hash of a line: the first 16 bytes of its SHA-256, as 32 lowercase hex digits.
///
/// With the processor's SHA instructions (`sha256.c`) two lines can be hashed at once, nearly
/// twice as fast as one after the other: reading a log hashes each line with the one after it
/// when that is already in the read buffer. Elsewhere swift-crypto computes it.
enum ChainHash {
    static let hardwareAvailable = ardesk_sha256_hardware_available() != 0

    /// The hash of one line.
    static func bits(_ line: UnsafeRawBufferPointer) -> Hash16 {
        guard hardwareAvailable else { return portableBits(line) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digest in
            ardesk_sha256_hardware(line.baseAddress, line.count, digest.baseAddress!)
            return hexBits(UnsafeRawPointer(digest.baseAddress!))
        }
    }

    /// The hashes of two lines, computed together.
    static func bits(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> (Hash16, Hash16) {
        guard hardwareAvailable else { return (portableBits(first), portableBits(second)) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { digests in
            let a = digests.baseAddress!
            ardesk_sha256_hardware_pair(first.baseAddress, first.count, second.baseAddress, second.count, a, a + 32)
            return (hexBits(UnsafeRawPointer(a)), hexBits(UnsafeRawPointer(a + 32)))
        }
    }

    /// Through swift-crypto (processors without the instructions; tests compare the two).
    static func portableBits(_ line: UnsafeRawBufferPointer) -> Hash16 {
        var hasher = SHA256()
        hasher.update(bufferPointer: line)
        return hasher.finalize().withUnsafeBytes { hexBits($0.baseAddress!) }
    }

    /// The first 16 bytes of `digest` as 32 hex digits.
    @inline(__always)
    private static func hexBits(_ digest: UnsafeRawPointer) -> Hash16 {
        let digits = hexDigits
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { out in
            for i in 0..<16 {
                let b = digest.load(fromByteOffset: i, as: UInt8.self)
                out[2 * i] = digits[Int(b >> 4)]
                out[2 * i + 1] = digits[Int(b & 15)]
            }
            return Hash16(UnsafeRawPointer(out.baseAddress!))
        }
    }
}
