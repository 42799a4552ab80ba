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
/// Indices number the keys in insertion order. Keys are added in batches whose home slots are loaded first,
/// so their cache misses overlap.
struct TermCountsAccumulator {
    /// A term: its total count and `index << 32 | document count`.
    struct Slot: NgramCountSlot {
        var key: UInt64
        var total: UInt64
        var indexAndDocuments: UInt64
    }

    private var table: NgramCountTable<Slot>
    private static let batch = 32

    init(capacity: Int = 1 << 12) { table = NgramCountTable(capacity: capacity) }

    var count: Int { table.count }

    /// Adds the distinct n-grams `order[range]` of a chunk (all in this partition, number `partition`) and
    /// records where each one went in the chunk's `corpusIndices`.
    mutating func add(_ chunk: ChunkNgrams, order: UnsafeBufferPointer<Int32>, partition: Int) {
        guard let out = chunk.corpusIndices?.values else { return }
        table.makeUnique()
        chunk.keys.withUnsafeBufferPointer { keys in
        chunk.df.withUnsafeBufferPointer { df in
        chunk.tf.withUnsafeBufferPointer { tf in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: TermCountsAccumulator.batch) { homes in
                let h = homes.baseAddress!
                let n = order.count
                var first = 0
                while first < n {
                    let last = min(n, first + TermCountsAccumulator.batch)
                    table.reserve(last - first)
                    table.prefetchHomes(last - first, key: { keys[Int(order[first + $0])] }, into: h)
                    var next = table.count
                    for k in first..<last {
                        let i = Int(order[k])
                        let key = keys[i]
                        let s = table.slot(for: key, from: h[k - first])
                        let documents = UInt64(UInt32(bitPattern: df[i]))
                        let index: Int
                        if s.pointee.key == key {
                            s.pointee.total &+= UInt64(bitPattern: tf[i])
                            s.pointee.indexAndDocuments &+= documents
                            index = Int(s.pointee.indexAndDocuments >> 32)
                        } else {
                            s.pointee = Slot(key: key, total: UInt64(bitPattern: tf[i]),
                                             indexAndDocuments: UInt64(next) << 32 | documents)
                            index = next
                            next += 1
                        }
                        out[i] = CorpusIndices.pack(partition: partition, index: index)
                    }
                    table.count = next
                    first = last
                }
            }
        }}}
    }

    /// The entries whose document count is within `minDocs...maxDocs` (inclusive), in insertion order, with
    /// each entry's index.
    func kept(minDocs: Double, maxDocs: Double) -> (counts: TermCounts, indices: [Int32]) {
        var keys = [UInt64](repeating: 0, count: count)
        var df = [Int32](repeating: -1, count: count)
        var tf = [Int64](repeating: 0, count: count)
        keys.withUnsafeMutableBufferPointer { keys in
        df.withUnsafeMutableBufferPointer { df in
        tf.withUnsafeMutableBufferPointer { tf in
            table.forEachSlot { s in
                let d = Int32(truncatingIfNeeded: s.indexAndDocuments & 0xFFFF_FFFF)
                guard Double(d) >= minDocs && Double(d) <= maxDocs else { return }
                let idx = Int(s.indexAndDocuments >> 32)
                keys[idx] = s.key; df[idx] = d; tf[idx] = Int64(bitPattern: s.total)
            }
        }}}
        var out = TermCounts()
        var indices: [Int32] = []
        for idx in 0..<count where df[idx] >= 0 {
            out.keys.append(keys[idx]); out.df.append(df[idx]); out.tf.append(tf[idx])
            indices.append(Int32(idx))
        }
        return (out, indices)
    }
}
