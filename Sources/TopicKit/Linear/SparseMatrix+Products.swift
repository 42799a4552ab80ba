/// Sparse × dense products for the randomized SVD and LSA projection, split over rows across the cores.
///
/// Every output row is computed by one thread in a fixed order, so results are identical for any thread count.
extension SparseMatrix {
    /// `self · dense` (`rows × dense.columns`); `dense.rows` must equal `columns`.
    public func multiply(_ dense: DenseMatrix) -> DenseMatrix {
        precondition(dense.rows == columns, "SparseMatrix.multiply: \(rows) × \(columns) times \(dense.rows) × \(dense.columns)")
        let width = dense.columns
        var out = DenseMatrix(rows: rows, columns: width)
        guard rows > 0, width > 0, nonZeroCount > 0 else { return out }
        if nonZeroCount >= 1 << 20 && dense.values.count >= 1 << 22 {
            // Large dense factor: the cache-blocked form pays for its construction (same sums, same order).
            return BlockedSparseMatrix(self).multiply(dense)
        }
        let chunks = balancedRowChunks()
        rowPointers.withUnsafeBufferPointer { rp in
            columnIndices.withUnsafeBufferPointer { ci in
                values.withUnsafeBufferPointer { vals in
                    dense.values.withUnsafeBufferPointer { d in
                        out.values.withUnsafeMutableBufferPointer { o in
                            let dBase = d.baseAddress!, oBase = o.baseAddress!
                            let rpBase = rp.baseAddress!, ciBase = ci.baseAddress!, vBase = vals.baseAddress!
                            Parallel.forEachChunk(chunks) { _, range in
                                for r in range {
                                    Self.accumulateRow(into: oBase + r * width, width: width, dense: dBase,
                                                       entries: rpBase[r]..<rpBase[r + 1], columns: ciBase, values: vBase)
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// `out += Σ values[p] · dense[columns[p], :]` over `entries`, with the axpy the blocked products use
    /// (`BlockedSparseMatrix.addScaled`), so every form of the product sums alike.
    @inline(__always)
    private static func accumulateRow(into out: UnsafeMutablePointer<Float>, width: Int, dense: UnsafePointer<Float>,
                                      entries: Range<Int>, columns: UnsafePointer<Int32>, values: UnsafePointer<Float>) {
        let vectorWidth = width & ~7
        for p in entries {
            BlockedSparseMatrix.addScaled(values[p], dense + Int(columns[p]) * width, to: out, width: width,
                                          vectorWidth: vectorWidth)
        }
    }

    /// `selfᵀ · dense` (`columns × dense.columns`); `dense.rows` must equal `rows`.
    /// Builds the transpose once; callers doing several products should keep `transposed()` themselves.
    public func transposeMultiply(_ dense: DenseMatrix) -> DenseMatrix {
        precondition(dense.rows == rows, "SparseMatrix.transposeMultiply: (\(rows) × \(columns))ᵀ times \(dense.rows) × \(dense.columns)")
        return transposed().multiply(dense)
    }

    /// The transpose as a CSR matrix (equivalently, this matrix in CSC form); column order within rows is kept.
    public func transposed() -> SparseMatrix {
        var counts = [Int](repeating: 0, count: columns + 1)
        for c in columnIndices { counts[Int(c) + 1] += 1 }
        for c in 0..<columns { counts[c + 1] += counts[c] }
        let pointers = counts
        var next = counts
        var cols = [Int32](repeating: 0, count: nonZeroCount)
        var vals = [Float](repeating: 0, count: nonZeroCount)
        rowPointers.withUnsafeBufferPointer { rp in
            columnIndices.withUnsafeBufferPointer { ci in
                values.withUnsafeBufferPointer { v in
                    cols.withUnsafeMutableBufferPointer { oc in
                        vals.withUnsafeMutableBufferPointer { ov in
                            for r in 0..<rows {
                                for p in rp[r]..<rp[r + 1] {
                                    let c = Int(ci[p])
                                    let dst = next[c]
                                    next[c] = dst + 1
                                    oc[dst] = Int32(r)
                                    ov[dst] = v[p]
                                }
                            }
                        }
                    }
                }
            }
        }
        return SparseMatrix(rows: columns, columns: rows, rowPointers: pointers, columnIndices: cols, values: vals)
    }

    /// Euclidean norm of every row.
    public func rowNorms() -> [Float] {
        (0..<rows).map { r in
            var s: Float = 0
            for p in rowPointers[r]..<rowPointers[r + 1] { s += values[p] * values[p] }
            return s.squareRoot()
        }
    }

    /// Row ranges holding roughly equal numbers of stored entries (Zipf-skewed transposes stay balanced).
    func balancedRowChunks(maximumChunks: Int = 64) -> [Range<Int>] {
        guard rows > 0 else { return [] }
        let target = max(4096, (nonZeroCount + rows + maximumChunks - 1) / maximumChunks)
        var chunks: [Range<Int>] = []
        var start = 0
        var load = 0
        for r in 0..<rows {
            load += rowPointers[r + 1] - rowPointers[r] + 1
            if load >= target {
                chunks.append(start..<(r + 1))
                start = r + 1
                load = 0
            }
        }
        if start < rows { chunks.append(start..<rows) }
        return chunks
    }
}
