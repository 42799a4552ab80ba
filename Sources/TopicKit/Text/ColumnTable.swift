/// Packed n-gram keys (UInt64, never 0) → columns in insertion order: the vocabulary's lookup table.
///
/// When every key fits in 32 bits (the common case: 1–2-grams over fewer than 32,767 words), a slot is one
/// UInt64, `key << 32 | column + 1`, so the table is half the size of a key-and-index pair table and a probe
/// run covers twice the slots per cache line; wider keys take two words per slot. Lookups can be split in
/// two (`home`, then `find(_:from:)`) so a caller can touch the home slots of a whole batch of keys first and
/// let their cache misses overlap.
struct ColumnTable {
    private(set) var keys: [UInt64] = []
    private var slots: [UInt64]
    private var mask: Int
    /// Some key needs more than 32 bits: slots are (key, column) pairs.
    private var wide: Bool

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        wide = false
    }

    var count: Int { keys.count }

    @inline(__always)
    static func hash(_ key: UInt64) -> Int {
        var h = key &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        return Int(truncatingIfNeeded: h ^ (h >> 32))
    }

    /// The first slot `key` may occupy.
    @inline(__always)
    func home(_ key: UInt64) -> Int { ColumnTable.hash(key) & mask }

    /// Starts loading the home slot ahead of `find(_:from:)`.
    @inline(__always)
    func prefetch(_ home: Int) {
        slots.withUnsafeBufferPointer { Prefetch.read($0.baseAddress! + (wide ? 2 &* home : home)) }
    }

    /// The column of `key`, or -1 when absent.
    @inline(__always)
    func find(_ key: UInt64) -> Int32 { find(key, from: home(key)) }

    /// The column of `key` whose home slot is `home`, or -1 when absent.
    @inline(__always)
    func find(_ key: UInt64, from home: Int) -> Int32 {
        slots.withUnsafeBufferPointer { s in
            var i = home
            if !wide {
                while true {
                    let slot = s[i]
                    if slot >> 32 == key { return Int32(truncatingIfNeeded: slot & 0xFFFF_FFFF) &- 1 }
                    if slot == 0 { return -1 }
                    i = (i &+ 1) & mask
                }
            }
            while true {
                let k = s[2 &* i]
                if k == key { return Int32(truncatingIfNeeded: s[2 &* i &+ 1]) }
                if k == 0 { return -1 }
                i = (i &+ 1) & mask
            }
        }
    }

    /// The column of `key`, adding it (as the next column) when new.
    mutating func insert(_ key: UInt64) -> Int {
        let found = find(key)
        if found >= 0 { return Int(found) }
        keys.append(key)
        let grow = keys.count * 2 > mask + 1
        if key > 0xFFFF_FFFF && !wide {
            wide = true
            rebuild(size: grow ? (mask + 1) * 2 : mask + 1)
        } else if grow {
            rebuild(size: (mask + 1) * 2)
        } else {
            place(key, keys.count - 1)
        }
        return keys.count - 1
    }

    private mutating func place(_ key: UInt64, _ column: Int) {
        var i = home(key)
        if wide {
            while slots[2 &* i] != 0 { i = (i &+ 1) & mask }
            slots[2 &* i] = key
            slots[2 &* i &+ 1] = UInt64(column)
        } else {
            while slots[i] != 0 { i = (i &+ 1) & mask }
            slots[i] = key << 32 | UInt64(column + 1)
        }
    }

    private mutating func rebuild(size: Int) {
        slots = [UInt64](repeating: 0, count: wide ? 2 * size : size)
        mask = size - 1
        for (column, key) in keys.enumerated() { place(key, column) }
    }
}
