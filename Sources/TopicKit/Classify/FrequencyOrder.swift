/// A sparse matrix with its columns renumbered by descending frequency (ties by original index), so the weights
/// most rows touch share cache lines in the solver's gather/scatter loops. Entries keep their order inside each
/// row; only their column numbers change.
struct FrequencyOrder {
    /// The renumbered matrix (same rows, values and row pointers).
    let matrix: SparseMatrix
    /// `original[k]` is the original column of renumbered column k.
    let original: [Int]

    init(_ x: SparseMatrix) {
        var counts = [Int](repeating: 0, count: x.columns)
        for c in x.columnIndices { counts[Int(c)] += 1 }
        let order = (0..<x.columns).sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
        var renumbered = [Int32](repeating: 0, count: x.columns)
        for (k, j) in order.enumerated() { renumbered[j] = Int32(k) }
        matrix = SparseMatrix(rows: x.rows, columns: x.columns, rowPointers: x.rowPointers,
                              columnIndices: x.columnIndices.map { renumbered[Int($0)] }, values: x.values)
        original = order
    }

    /// Weights of the renumbered columns back in the original column order.
    func restore(_ weights: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: weights.count)
        for (k, j) in original.enumerated() { out[j] = weights[k] }
        return out
    }
}
