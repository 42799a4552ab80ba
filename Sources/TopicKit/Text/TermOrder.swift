#if canImport(Glibc)
import Glibc
#endif

/// The byte order of n-gram terms (words joined by one space, as in the vocabulary) without building their
/// strings: the words are ranked by their bytes once, and each term becomes one integer of its words' ranks.
///
/// Comparing ranks word by word is comparing the joined bytes because the joining space (0x20) sorts below
/// every byte a token can hold (word characters, `-`, UTF-8 bytes ≥ 0x80): where one word is a prefix of the
/// other, the shorter word's term reaches the space (or its end) first and sorts first, as its rank does.
enum TermOrder {
    /// For every packed key (`NgramPacker`) an integer whose order is the byte order of the key's term.
    static func sortKeys(_ keys: [UInt64], packer: NgramPacker, words: ByteTermTable) -> [UInt64] {
        let bits = UInt64(packer.bits), mask = (UInt64(1) << bits) - 1
        // Words used by some term, ranked by their bytes.
        var rank = [Int32](repeating: -1, count: words.count)
        var used: [Int32] = []
        for key in keys {
            var k = key
            while k != 0 {
                let id = Int(k & mask) - 1
                if rank[id] < 0 { rank[id] = 0; used.append(Int32(id)) }
                k >>= bits
            }
        }
        words.arena.withUnsafeBufferPointer { arena in
            let base = arena.baseAddress
            let offsets = words.offsets
            used.sort { x, y in
                let xs = offsets[Int(x)], xn = offsets[Int(x) + 1] - xs
                let ys = offsets[Int(y)], yn = offsets[Int(y) + 1] - ys
                let c = memcmp(base! + xs, base! + ys, min(xn, yn))
                return c != 0 ? c < 0 : xn < yn
            }
        }
        for (r, id) in used.enumerated() { rank[Int(id)] = Int32(r + 1) }
        // Ranks 1...used.count in `rankBits` bits each, first word highest; missing trailing words are 0.
        var rankBits: UInt64 = 1
        while (1 << rankBits) <= used.count { rankBits += 1 }
        let upper = UInt64(packer.range.upperBound)
        return keys.map { key in
            var k = key, out: UInt64 = 0, length: UInt64 = 0, shift: UInt64 = 0
            while k != 0 {
                out |= UInt64(rank[Int(k & mask) - 1]) << shift
                shift += rankBits
                length += 1
                k >>= bits
            }
            return out << (rankBits * (upper - length))
        }
    }
}
