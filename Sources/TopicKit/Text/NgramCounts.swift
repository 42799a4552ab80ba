/// Document and total counts of packed n-gram keys (`NgramPacker`), in insertion order.
struct TermCounts {
    var keys: [UInt64] = []
    var df: [Int32] = []
    var tf: [Int64] = []

    /// `count` entries in hash partitions, so partitions can be merged on separate threads.
    static func partition(_ key: UInt64, _ count: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0xD6E8_FEB8_6659_FD93) >> 59) % count
    }
}

/// The counts of one hash partition summed over chunks: chunks are added as soon as they are counted, so
/// the per-chunk tables never pile up (on a large corpus they hold many times the distinct n-grams).
///
/// Open addressing with the counts inline, so adding a key touches one slot: `[key (0 = empty), total count,
/// index << 32 | document count]`; indices number the keys in insertion order. Keys are added in batches
/// whose home slots are loaded first, so their cache misses overlap.
struct TermCountsAccumulator {
    private final class Storage {
        let slots: UnsafeMutablePointer<UInt64>
        let size: Int
        init(size: Int) {
            self.size = size
            slots = .allocate(capacity: 3 * size)
            slots.initialize(repeating: 0, count: 3 * size)
        }
        func copy() -> Storage {
            let c = Storage(size: size)
            c.slots.update(from: slots, count: 3 * size)
            return c
        }
        deinit { slots.deallocate() }
    }

    private var storage: Storage
    private(set) var count = 0
    /// Loaded values of the touch passes, kept so the loads are not optimised away.
    private var sink: UInt64 = 0
    private static let batch = 32

    init(capacity: Int = 1 << 12) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        storage = Storage(size: size)
    }

    /// Adds the document and total counts of `part` (any order of adding gives the same sums).
    mutating func add(_ part: TermCounts) {
        part.keys.withUnsafeBufferPointer { keys in
        part.df.withUnsafeBufferPointer { df in
        part.tf.withUnsafeBufferPointer { tf in
            add(count: keys.count, key: { keys[$0] }, df: { df[$0] }, tf: { tf[$0] }, placed: { _, _ in })
        }}}
    }

    /// Adds the distinct n-grams `order[range]` of a chunk (all in this partition, number `partition`) and
    /// records where each one went in the chunk's `corpusIndices`.
    mutating func add(_ chunk: ChunkNgrams, order: UnsafeBufferPointer<Int32>, partition: Int) {
        guard let out = chunk.corpusIndices?.values else { return }
        chunk.keys.withUnsafeBufferPointer { keys in
        chunk.df.withUnsafeBufferPointer { df in
        chunk.tf.withUnsafeBufferPointer { tf in
            add(count: order.count, key: { keys[Int(order[$0])] }, df: { df[Int(order[$0])] },
                tf: { tf[Int(order[$0])] },
                placed: { k, index in out[Int(order[k])] = CorpusIndices.pack(partition: partition, index: index) })
        }}}
    }

    @inline(__always)
    private mutating func add(count n: Int, key: (Int) -> UInt64, df: (Int) -> Int32, tf: (Int) -> Int64,
                              placed: (Int, Int) -> Void) {
        var homes = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                     0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        // Value semantics: a copy of the accumulator never shares the slots it writes.
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        var first = 0
        while first < n {
            let last = min(n, first + TermCountsAccumulator.batch)
            if (count + last - first) * 2 > storage.size { grow(to: count + last - first) }
            let slots = storage.slots
            let mask = storage.size - 1
            var sink = self.sink
            var next = count
            withUnsafeMutableBytes(of: &homes) { raw in
                let h = raw.baseAddress!.assumingMemoryBound(to: Int.self)
                for k in first..<last {
                    let home = KeyTable.hash(key(k)) & mask
                    h[k - first] = home
                    sink ^= slots[3 &* home]
                }
                for k in first..<last {
                    let key = key(k)
                    var i = h[k - first]
                    while true {
                        let s = slots + 3 &* i
                        let found = s[0]
                        if found == key {
                            s[1] &+= UInt64(bitPattern: tf(k))
                            s[2] &+= UInt64(UInt32(bitPattern: df(k)))
                            placed(k, Int(s[2] >> 32))
                            break
                        }
                        if found == 0 {
                            s[0] = key
                            s[1] = UInt64(bitPattern: tf(k))
                            s[2] = UInt64(next) << 32 | UInt64(UInt32(bitPattern: df(k)))
                            placed(k, next)
                            next += 1
                            break
                        }
                        i = (i &+ 1) & mask
                    }
                }
            }
            self.sink = sink
            count = next
            first = last
        }
    }

    /// The entries whose document count is within `minDocs...maxDocs`, in insertion order.
    func within(minDocs: Double, maxDocs: Double) -> TermCounts {
        kept(minDocs: minDocs, maxDocs: maxDocs).counts
    }

    /// `within`, with each entry's index.
    func kept(minDocs: Double, maxDocs: Double) -> (counts: TermCounts, indices: [Int32]) {
        var keys = [UInt64](repeating: 0, count: count)
        var df = [Int32](repeating: -1, count: count)
        var tf = [Int64](repeating: 0, count: count)
        let slots = storage.slots
        for i in 0..<storage.size {
            let s = slots + 3 &* i
            if s[0] == 0 { continue }
            let d = Int32(truncatingIfNeeded: s[2] & 0xFFFF_FFFF)
            guard Double(d) >= minDocs && Double(d) <= maxDocs else { continue }
            let idx = Int(s[2] >> 32)
            keys[idx] = s[0]; df[idx] = d; tf[idx] = Int64(bitPattern: s[1])
        }
        var out = TermCounts()
        var indices: [Int32] = []
        for idx in 0..<count where df[idx] >= 0 {
            out.keys.append(keys[idx]); out.df.append(df[idx]); out.tf.append(tf[idx])
            indices.append(Int32(idx))
        }
        return (out, indices)
    }

    private mutating func grow(to needed: Int) {
        var size = storage.size
        while size < needed * 2 { size <<= 1 }
        let fresh = Storage(size: size)
        let mask = size - 1
        let old = storage.slots
        for i in 0..<storage.size {
            let s = old + 3 &* i
            if s[0] == 0 { continue }
            var j = KeyTable.hash(s[0]) & mask
            while fresh.slots[3 &* j] != 0 { j = (j &+ 1) & mask }
            (fresh.slots + 3 &* j).update(from: s, count: 3)
        }
        storage = fresh
    }
}
