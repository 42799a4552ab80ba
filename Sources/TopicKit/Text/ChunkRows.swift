#if canImport(Glibc)
import Glibc
#endif

extension TfidfVectorizer {
    /// The rows of the documents a fit counted (the same rows `transform` gives their papers).
    ///
    /// The chunk's occurrences are settled (places in the corpus sums); `columns[p][i]` is the column of entry
    /// `i` of partition `p` of the sums (-1 when pruned). Terms of a row are counted in the scratch's
    /// vocabulary-sized array and read back in column order from its bitmaps, so no row is sorted.
    func transformRows(_ chunk: ChunkNgrams, columns: [[Int32]], scratch: RowScratch) -> RowBlock {
        let shift = UInt32(CorpusIndices.indexBits), mask = UInt32(CorpusIndices.maximumIndex)
        var block = RowBlock()
        block.lengths.reserveCapacity(chunk.documentEnds.count)
        block.cols.reserveCapacity(chunk.occurrences.count / 2)
        block.vals.reserveCapacity(chunk.occurrences.count / 2)
        let terms = scratch.terms, marks = scratch.marks, summary = scratch.summary
        let summaryWords = scratch.summaryWords
        let sublinear = options.sublinearTF, useIDF = options.useIDF, norm = options.norm
        var sink: UInt64 = 0
        chunk.occurrences.withUnsafeBufferPointer { occurrences in
            var segment = 0, position = 0
            for docEnd in chunk.documentEnds {
                while segment < docEnd {
                    let weight = Int32(clamping: chunk.segmentWeights[segment])
                    let end = chunk.segmentEnds[segment]
                    scratch.reserve(tokens: end - position, ngrams: 1)
                    let found = scratch.hits
                    // Columns first, then every term's slot (independent loads whose cache misses overlap),
                    // then the counts.
                    for k in position..<end {
                        let place = UInt32(bitPattern: occurrences[k])
                        found[k - position] = columns[Int(place >> shift)][Int(place & mask)]
                    }
                    for k in 0..<(end - position) {
                        sink ^= UInt64(truncatingIfNeeded: terms[max(0, Int(found[k]))].count)
                    }
                    for k in 0..<(end - position) {
                        let c = Int(found[k])
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
        }
        scratch.sink ^= sink
        return block
    }
}
