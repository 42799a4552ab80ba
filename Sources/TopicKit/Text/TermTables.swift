/// An open-addressing set of byte strings (tokens), each given a dense id in insertion order.
///
/// Keys live in one byte arena, so interning a token allocates nothing per token.
struct ByteTermTable {
    private(set) var arena: [UInt8] = []
    private(set) var offsets: [Int] = [0]
    private var hashes: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    var count: Int { offsets.count - 1 }

    /// Mixes 8 bytes at a time (tokens are short: usually one or two words); slots depend on it, ids do not.
    @inline(__always)
    static func hash(_ p: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let n = p.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(truncatingIfNeeded: n &+ 1)
        guard let base = p.baseAddress else { return h ^ (h >> 32) }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= n {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
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
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int32 {
        find(key, hash: ByteTermTable.hash(key))
    }

    func find(_ key: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int32 {
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let id = slots[i]
            if id < 0 { return -1 }
            if hashes[Int(id)] == h && equals(Int(id), key) { return id }
            i = (i + 1) & mask
        }
    }

    /// The id of the token, adding it when new.
    @discardableResult
    mutating func intern(_ key: UnsafeBufferPointer<UInt8>) -> Int32 {
        let h = ByteTermTable.hash(key)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let id = slots[i]
            if id < 0 { break }
            if hashes[Int(id)] == h && equals(Int(id), key) { return id }
            i = (i + 1) & mask
        }
        let id = Int32(count)
        slots[i] = id
        hashes.append(h)
        arena.append(contentsOf: key)
        offsets.append(arena.count)
        if count * 2 > slots.count { grow() }
        return id
    }

    func bytes(_ id: Int) -> ArraySlice<UInt8> { arena[offsets[id]..<offsets[id + 1]] }

    func string(_ id: Int) -> String { String(decoding: bytes(id), as: UTF8.self) }

    private func equals(_ id: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let s = offsets[id], e = offsets[id + 1]
        if e - s != key.count { return false }
        return arena.withUnsafeBufferPointer { a in
            var k = 0
            while k < key.count {
                if a[s + k] != key[k] { return false }
                k += 1
            }
            return true
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for id in 0..<count {
            var i = Int(truncatingIfNeeded: hashes[id]) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(id)
        }
    }
}

/// An open-addressing map from packed n-gram keys (UInt64) to dense indices in insertion order.
struct KeyTable {
    private(set) var keys: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
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
        var i = KeyTable.hash(key) & mask
        while true {
            let id = slots[i]
            if id < 0 || keys[Int(id)] == key { return id }
            i = (i + 1) & mask
        }
    }

    /// The index of `key`, adding it when new.
    @inline(__always)
    mutating func insert(_ key: UInt64) -> Int {
        var i = KeyTable.hash(key) & mask
        while true {
            let id = slots[i]
            if id < 0 { break }
            if keys[Int(id)] == key { return Int(id) }
            i = (i + 1) & mask
        }
        let id = keys.count
        slots[i] = Int32(id)
        keys.append(key)
        if keys.count * 2 > slots.count { grow() }
        return id
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for (id, key) in keys.enumerated() {
            var i = KeyTable.hash(key) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(id)
        }
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
