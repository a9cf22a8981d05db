import CChecksum

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): the processor's instruction where it
/// has one (SSE 4.2), else slicing-by-8. `CRC32C.checksum("123456789")` is 0xE3069283.
public enum CRC32C {
    static let hardwareAvailable = ardesk_crc32c_hardware_available() != 0

    static let table: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            t[i] = c
        }
        for i in 0..<256 {
            for k in 1..<8 {
                let prev = t[(k - 1) * 256 + i]
                t[k * 256 + i] = (prev >> 8) ^ t[Int(prev & 0xFF)]
            }
        }
        return t
    }()

    public static func checksum(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return seed }
        if hardwareAvailable { return ~ardesk_crc32c_hardware(~seed, base, bytes.count) }
        return tableChecksum(bytes, seed: seed)
    }

    /// The same without the instruction (also what tests compare the instruction with).
    static func tableChecksum(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        guard var p = bytes.baseAddress, bytes.count > 0 else { return seed }
        var n = bytes.count
        var crc = ~seed
        table.withUnsafeBufferPointer { tb in
            let t = tb.baseAddress!
            while n >= 8 {
                let word = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
                let lo = UInt32(truncatingIfNeeded: word) ^ crc
                let hi = UInt32(truncatingIfNeeded: word >> 32)
                crc = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                    ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                    ^ t[256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
                p += 8
                n -= 8
            }
            while n > 0 {
                crc = t[Int((crc ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (crc >> 8)
                p += 1
                n -= 1
            }
        }
        return ~crc
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    public static func checksum(_ text: String) -> UInt32 {
        checksum(Array(text.utf8))
    }
}

let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

/// Appends `value` as exactly 8 lowercase hex digits.
@inline(__always)
func appendHex32(_ value: UInt32, into out: inout [UInt8]) {
    var shift: UInt32 = 28
    while true {
        out.append(hexDigits[Int((value >> shift) & 0xF)])
        if shift == 0 { break }
        shift -= 4
    }
}

/// True when `p[0..<8]` is exactly the lowercase hex form of `value` (uppercase counts as damage).
@inline(__always)
func matchesHex32(_ value: UInt32, _ p: UnsafeRawPointer) -> Bool {
    var shift: UInt32 = 28
    var i = 0
    while i < 8 {
        let nibble = (value >> shift) & 0xF
        let expected: UInt8 = nibble < 10 ? UInt8(48 + nibble) : UInt8(87 + nibble)
        if p.load(fromByteOffset: i, as: UInt8.self) != expected { return false }
        shift &-= 4
        i += 1
    }
    return true
}
