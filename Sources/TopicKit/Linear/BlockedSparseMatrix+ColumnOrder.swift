extension BlockedSparseMatrix {
    /// The columns of `x` by decreasing number of entries (ties by index): `order[j]` is the column stored as `j`
    /// and `rank[c]` where column `c` is stored (`BlockedSparseMatrix(x, columnRank: rank)`).
    ///
    /// The SVD's term slabs are ranges of stored columns: in this order the frequent terms share the first slabs,
    /// whose pieces of `Xᵀ·Q` reuse every row of `Q` many times while it is in cache, and the rare terms fill
    /// the last; in vocabulary (alphabetical) order every slab mixes both and reads most of `Q` once more.
    static func columnsByFrequency(_ x: SparseMatrix) -> (order: [Int32], rank: [Int32]) {
        var counts = [Int32](repeating: 0, count: x.columns)
        x.columnIndices.withUnsafeBufferPointer { cols in
            counts.withUnsafeMutableBufferPointer { n in
                for c in cols { n[Int(c)] += 1 }
            }
        }
        var order = (0..<Int32(x.columns)).map { $0 }
        counts.withUnsafeBufferPointer { n in
            order.sort { a, b in n[Int(a)] != n[Int(b)] ? n[Int(a)] > n[Int(b)] : a < b }
        }
        var rank = [Int32](repeating: 0, count: x.columns)
        for (j, c) in order.enumerated() { rank[Int(c)] = Int32(j) }
        return (order, rank)
    }

    /// The CSR matrix this was built from with `init(_:columnRank:)` whose stored column `j` is column `order[j]`:
    /// the same rows, original columns increasing within each row, the same values. Each block is freed once
    /// copied, so the two forms never coexist whole.
    mutating func takeSparseMatrix(columnOrder order: [Int32]) -> SparseMatrix {
        var pointers = [Int](repeating: 0, count: rows + 1)
        for block in blocks {
            for offset in block.rowOffsets { pointers[block.firstRow + Int(offset) + 1] += 1 }
        }
        for r in 0..<rows { pointers[r + 1] += pointers[r] }
        let total = pointers[rows]
        var next = pointers
        // Position + 1 of each original column within the current block (0: absent), so a block's columns are
        // visited in original order by one scan instead of a sort.
        var position = [Int32](repeating: 0, count: columns)
        var values: [Float] = []
        let columnIndices = [Int32](unsafeUninitializedCapacity: total) { cols, colsInitialized in
            values = [Float](unsafeUninitializedCapacity: total) { vals, valsInitialized in
                position.withUnsafeMutableBufferPointer { pos in
                    for b in blocks.indices {
                        let block = blocks[b]
                        block.columnIDs.withUnsafeBufferPointer { ids in
                        block.pointers.withUnsafeBufferPointer { ptrs in
                        block.rowOffsets.withUnsafeBufferPointer { offs in
                        block.values.withUnsafeBufferPointer { v in
                            guard !ids.isEmpty else { return }
                            var low = Int.max, high = Int.min
                            for c in ids.indices {
                                let original = Int(order[Int(ids[c])])
                                pos[original] = Int32(c + 1)
                                low = min(low, original)
                                high = max(high, original)
                            }
                            for t in low...high where pos[t] != 0 {
                                let c = Int(pos[t]) - 1
                                pos[t] = 0
                                for p in Int(ptrs[c])..<Int(ptrs[c + 1]) {
                                    let r = block.firstRow + Int(offs[p])
                                    cols[next[r]] = Int32(t)
                                    vals[next[r]] = v[p]
                                    next[r] += 1
                                }
                            }
                        }}}}
                        blocks[b] = Block(firstRow: block.firstRow, rowCount: 0)
                    }
                }
                valsInitialized = total
            }
            colsInitialized = total
        }
        blocks = []
        return SparseMatrix(rows: rows, columns: columns, rowPointers: pointers, columnIndices: columnIndices,
                            values: values)
    }
}
