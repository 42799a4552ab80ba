/// A compressed-sparse-row matrix: Float32 values, Int32 column indices, as TF-IDF produces it.
///
/// Row `i` holds `values[rowPointers[i]..<rowPointers[i+1]]` at columns
/// `columnIndices[rowPointers[i]..<rowPointers[i+1]]`, columns strictly increasing within a row.
public struct SparseMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public var rowPointers: [Int]
    public var columnIndices: [Int32]
    public var values: [Float]

    /// Number of stored (non-zero) entries.
    public var nonZeroCount: Int { values.count }

    public init(rows: Int, columns: Int, rowPointers: [Int], columnIndices: [Int32], values: [Float]) {
        precondition(rowPointers.count == rows + 1, "rowPointers must have rows + 1 entries")
        precondition(columnIndices.count == values.count, "one column index per value")
        precondition(rowPointers.last == values.count, "rowPointers must end at the value count")
        self.rows = rows
        self.columns = columns
        self.rowPointers = rowPointers
        self.columnIndices = columnIndices
        self.values = values
    }

    /// Builds a CSR matrix from a dense row-major array (zeros dropped); for tests and small inputs.
    public init(dense: [Float], rows: Int, columns: Int) {
        precondition(dense.count == rows * columns)
        var pointers = [0]
        var indices: [Int32] = []
        var vals: [Float] = []
        for r in 0..<rows {
            for c in 0..<columns where dense[r * columns + c] != 0 {
                indices.append(Int32(c))
                vals.append(dense[r * columns + c])
            }
            pointers.append(vals.count)
        }
        self.init(rows: rows, columns: columns, rowPointers: pointers, columnIndices: indices, values: vals)
    }

    /// The rows at `indices`, in that order, as a new matrix.
    public func selectingRows(_ indices: [Int]) -> SparseMatrix {
        var pointers = [Int]()
        pointers.reserveCapacity(indices.count + 1)
        pointers.append(0)
        var total = 0
        for i in indices { total += rowPointers[i + 1] - rowPointers[i]; pointers.append(total) }
        var cols = [Int32](); cols.reserveCapacity(total)
        var vals = [Float](); vals.reserveCapacity(total)
        for i in indices {
            let range = rowPointers[i]..<rowPointers[i + 1]
            cols.append(contentsOf: columnIndices[range])
            vals.append(contentsOf: values[range])
        }
        return SparseMatrix(rows: indices.count, columns: columns, rowPointers: pointers,
                            columnIndices: cols, values: vals)
    }

    /// The dense row-major equivalent; for tests and small matrices.
    public func toDense() -> [Float] {
        var out = [Float](repeating: 0, count: rows * columns)
        for r in 0..<rows {
            for k in rowPointers[r]..<rowPointers[r + 1] {
                out[r * columns + Int(columnIndices[k])] = values[k]
            }
        }
        return out
    }
}
