/// Nearest-centroid assignment: chunks of rows on both cores, one single-threaded GEMM per block of a chunk's rows
/// (‖x‖² − 2·x·c + ‖c‖²), then the argmin and sums of that block.
///
/// Chunk boundaries depend only on the row count and every GEMM runs on one thread, so with partial results
/// combined in chunk order the output is identical for any thread count, ours or BLAS's.
enum NearestCentroid {
    struct Pass {
        var inertia: Double = 0
        var changed = 0
        /// Per-cluster coordinate sums (`k × dim`), when accumulated.
        var sums: [Double] = []
        var counts: [Int] = []
    }

    private struct Partial {
        var inertia: Double = 0
        var changed = 0
        var sums: [Float]
        var counts: [Int]
    }

    /// Rows per GEMM block (the block's products stay in the core's cache).
    static let blockRows = 256

    /// Assigns every row of `x` to its nearest centroid (ties: lowest index), writing `labels` and the
    /// exact squared distances; counts changed labels and, with `accumulate`, per-cluster sums and counts.
    static func assign(_ x: DenseMatrix, centroids: DenseMatrix, labels: inout [Int32], distances: inout [Float],
                       accumulate: Bool) -> Pass {
        let n = x.rows, dim = x.columns, k = centroids.rows
        let cNorms = centroids.rowSquaredNorms()
        var pass = Pass()
        pass.counts = [Int](repeating: 0, count: k)
        if accumulate { pass.sums = [Double](repeating: 0, count: k * dim) }
        let partials: [Partial] = x.values.withUnsafeBufferPointer { xb in
        centroids.values.withUnsafeBufferPointer { cb in
        cNorms.withUnsafeBufferPointer { cn in
        labels.withUnsafeMutableBufferPointer { lb in
        distances.withUnsafeMutableBufferPointer { db in
            let xBase = xb.baseAddress!, cBase = cb.baseAddress!, lBase = lb.baseAddress!, dBase = db.baseAddress!
            return BLAS.singleThreaded {
                Parallel.mapChunks(Parallel.chunks(count: n, minimumChunk: 1024)) { range -> Partial in
                    var part = Partial(sums: accumulate ? [Float](repeating: 0, count: k * dim) : [],
                                       counts: [Int](repeating: 0, count: k))
                    var products = [Float](repeating: 0, count: min(blockRows, range.count) * k)
                    part.sums.withUnsafeMutableBufferPointer { sb in
                    products.withUnsafeMutableBufferPointer { pb in
                        let pBase = pb.baseAddress!
                        var start = range.lowerBound
                        while start < range.upperBound {
                            let b = min(blockRows, range.upperBound - start)
                            BLAS.gemm(transposeA: false, transposeB: true, m: b, n: k, k: dim, a: xBase + start * dim,
                                      lda: dim, b: cBase, ldb: dim, c: pBase, ldc: k)
                            for local in 0..<b {
                                let i = start + local
                                let best = HamerlyBounds.nearestTwo(cn.baseAddress!, pBase + local * k, k).best
                                let xrow = xBase + i * dim
                                let d = HamerlyBounds.squaredDistance(xrow, cBase + best * dim, dim)
                                dBase[i] = d
                                part.inertia += Double(d)
                                if lBase[i] != Int32(best) { part.changed += 1; lBase[i] = Int32(best) }
                                part.counts[best] += 1
                                if accumulate { HamerlyBounds.add(xrow, into: sb.baseAddress! + best * dim, dim) }
                            }
                            start += b
                        }
                    }}
                    return part
                }
            }
        }}}}}
        for part in partials {
            pass.inertia += part.inertia
            pass.changed += part.changed
            for j in 0..<k { pass.counts[j] += part.counts[j] }
            if accumulate {
                for t in 0..<(k * dim) { pass.sums[t] += Double(part.sums[t]) }
            }
        }
        return pass
    }
}
