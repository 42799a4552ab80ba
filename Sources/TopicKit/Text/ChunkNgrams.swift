/// The n-grams of one chunk of documents, counted once and kept for the matrix.
///
/// Each distinct n-gram of the chunk gets an index in first-occurrence order, with its document and total
/// counts; every occurrence is kept as that index. Once the chunk is added to the corpus sums, each occurrence
/// is rewritten as its n-gram's place in the sums (`settle`), so the matrix is built without forming or
/// hashing any n-gram again, and the chunk keeps nothing per distinct n-gram.
struct ChunkNgrams {
    /// Distinct n-grams (packed keys, `NgramPacker`) with their document and total counts; emptied once the
    /// chunk is added to the corpus sums.
    var keys: [UInt64] = []
    var df: [Int32] = []
    var tf: [Int64] = []
    /// Per occurrence, in document order: the index of its n-gram in `keys`; once settled, the n-gram's
    /// partition and index in the corpus sums (`CorpusIndices.pack`, as a bit pattern).
    var occurrences: [Int32] = []
    /// Per segment (title, abstract): its end in `occurrences` and its weight.
    var segmentEnds: [Int] = []
    var segmentWeights: [Int32] = []
    /// Per document: its end in the segments.
    var documentEnds: [Int] = []
    /// Per distinct n-gram: its partition and index in the corpus sums (`CorpusIndices.pack`), filled while
    /// the chunk is added (from several threads, one partition each).
    var corpusIndices: CorpusIndices?

    /// Counts the n-grams of `tokens`, whose ids `map` turns into global token ids (-2 = stop word, dropped).
    init(_ tokens: ChunkTokens, map: [Int32], packer: NgramPacker) {
        let lower = packer.range.lowerBound, upper = packer.range.upperBound
        let bits = UInt64(packer.bits)
        // Global ids of the kept tokens, and the exact number of n-gram occurrences (no unknown token breaks a run).
        var ids = [Int32](toBeWritten: tokens.ids.count)
        var keptEnds = [Int](repeating: 0, count: tokens.segmentEnds.count)
        var total = 0
        ids.withUnsafeMutableBufferPointer { out in
            tokens.ids.withUnsafeBufferPointer { chunkIds in
            map.withUnsafeBufferPointer { map in
                var kept = 0, position = 0
                for s in tokens.segmentEnds.indices {
                    let start = kept
                    for k in position..<tokens.segmentEnds[s] {
                        let g = map[Int(chunkIds[k])]
                        if g != -2 { out[kept] = g; kept += 1 }
                    }
                    position = tokens.segmentEnds[s]
                    keptEnds[s] = kept
                    let length = kept - start
                    for n in lower...upper where length >= n { total += length - n + 1 }
                }
            }}
        }
        segmentWeights = tokens.segmentWeights
        documentEnds = tokens.documentEnds
        segmentEnds.reserveCapacity(keptEnds.count)
        // Distinct n-grams of a chunk run at about half its occurrences: sized for that, the table rarely grows.
        var table = ChunkNgramTable(capacity: max(4096, total / 2))
        var occurrences = [Int32](toBeWritten: total)
        let batch = ChunkNgramTable.Batch(capacity: 4096)
        occurrences.withUnsafeMutableBufferPointer { occ in
            ids.withUnsafeBufferPointer { ids in
                var segment = 0, start = 0, written = 0
                for (document, docEnd) in tokens.documentEnds.enumerated() {
                    while segment < docEnd {
                        let end = keptEnds[segment]
                        let weight = Int64(tokens.segmentWeights[segment])
                        // Keys of the segment in batches: their home slots are loaded first (overlapping misses).
                        var i = start
                        while i < end {
                            var count = 0
                            while i < end && count + upper <= batch.capacity {
                                var key: UInt64 = 0
                                var length = 0
                                while length < upper && i + length < end {
                                    key = key << bits | UInt64(ids[i + length] + 1)
                                    length += 1
                                    if length >= lower { batch.keys[count] = key; count += 1 }
                                }
                                i += 1
                            }
                            table.add(batch, count: count, document: Int32(document), weight: weight,
                                      into: occ.baseAddress! + written)
                            written += count
                        }
                        segmentEnds.append(written)
                        start = end
                        segment += 1
                    }
                }
            }
        }
        self.occurrences = occurrences
        (keys, df, tf) = table.entries()
    }

    /// The indices of the distinct n-grams grouped by hash partition (`TermCounts.partition`), in index order
    /// within each; partition `p` is `order[starts[p]..<starts[p + 1]]`.
    func partitionOrder(partitions: Int) -> (order: [Int32], starts: [Int]) {
        var starts = [Int](repeating: 0, count: partitions + 1)
        var parts = [UInt8](repeating: 0, count: keys.count)
        for (k, key) in keys.enumerated() {
            let p = TermCounts.partition(key, partitions)
            parts[k] = UInt8(p)
            starts[p + 1] += 1
        }
        for p in 0..<partitions { starts[p + 1] += starts[p] }
        var fill = starts
        var order = [Int32](toBeWritten: keys.count)
        for k in keys.indices {
            let p = Int(parts[k])
            order[fill[p]] = Int32(k)
            fill[p] += 1
        }
        return (order, starts)
    }

    /// Rewrites each occurrence as its n-gram's place in the corpus sums (`corpusIndices`, filled by adding
    /// the chunk to them) and frees what the sums have taken over.
    mutating func settle() {
        if let corpus = corpusIndices {
            let places = corpus.values
            occurrences.withUnsafeMutableBufferPointer { occ in
                for k in occ.indices { occ[k] = Int32(bitPattern: places[Int(occ[k])]) }
            }
        }
        corpusIndices = nil
        keys = []; df = []; tf = []
    }
}

/// Where each distinct n-gram of a chunk sits in the corpus sums: `partition << 28 | index`. Written by several
/// threads at once, each at the positions of its own partition's n-grams.
final class CorpusIndices: @unchecked Sendable {
    let values: UnsafeMutablePointer<UInt32>
    let count: Int

    static let indexBits = 28
    static let maximumIndex = (1 << indexBits) - 1

    init(count: Int) {
        self.count = count
        values = .allocate(capacity: max(1, count))
    }

    deinit { values.deallocate() }

    @inline(__always)
    static func pack(partition: Int, index: Int) -> UInt32 { UInt32(truncatingIfNeeded: partition << indexBits | index) }
}

/// The distinct n-grams of one chunk with their counts, numbered in first-occurrence order. Used by one
/// counting pass.
struct ChunkNgramTable {
    /// Keys of a run of occurrences and their home slots.
    final class Batch {
        let keys: UnsafeMutablePointer<UInt64>
        let homes: UnsafeMutablePointer<Int>
        let capacity: Int
        init(capacity: Int) {
            self.capacity = capacity
            keys = .allocate(capacity: capacity)
            homes = .allocate(capacity: capacity)
        }
        deinit { keys.deallocate(); homes.deallocate() }
    }

    /// An n-gram of the chunk: its total count, its index and the last document it occurred in
    /// (`index << 32 | document`), and its document count.
    struct Slot: NgramCountSlot {
        var key: UInt64
        var total: UInt64
        var indexAndDocument: UInt64
        var documents: UInt64
    }

    private var table: NgramCountTable<Slot>

    init(capacity: Int) { table = NgramCountTable(capacity: capacity) }

    var count: Int { table.count }

    /// Counts `count` occurrences (`batch.keys`) of one document's segment, `weight` each, and writes the index
    /// of each one's n-gram to `indices`.
    @inline(__always)
    mutating func add(_ batch: Batch, count n: Int, document: Int32, weight: Int64,
                      into indices: UnsafeMutablePointer<Int32>) {
        table.makeUnique()
        table.reserve(n)
        let keys = batch.keys, homes = batch.homes
        table.prefetchHomes(n, key: { keys[$0] }, into: homes)
        let doc = UInt64(UInt32(bitPattern: document))
        let total = UInt64(bitPattern: weight)
        var next = table.count
        for k in 0..<n {
            let key = keys[k]
            let s = table.slot(for: key, from: homes[k])
            if s.pointee.key == key {
                s.pointee.total &+= total
                let last = s.pointee.indexAndDocument
                if last & 0xFFFF_FFFF != doc {
                    s.pointee.indexAndDocument = last & 0xFFFF_FFFF_0000_0000 | doc
                    s.pointee.documents &+= 1
                }
                indices[k] = Int32(truncatingIfNeeded: last >> 32)
            } else {
                s.pointee = Slot(key: key, total: total, indexAndDocument: UInt64(next) << 32 | doc, documents: 1)
                indices[k] = Int32(truncatingIfNeeded: next)
                next += 1
            }
        }
        table.count = next
    }

    /// Keys, document counts and total counts in index (first-occurrence) order.
    func entries() -> (keys: [UInt64], df: [Int32], tf: [Int64]) {
        var keys = [UInt64](toBeWritten: count)
        var df = [Int32](toBeWritten: count)
        var tf = [Int64](toBeWritten: count)
        keys.withUnsafeMutableBufferPointer { k in
        df.withUnsafeMutableBufferPointer { d in
        tf.withUnsafeMutableBufferPointer { t in
            table.forEachSlot { s in
                let idx = Int(s.indexAndDocument >> 32)
                k[idx] = s.key
                d[idx] = Int32(truncatingIfNeeded: s.documents)
                t[idx] = Int64(bitPattern: s.total)
            }
        }}}
        return (keys, df, tf)
    }
}

extension Array where Element: FixedWidthInteger {
    /// `count` elements that the caller writes before reading any: no pass zeroing memory about to be
    /// overwritten (the tables here run to many megabytes per chunk).
    init(toBeWritten count: Int) {
        self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = count
        }
    }
}
