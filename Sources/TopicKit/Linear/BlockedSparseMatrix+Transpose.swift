extension BlockedSparseMatrix {
    /// The blocked form of `xᵀ` built from the blocked form of `x`, so the CSR matrix need not be held while
    /// both blocked forms exist. Equal, block for block, to `BlockedSparseMatrix(transposeOf:)` of the CSR
    /// matrix `x` was built from.
    ///
    /// A counting sort: every block of `xᵀ` (a range of terms) takes, from each block of `x` in turn, the
    /// contiguous run of its columns in that range and regroups those entries by row (paper), stably, so
    /// the papers come in increasing order and each paper's terms in increasing order, as in the CSR rows.
    init(transposeOf x: BlockedSparseMatrix) {
        rows = x.columns
        columns = x.rows
        var columnCounts = [Int](repeating: 0, count: x.columns)
        var total = 0
        for block in x.blocks {
            for c in block.columnIDs.indices {
                columnCounts[Int(block.columnIDs[c])] += Int(block.pointers[c + 1] - block.pointers[c])
            }
            total += block.values.count
        }
        let ranges = Self.boundaries(rows: x.columns, entries: { columnCounts[$0] }, total: total)
        let longest = x.blocks.map(\.rowCount).max() ?? 0
        blocks = Parallel.mapChunks(ranges) { range -> Block in
            var block = Block(firstRow: range.lowerBound, rowCount: range.count)
            var size = 0
            for t in range { size += columnCounts[t] }
            block.rowOffsets = [UInt16](repeating: 0, count: size)
            block.values = [Float](repeating: 0, count: size)
            let lo = Int32(range.lowerBound), hi = Int32(range.upperBound)
            // Entries per row of the source block, then where each row's next entry goes.
            var slot = [Int32](repeating: 0, count: longest)
            var written = 0
            for source in x.blocks {
                let ids = source.columnIDs
                let first = Self.lowerBound(ids, lo), last = Self.lowerBound(ids, hi)
                guard first < last else { continue }
                let start = Int(source.pointers[first]), end = Int(source.pointers[last])
                for p in start..<end { slot[Int(source.rowOffsets[p])] += 1 }
                var running = Int32(written)
                for r in 0..<source.rowCount where slot[r] > 0 {
                    let count = slot[r]
                    slot[r] = running
                    running += count
                    block.columnIDs.append(Int32(source.firstRow + r))
                    block.pointers.append(running)
                }
                for c in first..<last {
                    let offset = UInt16(Int(ids[c]) - range.lowerBound)
                    for p in Int(source.pointers[c])..<Int(source.pointers[c + 1]) {
                        let r = Int(source.rowOffsets[p])
                        let dst = Int(slot[r])
                        slot[r] += 1
                        block.rowOffsets[dst] = offset
                        block.values[dst] = source.values[p]
                    }
                }
                // Every touched row's slot now ends where the next row starts: clear them for the next source.
                for p in start..<end { slot[Int(source.rowOffsets[p])] = 0 }
                written = end - start + written
            }
            return block
        }
    }

    /// First index of the increasing `ids` holding a value `>= target`.
    private static func lowerBound(_ ids: [Int32], _ target: Int32) -> Int {
        var a = 0, b = ids.count
        while a < b { let m = (a + b) / 2; if ids[m] < target { a = m + 1 } else { b = m } }
        return a
    }
}
