#if canImport(Glibc)
import Glibc
#endif

/// An open-addressing set of byte strings (tokens), each given a dense id in insertion order.
///
/// Keys live in one byte arena, so interning a token allocates nothing per token. A slot holds the id and
/// the high 32 bits of the key's hash, so a probe touches the arena only when those bits match.
struct ByteTermTable {
    private(set) var arena: [UInt8] = []
    private(set) var offsets: [Int] = [0]
    /// `hash >> 32 << 32 | (id + 1)`; 0 is an empty slot.
    private var slots: [UInt64]
    private var mask: Int

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    var count: Int { offsets.count - 1 }

    /// Mixes 8 bytes at a time (tokens are short: usually one or two words); slots depend on it, ids do not.
    @inline(__always)
    static func hash(_ p: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let n = p.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(truncatingIfNeeded: n &+ 1)
        var i = 0
        if n >= 8, let base = p.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i + 8 <= n {
                h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
                h ^= h >> 31
                i += 8
            }
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n { w |= UInt64(p[i]) << shift; shift += 8; i += 1 }
            h = (h ^ w) &* 0x94D0_49BB_1331_11EB
        }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        return h ^ (h >> 33)
    }

    /// The id of the token, or -1 when absent.
    @inline(__always)
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int32 {
        let h = ByteTermTable.hash(key)
        let tag = h & 0xFFFF_FFFF_0000_0000
        return slots.withUnsafeBufferPointer { s in
            var i = Int(truncatingIfNeeded: h) & mask
            while true {
                let slot = s[i]
                if slot == 0 { return -1 }
                if slot & 0xFFFF_FFFF_0000_0000 == tag {
                    let id = Int(slot & 0xFFFF_FFFF) - 1
                    if equals(id, key) { return Int32(id) }
                }
                i = (i + 1) & mask
            }
        }
    }

    /// The id of the token, adding it when new.
    @discardableResult
    mutating func intern(_ key: UnsafeBufferPointer<UInt8>) -> Int32 {
        let h = ByteTermTable.hash(key)
        let tag = h & 0xFFFF_FFFF_0000_0000
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[i]
            if slot == 0 { break }
            if slot & 0xFFFF_FFFF_0000_0000 == tag {
                let id = Int(slot & 0xFFFF_FFFF) - 1
                if equals(id, key) { return Int32(id) }
            }
            i = (i + 1) & mask
        }
        let id = count
        slots[i] = tag | UInt64(id + 1)
        arena.append(contentsOf: key)
        offsets.append(arena.count)
        if count * 2 > slots.count { grow() }
        return Int32(id)
    }

    func bytes(_ id: Int) -> ArraySlice<UInt8> { arena[offsets[id]..<offsets[id + 1]] }

    func string(_ id: Int) -> String { String(decoding: bytes(id), as: UTF8.self) }

    @inline(__always)
    private func equals(_ id: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        offsets.withUnsafeBufferPointer { o in
            let s = o[id], e = o[id + 1]
            if e - s != key.count { return false }
            if key.isEmpty { return true }
            return arena.withUnsafeBufferPointer { a in memcmp(a.baseAddress! + s, key.baseAddress!, key.count) == 0 }
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        var fresh = [UInt64](repeating: 0, count: size)
        let m = size - 1
        arena.withUnsafeBufferPointer { a in
            for id in 0..<count {
                let h = ByteTermTable.hash(UnsafeBufferPointer(rebasing: a[offsets[id]..<offsets[id + 1]]))
                var i = Int(truncatingIfNeeded: h) & m
                while fresh[i] != 0 { i = (i + 1) & m }
                fresh[i] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(id + 1)
            }
        }
        slots = fresh
        mask = m
    }
}

/// An open-addressing map from packed n-gram keys (UInt64) to dense indices in insertion order.
///
/// Each slot stores its key next to its index, so a lookup costs one cache line, not two.
/// Packed keys are never 0 (token ids are stored + 1), so 0 marks an empty slot.
struct KeyTable {
    private(set) var keys: [UInt64] = []
    /// `slots[2 * i]` is a key (0 = empty), `slots[2 * i + 1]` its index.
    private var slots: [UInt64]
    private var mask: Int

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: 2 * size)
        mask = size - 1
    }

    var count: Int { keys.count }

    @inline(__always)
    static func hash(_ key: UInt64) -> Int {
        let h = key &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: h ^ (h >> 32))
    }

    /// The index of `key`, or -1 when absent.
    @inline(__always)
    func find(_ key: UInt64) -> Int32 {
        slots.withUnsafeBufferPointer { s in
            var i = KeyTable.hash(key) & mask
            while true {
                let k = s[2 &* i]
                if k == key { return Int32(truncatingIfNeeded: s[2 &* i &+ 1]) }
                if k == 0 { return -1 }
                i = (i &+ 1) & mask
            }
        }
    }

    /// The index of `key`, adding it when new.
    @inline(__always)
    mutating func insert(_ key: UInt64) -> Int {
        let m = mask
        let next = UInt64(keys.count)
        let found: Int = slots.withUnsafeMutableBufferPointer { s in
            var i = KeyTable.hash(key) & m
            while true {
                let k = s[2 &* i]
                if k == key { return Int(truncatingIfNeeded: s[2 &* i &+ 1]) }
                if k == 0 {
                    s[2 &* i] = key
                    s[2 &* i &+ 1] = next
                    return -1
                }
                i = (i &+ 1) & m
            }
        }
        if found >= 0 { return found }
        keys.append(key)
        if keys.count * 2 > mask + 1 { grow() }
        return keys.count - 1
    }

    private mutating func grow() {
        let size = (mask + 1) * 2
        var fresh = [UInt64](repeating: 0, count: 2 * size)
        let m = size - 1
        fresh.withUnsafeMutableBufferPointer { f in
            keys.withUnsafeBufferPointer { k in
                for id in 0..<k.count {
                    let key = k[id]
                    var i = KeyTable.hash(key) & m
                    while f[2 &* i] != 0 { i = (i &+ 1) & m }
                    f[2 &* i] = key
                    f[2 &* i &+ 1] = UInt64(id)
                }
            }
        }
        slots = fresh
        mask = m
    }
}

/// Packs n-grams of token ids into one UInt64: each id + 1 in `bits` bits, first token highest.
struct NgramPacker {
    let bits: Int
    let range: ClosedRange<Int>

    /// `tokenCount` distinct token ids; nil when the longest n-gram does not fit in 64 bits.
    init?(tokenCount: Int, range: ClosedRange<Int>) {
        var b = 1
        while (1 << b) <= tokenCount + 1 { b += 1 }
        guard b * range.upperBound <= 64 else { return nil }
        bits = b
        self.range = range
    }

    /// Calls `body(key)` for every n-gram of `ids` in the range; ids < 0 are unknown tokens that no n-gram spans.
    @inline(__always)
    func forEachNgram(_ ids: UnsafeBufferPointer<Int32>, _ body: (UInt64) -> Void) {
        let n = ids.count
        var i = 0
        while i < n {
            var key: UInt64 = 0
            var len = 0
            while len < range.upperBound && i + len < n {
                let id = ids[i + len]
                if id < 0 { break }
                key = key << UInt64(bits) | UInt64(id + 1)
                len += 1
                if len >= range.lowerBound { body(key) }
            }
            i += 1
        }
    }

    /// The token ids of a packed key, first token first.
    func ids(_ key: UInt64) -> [Int] {
        var out: [Int] = []
        var k = key
        let m = (UInt64(1) << UInt64(bits)) - 1
        while k != 0 {
            out.append(Int(k & m) - 1)
            k >>= UInt64(bits)
        }
        return out.reversed()
    }
}
