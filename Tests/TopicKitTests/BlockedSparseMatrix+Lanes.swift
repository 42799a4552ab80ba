@testable import TopicKit

// The column-by-column lane products the solver used before `LaneProductPlan`: kept here as the independent
// reference the planned products are checked against, bit for bit.
extension BlockedSparseMatrix {
    /// `out = self · dense` where `dense` has `columns` rows of eight side-by-side vectors (one SIMD8 row each) and
    /// `out` has `rows` such rows: eight sparse matrix-vector products for the price of one pass over the matrix.
    /// Blocks run in parallel; each output row is summed in a fixed order, so results do not depend on the
    /// thread count.
    func multiplyLanes(_ dense: UnsafePointer<SIMD8<Float>>, into out: UnsafeMutablePointer<SIMD8<Float>>) {
        Parallel.forEachChunk(blocks.indices.map { $0..<($0 + 1) }) { b, _ in
            let block = blocks[b]
            let outBlock = out + block.firstRow
            outBlock.update(repeating: SIMD8<Float>(repeating: 0), count: block.rowCount)
            block.columnIDs.withUnsafeBufferPointer { ids in
            block.pointers.withUnsafeBufferPointer { ptrs in
            block.rowOffsets.withUnsafeBufferPointer { offs in
            block.values.withUnsafeBufferPointer { vals in
                for c in 0..<ids.count {
                    let x = dense[Int(ids[c])]
                    for p in Int(ptrs[c])..<Int(ptrs[c + 1]) {
                        outBlock[Int(offs[p])] += vals[p] * x
                    }
                }
            }}}}
        }
    }

    /// `out = self · a` and `squaredOut = (self ∘ self) · b` (entries squared) in one pass, as `multiplyLanes`.
    func multiplyLanes(_ a: UnsafePointer<SIMD8<Float>>, into out: UnsafeMutablePointer<SIMD8<Float>>,
                       squared b: UnsafePointer<SIMD8<Float>>, into squaredOut: UnsafeMutablePointer<SIMD8<Float>>) {
        Parallel.forEachChunk(blocks.indices.map { $0..<($0 + 1) }) { index, _ in
            let block = blocks[index]
            let outBlock = out + block.firstRow, squaredBlock = squaredOut + block.firstRow
            outBlock.update(repeating: SIMD8<Float>(repeating: 0), count: block.rowCount)
            squaredBlock.update(repeating: SIMD8<Float>(repeating: 0), count: block.rowCount)
            block.columnIDs.withUnsafeBufferPointer { ids in
            block.pointers.withUnsafeBufferPointer { ptrs in
            block.rowOffsets.withUnsafeBufferPointer { offs in
            block.values.withUnsafeBufferPointer { vals in
                for c in 0..<ids.count {
                    let x = a[Int(ids[c])], y = b[Int(ids[c])]
                    for p in Int(ptrs[c])..<Int(ptrs[c + 1]) {
                        let v = vals[p], r = Int(offs[p])
                        outBlock[r] += v * x
                        squaredBlock[r] += (v * v) * y
                    }
                }
            }}}}
        }
    }

    /// `out[2r] = (self · a)[r]` and `out[2r + 1] = ((self ∘ self) · b)[r]`, the sums of the two-output
    /// `multiplyLanes` bit for bit; with `out` 64-byte aligned both results of a row share one cache line, so each
    /// stored entry updates one line instead of two.
    func multiplyLanes(_ a: UnsafePointer<SIMD8<Float>>, squared b: UnsafePointer<SIMD8<Float>>,
                       intoPairs out: UnsafeMutablePointer<SIMD8<Float>>) {
        Parallel.forEachChunk(blocks.indices.map { $0..<($0 + 1) }) { index, _ in
            let block = blocks[index]
            let outBlock = out + 2 * block.firstRow
            outBlock.update(repeating: SIMD8<Float>(repeating: 0), count: 2 * block.rowCount)
            block.columnIDs.withUnsafeBufferPointer { ids in
            block.pointers.withUnsafeBufferPointer { ptrs in
            block.rowOffsets.withUnsafeBufferPointer { offs in
            block.values.withUnsafeBufferPointer { vals in
                for c in 0..<ids.count {
                    let x = a[Int(ids[c])], y = b[Int(ids[c])]
                    for p in Int(ptrs[c])..<Int(ptrs[c + 1]) {
                        let v = vals[p], r = 2 * Int(offs[p])
                        outBlock[r] += v * x
                        outBlock[r + 1] += (v * v) * y
                    }
                }
            }}}}
        }
    }
}
