extension BlockedSparseMatrix {
    /// A placeholder holding no entries (what a released blocked matrix is replaced by).
    init(emptyRows rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        self.blocks = []
    }

    /// The CSR matrix this was built from (`BlockedSparseMatrix(x)`): the same rows, columns increasing within
    /// each row, the same values. Each block is freed once copied, so the two forms never coexist whole.
    mutating func takeSparseMatrix() -> SparseMatrix {
        var pointers = [Int](repeating: 0, count: rows + 1)
        for block in blocks {
            for offset in block.rowOffsets { pointers[block.firstRow + Int(offset) + 1] += 1 }
        }
        for r in 0..<rows { pointers[r + 1] += pointers[r] }
        let total = pointers[rows]
        var next = pointers
        var values: [Float] = []
        let columnIndices = [Int32](unsafeUninitializedCapacity: total) { cols, colsInitialized in
            values = [Float](unsafeUninitializedCapacity: total) { vals, valsInitialized in
                // Columns are visited in increasing order, so each row receives its columns in order.
                for b in blocks.indices {
                    let block = blocks[b]
                    for c in block.columnIDs.indices {
                        let column = block.columnIDs[c]
                        for p in Int(block.pointers[c])..<Int(block.pointers[c + 1]) {
                            let r = block.firstRow + Int(block.rowOffsets[p])
                            cols[next[r]] = column
                            vals[next[r]] = block.values[p]
                            next[r] += 1
                        }
                    }
                    blocks[b] = Block(firstRow: block.firstRow, rowCount: 0)
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
