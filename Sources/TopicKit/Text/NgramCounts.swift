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
    private var table: KeyTable
    private(set) var counts = TermCounts()

    init(capacity: Int = 1 << 12) { table = KeyTable(capacity: capacity) }

    var count: Int { counts.keys.count }

    /// Adds the document and total counts of `part` (any order of adding gives the same sums).
    mutating func add(_ part: TermCounts) {
        for k in part.keys.indices {
            let idx = table.insert(part.keys[k])
            if idx == counts.keys.count {
                counts.keys.append(part.keys[k]); counts.df.append(part.df[k]); counts.tf.append(part.tf[k])
            } else {
                counts.df[idx] += part.df[k]
                counts.tf[idx] += part.tf[k]
            }
        }
    }

    /// The entries whose document count is within `minDocs...maxDocs`, in insertion order.
    func within(minDocs: Double, maxDocs: Double) -> TermCounts {
        var out = TermCounts()
        for idx in counts.keys.indices {
            let d = Double(counts.df[idx])
            if d >= minDocs && d <= maxDocs {
                out.keys.append(counts.keys[idx]); out.df.append(counts.df[idx]); out.tf.append(counts.tf[idx])
            }
        }
        return out
    }
}
