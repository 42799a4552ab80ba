#if canImport(Glibc)
import Glibc
#endif

extension TfidfVectorizer {
    /// The rows of the documents a fit counted (the same rows `transform` gives their papers).
    ///
    /// `columns[p][i]` is the column of entry `i` of the corpus sums' partition `p` (-1 when pruned); each
    /// distinct n-gram of the chunk is mapped to its column once, then every occurrence is one load. Terms of
    /// a row are counted in the scratch's vocabulary-sized array and read back in column order from its
    /// bitmaps, so no row is sorted.
    func transformRows(_ chunk: ChunkNgrams, columns: [[Int32]], scratch: RowScratch) -> RowBlock {
        var local = [Int32](repeating: -1, count: chunk.corpusIndices?.count ?? 0)
        if let corpus = chunk.corpusIndices {
            let shift = UInt32(CorpusIndices.indexBits), mask = UInt32(CorpusIndices.maximumIndex)
            local.withUnsafeMutableBufferPointer { local in
                for k in 0..<corpus.count {
                    let packed = corpus.values[k]
                    local[k] = columns[Int(packed >> shift)][Int(packed & mask)]
                }
            }
        }
        var block = RowBlock()
        block.lengths.reserveCapacity(chunk.documentEnds.count)
        block.cols.reserveCapacity(chunk.occurrences.count / 2)
        block.vals.reserveCapacity(chunk.occurrences.count / 2)
        let terms = scratch.terms, marks = scratch.marks, summary = scratch.summary
        let summaryWords = scratch.summaryWords
        let sublinear = options.sublinearTF, useIDF = options.useIDF, norm = options.norm
        var sink: UInt64 = 0
        local.withUnsafeBufferPointer { local in
        chunk.occurrences.withUnsafeBufferPointer { occurrences in
            var segment = 0, position = 0
            for docEnd in chunk.documentEnds {
                while segment < docEnd {
                    let weight = Int32(clamping: chunk.segmentWeights[segment])
                    let end = chunk.segmentEnds[segment]
                    // Every term's slot is loaded first (independent loads whose cache misses overlap).
                    for k in position..<end {
                        sink ^= UInt64(truncatingIfNeeded: terms[max(0, Int(local[Int(occurrences[k])]))].count)
                    }
                    for k in position..<end {
                        let c = Int(local[Int(occurrences[k])])
                        if c < 0 { continue }
                        if terms[c].count == 0 {
                            marks[c >> 6] |= 1 << UInt64(c & 63)
                            summary[c >> 12] |= 1 << UInt64((c >> 6) & 63)
                        }
                        terms[c].count &+= weight
                    }
                    position = end
                    segment += 1
                }
                let start = block.cols.count
                for s in 0..<summaryWords {
                    var top = summary[s]
                    if top == 0 { continue }
                    summary[s] = 0
                    while top != 0 {
                        let w = s << 6 | top.trailingZeroBitCount
                        top &= top &- 1
                        var bits = marks[w]
                        marks[w] = 0
                        while bits != 0 {
                            let c = w << 6 | bits.trailingZeroBitCount
                            bits &= bits &- 1
                            let term = terms[c]
                            terms[c].count = 0
                            let tf = Float(term.count)
                            let x = sublinear ? 1 + logf(tf) : tf
                            block.cols.append(Int32(truncatingIfNeeded: c))
                            block.vals.append(useIDF ? x * term.idf : x)
                        }
                    }
                }
                TfidfVectorizer.normalize(&block.vals[start...], norm)
                block.lengths.append(block.cols.count - start)
            }
        }}
        scratch.sink ^= sink
        return block
    }
}
