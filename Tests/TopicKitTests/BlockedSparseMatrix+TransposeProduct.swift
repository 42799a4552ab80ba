@testable import TopicKit

// The term-range Xᵀ product the SVD used before its slab products: kept here as the independent reference the
// slab products are checked against, bit for bit.
extension BlockedSparseMatrix {
    /// Ranges of columns (terms) for `transposeMultiply`: the row blocks `BlockedSparseMatrix(transposeOf: self)`
    /// would have, about 1/12 of the entries and at most `maximumBlockRows` terms each.
    func transposeRanges() -> [Range<Int>] {
        var columnCounts = [Int](repeating: 0, count: columns)
        var total = 0
        for block in blocks {
            for c in block.columnIDs.indices {
                columnCounts[Int(block.columnIDs[c])] += Int(block.pointers[c + 1] - block.pointers[c])
            }
            total += block.values.count
        }
        return Self.boundaries(rows: columns, entries: { columnCounts[$0] }, total: total)
    }

    /// `out = selfᵀ · dense` (`columns × dense.columns`) read straight from this blocked form, so `xᵀ` need not be
    /// stored as well; `ranges` is `transposeRanges()`. Equal, bit for bit, to
    /// `BlockedSparseMatrix(transposeOf: self).multiply(dense)`: each range of output rows is summed over the
    /// source blocks in order and within a block by increasing row, the same order of the same operations.
    func transposeMultiply(_ dense: DenseMatrix, ranges: [Range<Int>], into out: inout DenseMatrix) {
        precondition(dense.rows == rows, "BlockedSparseMatrix.transposeMultiply: (\(rows) × \(columns))ᵀ times \(dense.rows) × \(dense.columns)")
        let width = dense.columns
        if out.rows != columns || out.columns != width { out = DenseMatrix(rows: columns, columns: width) }
        guard width > 0 else { return }
        let vectorWidth = width & ~7
        dense.values.withUnsafeBufferPointer { d in
            out.values.withUnsafeMutableBufferPointer { o in
                let dBase = d.baseAddress!, oBase = o.baseAddress!
                Parallel.forEachChunk(ranges.indices.map { $0..<($0 + 1) }) { index, _ in
                    let range = ranges[index]
                    let outBlock = oBase + range.lowerBound * width
                    outBlock.update(repeating: 0, count: range.count * width)
                    let lo = Int32(range.lowerBound), hi = Int32(range.upperBound)
                    for block in blocks {
                        block.columnIDs.withUnsafeBufferPointer { ids in
                        block.pointers.withUnsafeBufferPointer { ptrs in
                        block.rowOffsets.withUnsafeBufferPointer { offs in
                        block.values.withUnsafeBufferPointer { vals in
                            let first = Self.lowerBound(ids, lo), last = Self.lowerBound(ids, hi)
                            let dBlock = dBase + block.firstRow * width
                            for c in first..<last {
                                let orow = outBlock + (Int(ids[c]) - range.lowerBound) * width
                                for p in Int(ptrs[c])..<Int(ptrs[c + 1]) {
                                    Self.addScaled(vals[p], dBlock + Int(offs[p]) * width, to: orow,
                                                   width: width, vectorWidth: vectorWidth)
                                }
                            }
                        }}}}
                    }
                }
            }
        }
    }

    /// First index of the increasing `ids` holding a value `>= target`.
    private static func lowerBound(_ ids: UnsafeBufferPointer<Int32>, _ target: Int32) -> Int {
        var a = 0, b = ids.count
        while a < b { let m = (a + b) / 2; if ids[m] < target { a = m + 1 } else { b = m } }
        return a
    }
}
