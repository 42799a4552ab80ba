/// Nearest-centroid assignment: one GEMM per block of rows (‖x‖² − 2·x·c + ‖c‖²), then a parallel scan.
///
/// The GEMM runs alone (OpenBLAS uses its own threads); the argmin/accumulate scan runs on `Parallel`
/// chunks whose partial results are combined in chunk order, so the output is identical for any thread count.
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

    /// Rows per GEMM block: keeps the `rows × k` product matrix near 16 MB.
    static func blockRows(rows: Int, clusters: Int) -> Int {
        max(1, min(rows, (1 << 22) / max(1, clusters)))
    }

    /// Assigns every row of `x` to its nearest centroid (ties: lowest index), writing `labels` and the
    /// exact squared distances; counts changed labels and, with `accumulate`, per-cluster sums and counts.
    static func assign(_ x: DenseMatrix, centroids: DenseMatrix, labels: inout [Int32], distances: inout [Float],
                       accumulate: Bool) -> Pass {
        let n = x.rows, dim = x.columns, k = centroids.rows
        let cNorms = centroids.rowSquaredNorms()
        let block = blockRows(rows: n, clusters: k)
        var products = [Float](repeating: 0, count: min(n, block) * k)
        var pass = Pass()
        pass.counts = [Int](repeating: 0, count: k)
        if accumulate { pass.sums = [Double](repeating: 0, count: k * dim) }
        x.values.withUnsafeBufferPointer { xb in
        centroids.values.withUnsafeBufferPointer { cb in
        cNorms.withUnsafeBufferPointer { cn in
        products.withUnsafeMutableBufferPointer { pb in
        labels.withUnsafeMutableBufferPointer { lb in
        distances.withUnsafeMutableBufferPointer { db in
            let xBase = xb.baseAddress!, cBase = cb.baseAddress!, pBase = pb.baseAddress!
            let lBase = lb.baseAddress!, dBase = db.baseAddress!
            var start = 0
            while start < n {
                let b = min(block, n - start)
                BLAS.gemm(transposeA: false, transposeB: true, m: b, n: k, k: dim, a: xBase + start * dim, lda: dim,
                          b: cBase, ldb: dim, c: pBase, ldc: k)
                let chunks = Parallel.chunks(count: b, minimumChunk: 1024)
                let partials = Parallel.mapChunks(chunks) { range -> Partial in
                    var part = Partial(sums: accumulate ? [Float](repeating: 0, count: k * dim) : [],
                                       counts: [Int](repeating: 0, count: k))
                    part.sums.withUnsafeMutableBufferPointer { sb in
                        for local in range {
                            let i = start + local
                            let prow = pBase + local * k
                            var best = 0
                            var bestValue = cn[0] - 2 * prow[0]
                            for j in 1..<k {
                                let v = cn[j] - 2 * prow[j]
                                if v < bestValue { bestValue = v; best = j }
                            }
                            let xrow = xBase + i * dim, crow = cBase + best * dim
                            var d: Float = 0
                            for t in 0..<dim { let e = xrow[t] - crow[t]; d += e * e }
                            dBase[i] = d
                            part.inertia += Double(d)
                            if lBase[i] != Int32(best) { part.changed += 1; lBase[i] = Int32(best) }
                            part.counts[best] += 1
                            if accumulate {
                                let srow = sb.baseAddress! + best * dim
                                for t in 0..<dim { srow[t] += xrow[t] }
                            }
                        }
                    }
                    return part
                }
                for part in partials {
                    pass.inertia += part.inertia
                    pass.changed += part.changed
                    for j in 0..<k { pass.counts[j] += part.counts[j] }
                    if accumulate {
                        for t in 0..<(k * dim) { pass.sums[t] += Double(part.sums[t]) }
                    }
                }
                start += b
            }
        }}}}}}
        return pass
    }
}
