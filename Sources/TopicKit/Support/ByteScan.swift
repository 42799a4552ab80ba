/// Word-at-a-time (SWAR) byte scans for the text hot paths: eight bytes per step instead of one.
enum ByteScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080
    private static let quotes: UInt64 = 0x2222_2222_2222_2222
    private static let backslashes: UInt64 = 0x5C5C_5C5C_5C5C_5C5C
    private static let spaces: UInt64 = 0x2020_2020_2020_2020

    /// Nonzero when some byte of `v` is zero.
    @inline(__always) private static func zeroBytes(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
    /// Nonzero when some byte of `v` is below `n` (n ≤ 128).
    @inline(__always) private static func bytesBelow(_ v: UInt64, _ n: UInt64) -> UInt64 { (v &- ones &* n) & ~v & highs }

    /// Index of the first byte at or after `start` that a JSON string cannot hold unescaped
    /// (`"`, `\` or a control character), or `p.count`.
    @inline(__always)
    static func firstJSONSpecial(_ p: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        if let base = p.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i + 8 <= p.count {
                let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if zeroBytes(x ^ quotes) | zeroBytes(x ^ backslashes) | bytesBelow(x, 0x20) != 0 { break }
                i += 8
            }
        }
        while i < p.count {
            let b = p[i]
            if b == 0x22 || b == 0x5C || b < 0x20 { return i }
            i += 1
        }
        return i
    }

    /// Whether `p` has non-ASCII bytes, and whether it needs whitespace clean-up (a control byte,
    /// two spaces in a row, or a space at either end).
    static func textShape(_ p: UnsafeBufferPointer<UInt8>) -> (nonASCII: Bool, needsCollapse: Bool) {
        guard let base = p.baseAddress, p.count > 0 else { return (false, false) }
        let raw = UnsafeRawPointer(base)
        var high: UInt64 = 0
        var bad: UInt64 = 0
        var previous: UInt64 = 0x20
        var i = 0
        while i + 8 <= p.count {
            let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let shifted = (x << 8) | previous
            high |= x
            bad |= bytesBelow(x, 0x20) | zeroBytes((x ^ spaces) | (shifted ^ spaces))
            previous = x >> 56
            i += 8
        }
        var last = UInt8(truncatingIfNeeded: previous)
        var tailBad = false
        while i < p.count {
            let b = p[i]
            high |= UInt64(b)
            tailBad = tailBad || b < 0x20 || (b == 0x20 && last == 0x20)
            last = b
            i += 1
        }
        tailBad = tailBad || p[p.count - 1] == 0x20
        return (high & highs != 0, bad != 0 || tailBad)
    }
}
