#if canImport(Glibc)
import Glibc
#endif

extension TfidfVectorizer {
    /// The rows of the documents a fit counted (the same rows `transform` gives their papers).
    ///
    /// The chunk's occurrences are settled (places in the corpus sums), `columns` gives each place's column.
    /// A row's terms are merged in the scratch's per-row count table and read back in column order from its
    /// bitmaps, so no row is sorted.
    func transformRows(_ chunk: ChunkNgrams, columns: SumColumns, scratch: RowScratch) -> RowBlock {
        let shift = UInt32(CorpusIndices.indexBits), mask = UInt32(CorpusIndices.maximumIndex)
        // Occurrences whose column entry is prefetched ahead of the one being read (the entries are spread
        // over a table far larger than the caches).
        let ahead = 24
        var block = RowBlock()
        block.lengths.reserveCapacity(chunk.documentEnds.count)
        block.cols.reserveCapacity(chunk.occurrences.count / 2)
        block.vals.reserveCapacity(chunk.occurrences.count / 2)
        idf.withUnsafeBufferPointer { idfBuffer in
        columns.columns.withUnsafeBufferPointer { columnBuffer in
        columns.starts.withUnsafeBufferPointer { starts in
        chunk.occurrences.withUnsafeBufferPointer { occurrences in
            let idf = idfBuffer.baseAddress!, table = columnBuffer.baseAddress!
            let total = occurrences.count
            @inline(__always) func entry(_ k: Int) -> UnsafePointer<Int32> {
                let place = UInt32(bitPattern: occurrences[k])
                return table + (starts[Int(place >> shift)] &+ Int(place & mask))
            }
            for k in 0..<min(ahead, total) { Prefetch.read(entry(k)) }
            var segment = 0, position = 0
            for docEnd in chunk.documentEnds {
                while segment < docEnd {
                    let weight = Int32(clamping: chunk.segmentWeights[segment])
                    let end = chunk.segmentEnds[segment]
                    scratch.reserve(tokens: end - position, ngrams: 1)
                    let found = scratch.hits
                    var n = 0
                    for k in position..<end {
                        if k &+ ahead < total { Prefetch.read(entry(k &+ ahead)) }
                        let c = entry(k).pointee
                        if c >= 0 {
                            found[n] = c
                            n += 1
                            Prefetch.read(idf + Int(c))
                        }
                    }
                    scratch.count(found, n, weight: weight)
                    position = end
                    segment += 1
                }
                scratch.finishRow(into: &block, idf: idf, idfStride: 1, options: options)
            }
        }}}}
        return block
    }
}

/// The column of every entry of the corpus sums (-1 when pruned), partitions one after another: the entry a
/// settled occurrence names (`CorpusIndices.pack(partition: p, index: i)`) is `columns[starts[p] + i]`.
struct SumColumns {
    var columns: [Int32]
    var starts: [Int]
}
