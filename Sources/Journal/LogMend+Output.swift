import FlatJSON

/// The mended log written out: each replacement made, the chain renewed after records set aside.
extension LogMend {
    /// The original with each replacement made; once records are set aside, every line after is
    /// chained anew (its `prev` set to the hash of the line before, its checksum recomputed).
    mutating func write(day: String, time: String, user: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(original.count + 4_096)
        var position = 0
        var previousHash: String? = nil  // set once the chain has changed
        var lineStart = 0
        func rechainFrom(_ start: Int) {
            // Lines out[start...] written as they were: give each the new chain.
            var s = start
            var rewritten: [UInt8] = []
            while s < out.count, let newline = out[s...].firstIndex(of: 0x0A) {
                var line = Array(out[s..<newline])
                if let previous = previousHash, let chained = LineFormat.rechained(line, prev: previous) {
                    line = chained
                    rechained += 1
                }
                previousHash = LineFormat.chainHash(line)
                rewritten += line
                rewritten.append(0x0A)
                s = newline + 1
            }
            out.replaceSubrange(start..<out.count, with: rewritten)
        }
        for (range, replacement) in replacements.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            lineStart = out.count
            out += original[position..<range.lowerBound]
            if previousHash != nil { rechainFrom(lineStart) }
            switch replacement {
            case .bytes(let bytes):
                let start = out.count
                out += bytes
                if previousHash != nil { rechainFrom(start) }
            case .lost(let count, let first, let text, let reason, let batches):
                if previousHash == nil { previousHash = hashOfLastLine(out) }
                for i in 0..<count {
                    var data: [UInt8] = []
                    var payload = JSONObject()
                    payload["day"] = .string(day)
                    payload["reason"] = .string(reason)
                    payload["text"] = .string(i == 0 ? text : "")
                    JSONWriter.write(.object(payload), into: &data)
                    var line: [UInt8] = []
                    LineFormat.encodeRecord(sequence: first + UInt64(i), timestamp: time, author: user, type: Journal.lostRecordType,
                                            version: 1, data: data, batch: batches[i], prev: previousHash!, into: &line)
                    previousHash = LineFormat.chainHash(line)
                    out += line
                    out.append(0x0A)
                }
            }
            position = range.upperBound
        }
        lineStart = out.count
        out += original[position...]
        if previousHash != nil { rechainFrom(lineStart) }
        return out
    }

    func hashOfLastLine(_ bytes: [UInt8]) -> String {
        let end = bytes.count - 1  // the newline
        let start = (bytes[..<end].lastIndex(of: 0x0A) ?? -1) + 1
        return bytes.withUnsafeBytes { LineFormat.chainHash(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }
}
