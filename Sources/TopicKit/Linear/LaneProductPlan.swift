/// How the lane products walk each block of a `BlockedSparseMatrix`: the block's leading columns that hold at
/// least `minimumRun` entries each, column by column; every later entry in one flat loop, with its own column.
///
/// Most columns of a TF-IDF block hold one to three entries (12 blocks of the 64k arXiv papers: 1.7M block
/// columns for 10.2M entries). Walked column by column, the inner loop's exit is mispredicted about once per such
/// column; a flat loop over entries has no branch but its own, at 4 more bytes read per entry. Columns numbered
/// by frequency put the long ones first in every block, where the column loop costs nothing extra: on the arXiv
/// categories the first ~2,500 columns of each block hold about half its entries. Either way each output row is
/// summed over the same columns in the same order, so every plan gives the same bits.
struct LaneProductPlan: Sendable {
    /// Per block: how many leading columns are walked column by column.
    let loopColumns: [Int]
    /// Per block: the column of every entry after those columns, in storage order.
    let entryColumns: [[Int32]]

    /// The plan for `matrix`: a block's loop stops at its first column with fewer than `minimumRun` entries
    /// (`0`: every column is looped, `Int.max`: every entry is in the flat loop).
    init(_ matrix: BlockedSparseMatrix, minimumRun: Int) {
        let plans = Parallel.mapChunks(matrix.blocks.indices.map { $0..<($0 + 1) }) { range -> (Int, [Int32]) in
            let block = matrix.blocks[range.lowerBound]
            var head = 0
            while head < block.columnIDs.count && Int(block.pointers[head + 1] - block.pointers[head]) >= minimumRun {
                head += 1
            }
            let first = Int(block.pointers[head])
            let tail = [Int32](unsafeUninitializedCapacity: block.values.count - first) { out, initialized in
                for c in head..<block.columnIDs.count {
                    for p in Int(block.pointers[c])..<Int(block.pointers[c + 1]) { out[p - first] = block.columnIDs[c] }
                }
                initialized = block.values.count - first
            }
            return (head, tail)
        }
        loopColumns = plans.map(\.0)
        entryColumns = plans.map(\.1)
    }
}

extension BlockedSparseMatrix {
    /// `out = self · dense` where `dense` has `columns` rows of eight side-by-side vectors (one SIMD8 row each) and
    /// `out` has `rows` such rows: eight sparse matrix-vector products for one pass over the matrix, walked as
    /// `plan` (built for this matrix) says. Blocks run in parallel; each output row is summed in a fixed order, so
    /// the bits depend neither on the thread count nor on the plan.
    func multiplyLanes(_ dense: UnsafePointer<SIMD8<Float>>, plan: LaneProductPlan,
                       into out: UnsafeMutablePointer<SIMD8<Float>>) {
        Parallel.forEachChunk(blocks.indices.map { $0..<($0 + 1) }) { b, _ in
            let block = blocks[b]
            let outBlock = out + block.firstRow
            outBlock.update(repeating: SIMD8<Float>(repeating: 0), count: block.rowCount)
            let head = plan.loopColumns[b]
            plan.entryColumns[b].withUnsafeBufferPointer { cols in
            block.columnIDs.withUnsafeBufferPointer { ids in
            block.pointers.withUnsafeBufferPointer { ptrs in
            block.rowOffsets.withUnsafeBufferPointer { offs in
            block.values.withUnsafeBufferPointer { vals in
                guard !vals.isEmpty else { return }
                for c in 0..<head {
                    let x = dense[Int(ids[c])]
                    for p in Int(ptrs[c])..<Int(ptrs[c + 1]) {
                        outBlock[Int(offs[p])] += vals[p] * x
                    }
                }
                let first = Int(ptrs[head])
                let tailOffsets = offs.baseAddress! + first, tailValues = vals.baseAddress! + first
                for p in 0..<cols.count {
                    outBlock[Int(tailOffsets[p])] += tailValues[p] * dense[Int(cols[p])]
                }
            }}}}}
        }
    }

    /// `out[2r] = (self · a)[r]` and `out[2r + 1] = ((self ∘ self) · b)[r]` (entries squared) in one pass, walked
    /// as `plan` says; with `out` 64-byte aligned both results of a row share one cache line.
    func multiplyLanes(_ a: UnsafePointer<SIMD8<Float>>, squared b: UnsafePointer<SIMD8<Float>>,
                       plan: LaneProductPlan, intoPairs out: UnsafeMutablePointer<SIMD8<Float>>) {
        Parallel.forEachChunk(blocks.indices.map { $0..<($0 + 1) }) { index, _ in
            let block = blocks[index]
            let outBlock = out + 2 * block.firstRow
            outBlock.update(repeating: SIMD8<Float>(repeating: 0), count: 2 * block.rowCount)
            let head = plan.loopColumns[index]
            plan.entryColumns[index].withUnsafeBufferPointer { cols in
            block.columnIDs.withUnsafeBufferPointer { ids in
            block.pointers.withUnsafeBufferPointer { ptrs in
            block.rowOffsets.withUnsafeBufferPointer { offs in
            block.values.withUnsafeBufferPointer { vals in
                guard !vals.isEmpty else { return }
                for c in 0..<head {
                    let x = a[Int(ids[c])], y = b[Int(ids[c])]
                    for p in Int(ptrs[c])..<Int(ptrs[c + 1]) {
                        let v = vals[p], r = 2 * Int(offs[p])
                        outBlock[r] += v * x
                        outBlock[r + 1] += (v * v) * y
                    }
                }
                let first = Int(ptrs[head])
                let tailOffsets = offs.baseAddress! + first, tailValues = vals.baseAddress! + first
                for p in 0..<cols.count {
                    let v = tailValues[p], r = 2 * Int(tailOffsets[p]), c = Int(cols[p])
                    outBlock[r] += v * a[c]
                    outBlock[r + 1] += (v * v) * b[c]
                }
            }}}}}
        }
    }
}
