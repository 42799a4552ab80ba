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
        takeSparseMatrix(columnOrder: (0..<Int32(columns)).map { $0 })
    }
}
