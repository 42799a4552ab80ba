#if canImport(Glibc)
import Glibc
#endif

extension TfidfVectorizer {
    /// The rows of the documents a fit counted (the same rows `transform` gives their papers).
    ///
    /// The chunk's occurrences are settled (places in the corpus sums); `columns[p][i]` is the column of entry
    /// `i` of partition `p` of the sums (-1 when pruned). A row's terms are merged in the scratch's per-row count
    /// table and read back in column order from its bitmaps, so no row is sorted.
    func transformRows(_ chunk: ChunkNgrams, columns: [[Int32]], scratch: RowScratch) -> RowBlock {
        let shift = UInt32(CorpusIndices.indexBits), mask = UInt32(CorpusIndices.maximumIndex)
        var block = RowBlock()
        block.lengths.reserveCapacity(chunk.documentEnds.count)
        block.cols.reserveCapacity(chunk.occurrences.count / 2)
        block.vals.reserveCapacity(chunk.occurrences.count / 2)
        idf.withUnsafeBufferPointer { idfBuffer in
            let idf = idfBuffer.baseAddress!
            chunk.occurrences.withUnsafeBufferPointer { occurrences in
                var segment = 0, position = 0
                for docEnd in chunk.documentEnds {
                    while segment < docEnd {
                        let weight = Int32(clamping: chunk.segmentWeights[segment])
                        let end = chunk.segmentEnds[segment]
                        scratch.reserve(tokens: end - position, ngrams: 1)
                        let found = scratch.hits
                        var n = 0
                        for k in position..<end {
                            let place = UInt32(bitPattern: occurrences[k])
                            let c = columns[Int(place >> shift)][Int(place & mask)]
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
            }
        }
        return block
    }
}
