/// A sparse matrix cut into blocks of consecutive rows, each block stored column by column (CSC).
///
/// `multiply` then reads the rows of the dense factor in increasing order (streaming, once per block) and adds
/// into a block of output rows small enough to stay in cache. The plain CSR product instead fetches a random
/// 500-byte dense row for every stored entry, which on 100k × 200k TF-IDF matrices is memory-latency bound.
/// Each output value is summed in a fixed order (by column within its block), so results do not depend on
/// the thread count.
struct BlockedSparseMatrix: Sendable {
    struct Block: Sendable {
        let firstRow: Int
        let rowCount: Int
        /// Distinct columns present in the block, increasing.
        var columnIDs: [Int32] = []
        /// Entries of `columnIDs[c]` are `pointers[c]..<pointers[c + 1]`.
        var pointers: [Int32] = [0]
        /// Row of each entry, relative to `firstRow`.
        var rowOffsets: [UInt16] = []
        var values: [Float] = []
    }

    let rows: Int
    let columns: Int
    var blocks: [Block]

    /// Most rows per block (fits `UInt16` offsets; an 8192 × 144 Float block is 4.7 MB).
    static let maximumBlockRows = 8192

    /// Block boundaries over `rows` rows with `counts[r]` entries each: at most `maximumBlockRows` rows and
    /// about 1/12 of the entries per block.
    static func boundaries(rows: Int, entries: (Int) -> Int, total: Int) -> [Range<Int>] {
        let target = max(1, total / 12)
        var result: [Range<Int>] = []
        var start = 0, load = 0
        for r in 0..<rows {
            load += entries(r)
            if r + 1 - start >= maximumBlockRows || load >= target {
                result.append(start..<(r + 1))
                start = r + 1
                load = 0
            }
        }
        if start < rows { result.append(start..<rows) }
        return result
    }

    /// The blocked form of `x` itself (for `x · dense`); with `columnRank`, column `c` of `x` is stored as column
    /// `columnRank[c]` (a permutation of `0..<x.columns`; see `columnsByFrequency`).
    init(_ x: SparseMatrix, columnRank: [Int32]? = nil) {
        rows = x.rows
        columns = x.columns
        let ranges = Self.boundaries(rows: x.rows, entries: { x.rowPointers[$0 + 1] - x.rowPointers[$0] },
                                     total: x.nonZeroCount)
        let columns = x.columns
        blocks = Parallel.mapChunks(ranges) { range -> Block in
            var block = Block(firstRow: range.lowerBound, rowCount: range.count)
            var counts = [Int32](repeating: 0, count: columns)
            let first = x.rowPointers[range.lowerBound], last = x.rowPointers[range.upperBound]
            if let columnRank {
                for p in first..<last { counts[Int(columnRank[Int(x.columnIndices[p])])] += 1 }
            } else {
                for p in first..<last { counts[Int(x.columnIndices[p])] += 1 }
            }
            var slot = [Int32](repeating: -1, count: columns)
            var running: Int32 = 0
            // Exact capacity: on a large vocabulary most columns of a block hold one entry, so these arrays are
            // nearly as long as the entries, and append's doubling would leave up to half of them unused.
            var distinct = 0
            for c in 0..<columns where counts[c] > 0 { distinct += 1 }
            block.columnIDs.reserveCapacity(distinct)
            block.pointers.reserveCapacity(distinct + 1)
            for c in 0..<columns where counts[c] > 0 {
                slot[c] = running
                running += counts[c]
                block.columnIDs.append(Int32(c))
                block.pointers.append(running)
            }
            block.rowOffsets = [UInt16](repeating: 0, count: last - first)
            block.values = [Float](repeating: 0, count: last - first)
            for r in range {
                for p in x.rowPointers[r]..<x.rowPointers[r + 1] {
                    let stored = Int(x.columnIndices[p])
                    let c = columnRank == nil ? stored : Int(columnRank.unsafelyUnwrapped[stored])
                    let dst = Int(slot[c])
                    slot[c] += 1
                    block.rowOffsets[dst] = UInt16(r - range.lowerBound)
                    block.values[dst] = x.values[p]
                }
            }
            return block
        }
    }

    /// The blocked form of `xᵀ` (for `xᵀ · dense`), built straight from the CSR rows of `x`.
    init(transposeOf x: SparseMatrix) {
        rows = x.columns
        columns = x.rows
        var columnCounts = [Int](repeating: 0, count: x.columns)
        for c in x.columnIndices { columnCounts[Int(c)] += 1 }
        let ranges = Self.boundaries(rows: x.columns, entries: { columnCounts[$0] }, total: x.nonZeroCount)
        blocks = Parallel.mapChunks(ranges) { range -> Block in
            var block = Block(firstRow: range.lowerBound, rowCount: range.count)
            let lo = Int32(range.lowerBound), hi = Int32(range.upperBound)
            var size = 0
            for t in range { size += columnCounts[t] }
            block.rowOffsets.reserveCapacity(size)
            block.values.reserveCapacity(size)
            for i in 0..<x.rows {
                let start = x.rowPointers[i], end = x.rowPointers[i + 1]
                guard start < end, x.columnIndices[end - 1] >= lo, x.columnIndices[start] < hi else { continue }
                // Columns are increasing within a row: binary-search the first one in the block.
                var a = start, b = end
                while a < b { let m = (a + b) / 2; if x.columnIndices[m] < lo { a = m + 1 } else { b = m } }
                var added = false
                var p = a
                while p < end && x.columnIndices[p] < hi {
                    block.rowOffsets.append(UInt16(Int(x.columnIndices[p]) - range.lowerBound))
                    block.values.append(x.values[p])
                    added = true
                    p += 1
                }
                if added {
                    block.columnIDs.append(Int32(i))
                    block.pointers.append(Int32(block.values.count))
                }
            }
            return block
        }
    }

    /// `self · dense` (`rows × dense.columns`).
    func multiply(_ dense: DenseMatrix) -> DenseMatrix {
        var out = DenseMatrix(rows: rows, columns: dense.columns)
        multiply(dense, into: &out)
        return out
    }

    /// `out = self · dense`, reusing `out`'s storage when it already has the right shape (no new pages to fault
    /// in and zero on every power iteration of the SVD).
    func multiply(_ dense: DenseMatrix, into out: inout DenseMatrix) {
        precondition(dense.rows == columns, "BlockedSparseMatrix.multiply: \(rows) × \(columns) times \(dense.rows) × \(dense.columns)")
        let width = dense.columns
        if out.rows != rows || out.columns != width { out = DenseMatrix(rows: rows, columns: width) }
        guard width > 0 else { return }
        let vectorWidth = width & ~7
        dense.values.withUnsafeBufferPointer { d in
            out.values.withUnsafeMutableBufferPointer { o in
                let dBase = d.baseAddress!, oBase = o.baseAddress!
                Parallel.forEachChunk(blocks.indices.map { $0..<($0 + 1) }) { b, _ in
                    let block = blocks[b]
                    let outBlock = oBase + block.firstRow * width
                    outBlock.update(repeating: 0, count: block.rowCount * width)
                    block.columnIDs.withUnsafeBufferPointer { ids in
                    block.pointers.withUnsafeBufferPointer { ptrs in
                    block.rowOffsets.withUnsafeBufferPointer { offs in
                    block.values.withUnsafeBufferPointer { vals in
                        for c in 0..<ids.count {
                            let drow = dBase + Int(ids[c]) * width
                            for p in Int(ptrs[c])..<Int(ptrs[c + 1]) {
                                Self.addScaled(vals[p], drow, to: outBlock + Int(offs[p]) * width,
                                               width: width, vectorWidth: vectorWidth)
                            }
                        }
                    }}}}
                }
            }
        }
    }

    /// `out[0..<width] += v · row[0..<width]`, eight lanes at a time up to `vectorWidth` (`width` rounded down
    /// to a multiple of 8), then one by one: the one axpy both sparse × dense products use, so they sum alike.
    @inline(__always)
    static func addScaled(_ v: Float, _ row: UnsafePointer<Float>, to out: UnsafeMutablePointer<Float>,
                          width: Int, vectorWidth: Int) {
        let oRaw = UnsafeMutableRawPointer(out), dRaw = UnsafeRawPointer(row)
        let scale = SIMD8<Float>(repeating: v)
        var k = 0
        while k < vectorWidth {
            let offset = k * MemoryLayout<Float>.stride
            let sum = oRaw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                + scale * dRaw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            oRaw.storeBytes(of: sum, toByteOffset: offset, as: SIMD8<Float>.self)
            k += 8
        }
        while k < width { out[k] += v * row[k]; k += 1 }
    }
}
