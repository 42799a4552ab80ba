/// Consecutive ranges of columns (terms) of a `BlockedSparseMatrix` for the products with `X·Xᵀ` that hold
/// `Xᵀ·Q` one slab at a time: a slab's rows of `Xᵀ·Q` (`slab.count × width` floats) are small enough to stay in
/// cache while they are summed and used.
struct TermSlabs: Sendable {
    /// Column ranges covering `0..<columns` in increasing order.
    let slabs: [Range<Int>]
    /// Per slab, its split into up to `piecesPerSlab` consecutive ranges of about equal entries: the units of
    /// parallel work when the slab's rows of `Xᵀ·Q` are summed (fixed, so the sums do not depend on the thread
    /// count).
    let pieces: [[Range<Int>]]

    /// Most columns in one slab (the scratch the products need is `largest × width` floats).
    var largest: Int { slabs.map(\.count).max() ?? 0 }

    static let piecesPerSlab = 8
}

extension BlockedSparseMatrix {
    /// Bytes of one slab of `Xᵀ·Q`: a share of the last-level cache that leaves room for the rows of Q and Y
    /// the products read and write beside it.
    static let slabBytes = 8 << 20

    /// Slabs of at most `slabBytes / (width · 4)` columns for products with `width`-column dense factors.
    func termSlabs(width: Int, slabBytes: Int = BlockedSparseMatrix.slabBytes) -> TermSlabs {
        var columnCounts = [Int](repeating: 0, count: columns)
        for block in blocks {
            for c in block.columnIDs.indices {
                columnCounts[Int(block.columnIDs[c])] += Int(block.pointers[c + 1] - block.pointers[c])
            }
        }
        let maximumTerms = max(1, slabBytes / (max(1, width) * MemoryLayout<Float>.stride))
        var slabs: [Range<Int>] = [], pieces: [[Range<Int>]] = []
        var start = 0
        while start < columns {
            let slab = start..<min(columns, start + maximumTerms)
            var entries = 0
            for t in slab { entries += columnCounts[t] }
            let target = max(1, (entries + TermSlabs.piecesPerSlab - 1) / TermSlabs.piecesPerSlab)
            var split: [Range<Int>] = []
            var pieceStart = slab.lowerBound, load = 0
            for t in slab {
                load += columnCounts[t]
                if load >= target && split.count < TermSlabs.piecesPerSlab - 1 {
                    split.append(pieceStart..<(t + 1))
                    pieceStart = t + 1
                    load = 0
                }
            }
            if pieceStart < slab.upperBound { split.append(pieceStart..<slab.upperBound) }
            slabs.append(slab)
            pieces.append(split)
            start = slab.upperBound
        }
        return TermSlabs(slabs: slabs, pieces: pieces)
    }

    /// `y = self · selfᵀ · q` (`rows × q.columns`) one term slab at a time: `Z_s = X_sᵀ·q` (parallel over the
    /// slab's pieces), then `y += X_s·Z_s` (parallel over row blocks), so `Xᵀ·q` (`columns × q.columns`) never
    /// exists whole. `scratch` holds one slab of `Z` and is grown when needed. Equal, bit for bit, to
    /// `multiply(BlockedSparseMatrix(transposeOf: self).multiply(q))`: every value is summed in the same order.
    func multiplyGram(_ q: DenseMatrix, slabs: TermSlabs, scratch: inout [Float], into y: inout DenseMatrix) {
        precondition(q.rows == rows, "BlockedSparseMatrix.multiplyGram: \(rows) × \(columns) and \(q.rows) × \(q.columns)")
        let width = q.columns
        if y.rows != rows || y.columns != width { y = DenseMatrix(rows: rows, columns: width) }
        guard width > 0 else { return }
        if scratch.count < slabs.largest * width { scratch = [Float](repeating: 0, count: slabs.largest * width) }
        let blockChunks = blocks.indices.map { $0..<($0 + 1) }
        q.values.withUnsafeBufferPointer { qb in
            y.values.withUnsafeMutableBufferPointer { yb in
                scratch.withUnsafeMutableBufferPointer { zb in
                    let yBase = yb.baseAddress!, zBase = zb.baseAddress!
                    Parallel.forEachChunk(blockChunks) { b, _ in
                        let block = blocks[b]
                        (yBase + block.firstRow * width).update(repeating: 0, count: block.rowCount * width)
                    }
                    for s in slabs.slabs.indices {
                        let slab = slabs.slabs[s]
                        slabTransposeProduct(qb.baseAddress!, width: width, slab: slab, pieces: slabs.pieces[s], into: zBase)
                        Parallel.forEachChunk(blockChunks) { b, _ in
                            addSlabProduct(block: b, zBase, width: width, slab: slab, to: yBase)
                        }
                    }
                }
            }
        }
    }

    /// Calls `body(slab, Z_s)` for every slab in order with `Z_s = X_sᵀ·q` (`slab.count × q.columns`, row-major,
    /// valid only during the call): `selfᵀ · q` a slab at a time, summed as `BlockedSparseMatrix(transposeOf: self).multiply` sums it.
    func forEachTransposeSlab(_ q: DenseMatrix, slabs: TermSlabs, scratch: inout [Float],
                              _ body: (Range<Int>, UnsafePointer<Float>) throws -> Void) rethrows {
        precondition(q.rows == rows, "BlockedSparseMatrix.forEachTransposeSlab: \(rows) × \(columns) and \(q.rows) × \(q.columns)")
        let width = q.columns
        guard width > 0 else { return }
        if scratch.count < slabs.largest * width { scratch = [Float](repeating: 0, count: slabs.largest * width) }
        try q.values.withUnsafeBufferPointer { qb in
            try scratch.withUnsafeMutableBufferPointer { zb in
                for s in slabs.slabs.indices {
                    slabTransposeProduct(qb.baseAddress!, width: width, slab: slabs.slabs[s], pieces: slabs.pieces[s],
                                         into: zb.baseAddress!)
                    try body(slabs.slabs[s], UnsafePointer(zb.baseAddress!))
                }
            }
        }
    }

    /// `z = X_sᵀ·q` for the columns `slab` (row `t - slab.lowerBound` of `z` is term `t`), the pieces in parallel;
    /// each row summed over the blocks in order and within a block by increasing row.
    private func slabTransposeProduct(_ q: UnsafePointer<Float>, width: Int, slab: Range<Int>, pieces: [Range<Int>],
                                      into z: UnsafeMutablePointer<Float>) {
        let vectorWidth = width & ~7
        Parallel.forEachChunk(pieces) { _, piece in
            (z + (piece.lowerBound - slab.lowerBound) * width).update(repeating: 0, count: piece.count * width)
            let lo = Int32(piece.lowerBound), hi = Int32(piece.upperBound)
            for block in blocks {
                block.columnIDs.withUnsafeBufferPointer { ids in
                block.pointers.withUnsafeBufferPointer { ptrs in
                block.rowOffsets.withUnsafeBufferPointer { offs in
                block.values.withUnsafeBufferPointer { vals in
                    let first = Self.firstIndex(ids, atLeast: lo), last = Self.firstIndex(ids, atLeast: hi)
                    guard first < last else { return }
                    let qBlock = q + block.firstRow * width
                    for c in first..<last {
                        let zrow = z + (Int(ids[c]) - slab.lowerBound) * width
                        for p in Int(ptrs[c])..<Int(ptrs[c + 1]) {
                            Self.addScaled(vals[p], qBlock + Int(offs[p]) * width, to: zrow,
                                           width: width, vectorWidth: vectorWidth)
                        }
                    }
                }}}}
            }
        }
    }

    /// `y[block rows] += X_{block, slab} · z` (one block's share of `y += X_s·Z_s`), by increasing column.
    private func addSlabProduct(block b: Int, _ z: UnsafePointer<Float>, width: Int, slab: Range<Int>,
                                to y: UnsafeMutablePointer<Float>) {
        let vectorWidth = width & ~7
        let block = blocks[b]
        let lo = Int32(slab.lowerBound), hi = Int32(slab.upperBound)
        block.columnIDs.withUnsafeBufferPointer { ids in
        block.pointers.withUnsafeBufferPointer { ptrs in
        block.rowOffsets.withUnsafeBufferPointer { offs in
        block.values.withUnsafeBufferPointer { vals in
            let first = Self.firstIndex(ids, atLeast: lo), last = Self.firstIndex(ids, atLeast: hi)
            guard first < last else { return }
            let yBlock = y + block.firstRow * width
            for c in first..<last {
                let zrow = z + (Int(ids[c]) - slab.lowerBound) * width
                for p in Int(ptrs[c])..<Int(ptrs[c + 1]) {
                    Self.addScaled(vals[p], zrow, to: yBlock + Int(offs[p]) * width, width: width, vectorWidth: vectorWidth)
                }
            }
        }}}}
    }

    /// First index of the increasing `ids` holding a value `>= target`.
    static func firstIndex(_ ids: UnsafeBufferPointer<Int32>, atLeast target: Int32) -> Int {
        var a = 0, b = ids.count
        while a < b { let m = (a + b) / 2; if ids[m] < target { a = m + 1 } else { b = m } }
        return a
    }
}
