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
struct TermCountsAccumulator {
    /// The keys, in insertion order (`table.keys`), with their document and total counts beside.
    private var table: KeyTable
    private var df: [Int32] = []
    private var tf: [Int64] = []

    init(capacity: Int = 1 << 12) { table = KeyTable(capacity: capacity) }

    var count: Int { table.count }

    /// Adds the document and total counts of `part` (any order of adding gives the same sums).
    mutating func add(_ part: TermCounts) {
        // The count arrays are taken out while adding, so each access is a plain store (no uniqueness checks).
        var df = self.df, tf = self.tf
        self.df = []; self.tf = []
        df.reserveCapacity(table.count + part.keys.count)
        tf.reserveCapacity(table.count + part.keys.count)
        part.keys.withUnsafeBufferPointer { keys in
        part.df.withUnsafeBufferPointer { partDF in
        part.tf.withUnsafeBufferPointer { partTF in
            for k in 0..<keys.count {
                let idx = table.insert(keys[k])
                if idx == df.count {
                    df.append(partDF[k]); tf.append(partTF[k])
                } else {
                    df.withUnsafeMutableBufferPointer { $0[idx] &+= partDF[k] }
                    tf.withUnsafeMutableBufferPointer { $0[idx] &+= partTF[k] }
                }
            }
        }}}
        self.df = df; self.tf = tf
    }

    /// The entries whose document count is within `minDocs...maxDocs`, in insertion order.
    func within(minDocs: Double, maxDocs: Double) -> TermCounts {
        var out = TermCounts()
        let keys = table.keys
        for idx in keys.indices {
            let d = Double(df[idx])
            if d >= minDocs && d <= maxDocs {
                out.keys.append(keys[idx]); out.df.append(df[idx]); out.tf.append(tf[idx])
            }
        }
        return out
    }
}
