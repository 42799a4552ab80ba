extension BlockedSparseMatrix {
    /// The columns of `x` from the most to the least stored entries (ties by index): `order[k]` is the column
    /// that becomes column k, `rank[c]` is where column `c` goes. Products over a matrix renumbered this way
    /// touch the frequent columns, which hold most entries, in a few cache-resident rows of the dense factor.
    static func columnsByFrequency(_ x: SparseMatrix) -> (order: [Int32], rank: [Int32]) {
        var counts = [Int](repeating: 0, count: x.columns)
        for c in x.columnIndices { counts[Int(c)] += 1 }
        let order = (0..<x.columns).sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
        var rank = [Int32](repeating: 0, count: x.columns)
        for (k, c) in order.enumerated() { rank[c] = Int32(k) }
        return (order.map { Int32($0) }, rank)
    }

    /// The blocked form of `x` with column `c` renumbered `rank[c]` (a permutation of the columns): equal to
    /// `BlockedSparseMatrix(x')` for the CSR matrix `x'` so renumbered, without building `x'`.
    init(_ x: SparseMatrix, renumberingColumns rank: [Int32]) {
        precondition(rank.count == x.columns, "BlockedSparseMatrix: \(rank.count) ranks for \(x.columns) columns")
        rows = x.rows
        columns = x.columns
        let ranges = Self.boundaries(rows: x.rows, entries: { x.rowPointers[$0 + 1] - x.rowPointers[$0] },
                                     total: x.nonZeroCount)
        let columns = x.columns
        blocks = Parallel.mapChunks(ranges) { range -> Block in
            var block = Block(firstRow: range.lowerBound, rowCount: range.count)
            var counts = [Int32](repeating: 0, count: columns)
            let first = x.rowPointers[range.lowerBound], last = x.rowPointers[range.upperBound]
            for p in first..<last { counts[Int(rank[Int(x.columnIndices[p])])] += 1 }
            var slot = [Int32](repeating: -1, count: columns)
            var running: Int32 = 0
            for c in 0..<columns where counts[c] > 0 {
                slot[c] = running
                running += counts[c]
                block.columnIDs.append(Int32(c))
                block.pointers.append(running)
            }
            block.rowOffsets = [UInt16](repeating: 0, count: last - first)
            block.values = [Float](repeating: 0, count: last - first)
            for r in range {
                for p in x.rowPointers[r]..<x.rowPointers[r + 1] {
                    let c = Int(rank[Int(x.columnIndices[p])])
                    let dst = Int(slot[c])
                    slot[c] += 1
                    block.rowOffsets[dst] = UInt16(r - range.lowerBound)
                    block.values[dst] = x.values[p]
                }
            }
            return block
        }
    }
}
