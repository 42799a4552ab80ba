/// Hamerly's bounds (Hamerly 2010) for Lloyd iterations: rows whose nearest centroid provably cannot have changed
/// skip the distance GEMM.
///
/// Every pass still computes each row's exact squared distance to its assigned centroid (one short dot product),
/// so distances and inertia are exact. A row keeps its centroid when that distance, with a relative slack for
/// Float32 rounding, is below both half the distance from its centroid to the nearest other centroid and a lower
/// bound on its distance to every other centroid (the second-nearest distance of its last GEMM, lowered by the
/// largest centroid shift since). The other rows are gathered into blocks and assigned by one GEMM per block
/// (‖x‖² − 2·x·c + ‖c‖², ties to the lowest index) as `NearestCentroid` does. Which rows are recomputed depends
/// only on the data, never on the thread count, and the per-chunk sums are combined in chunk order.
struct HamerlyBounds {
    /// Lower bound on each row's distance to every centroid but its own (not squared).
    private var lower: [Float]
    /// The centroids of the previous pass (their shift lowers the bounds); nil before the first pass.
    private var previous: DenseMatrix?
    /// Rows that went through the GEMM in the last pass.
    private(set) var recomputedRows = 0
    /// Gathered rows and their products with the centroids, kept from pass to pass (no fresh pages to fault in).
    private var gatheredRows: [Float] = []
    private var products: [Float] = []

    /// Relative slack on a row's distance to its own centroid before a bound may spare it the GEMM.
    static let slack: Float = 1e-4
    /// Rows per gathered GEMM block.
    static let blockRows = 8192

    init(rows: Int) {
        lower = [Float](repeating: 0, count: rows)
    }

    /// Assigns every row of `x` to its nearest centroid, like `NearestCentroid.assign`, skipping the GEMM for rows
    /// whose bounds prove their centroid unchanged. `labels` must come from the previous call (or be all -1).
    mutating func assign(_ x: DenseMatrix, centroids: DenseMatrix, labels: inout [Int32], distances: inout [Float],
                         accumulate: Bool) -> NearestCentroid.Pass {
        let n = x.rows, dim = x.columns, k = centroids.rows
        let (largestShift, largestShiftCluster, secondShift) = shifts(to: centroids)
        previous = centroids
        let separation = halfSeparations(centroids)
        let chunks = Parallel.chunks(count: n, minimumChunk: 2048)
        let slack = 1 + Self.slack

        // 1. Exact distance to the current centroid; rows whose bounds fail are listed for the GEMM.
        let active: [Int32] = x.values.withUnsafeBufferPointer { xb in
            centroids.values.withUnsafeBufferPointer { cb in
                labels.withUnsafeBufferPointer { lb in
                    distances.withUnsafeMutableBufferPointer { db in
                        lower.withUnsafeMutableBufferPointer { lw in
                            let xBase = xb.baseAddress!, cBase = cb.baseAddress!, dBase = db.baseAddress!
                            let lBase = lb.baseAddress!, lowBase = lw.baseAddress!
                            return Array(Parallel.mapChunks(chunks) { range -> [Int32] in
                                var active: [Int32] = []
                                for i in range {
                                    let a = Int(lBase[i])
                                    guard a >= 0, a < k else { active.append(Int32(i)); continue }
                                    lowBase[i] -= a == largestShiftCluster ? secondShift : largestShift
                                    let xrow = xBase + i * dim, crow = cBase + a * dim
                                    let d = Self.squaredDistance(xrow, crow, dim)
                                    dBase[i] = d
                                    if d.squareRoot() * slack >= max(separation[a], lowBase[i]) { active.append(Int32(i)) }
                                }
                                return active
                            }.joined())
                        }
                    }
                }
            }
        }
        recomputedRows = active.count

        // 2. One GEMM per block of gathered rows, then nearest and second-nearest centroid per row.
        let cNorms = centroids.rowSquaredNorms()
        // The GEMM expansion's worst rounding of a squared distance, per unit of ‖x‖² + ‖c‖²: second-nearest
        // distances are lowered by it so the bounds stay bounds.
        let rounding = 8 * Float.ulpOfOne * Float(dim + 2)
        let largestNorm = cNorms.max() ?? 0
        let block = min(Self.blockRows, max(1, active.count))
        var gathered: [Float] = [], products: [Float] = []
        swap(&gathered, &gatheredRows)
        swap(&products, &self.products)
        defer {
            swap(&gathered, &gatheredRows)
            swap(&products, &self.products)
        }
        if gathered.count < block * dim { gathered = [Float](repeating: 0, count: block * dim) }
        if products.count < block * k { products = [Float](repeating: 0, count: block * k) }
        var changed = 0
        x.values.withUnsafeBufferPointer { xb in
        centroids.values.withUnsafeBufferPointer { cb in
        cNorms.withUnsafeBufferPointer { cn in
        gathered.withUnsafeMutableBufferPointer { gb in
        products.withUnsafeMutableBufferPointer { pb in
        labels.withUnsafeMutableBufferPointer { lb in
        distances.withUnsafeMutableBufferPointer { db in
        lower.withUnsafeMutableBufferPointer { lw in
            let xBase = xb.baseAddress!, cBase = cb.baseAddress!, gBase = gb.baseAddress!, pBase = pb.baseAddress!
            let lBase = lb.baseAddress!, dBase = db.baseAddress!, lowBase = lw.baseAddress!
            var start = 0
            while start < active.count {
                let b = min(block, active.count - start)
                let rows = Parallel.chunks(count: b, minimumChunk: 1024)
                Parallel.forEachChunk(rows) { _, range in
                    for local in range {
                        (gBase + local * dim).update(from: xBase + Int(active[start + local]) * dim, count: dim)
                    }
                }
                BLAS.gemm(transposeA: false, transposeB: true, m: b, n: k, k: dim, a: gBase, lda: dim,
                          b: cBase, ldb: dim, c: pBase, ldc: k)
                let counts = Parallel.mapChunks(rows) { range -> Int in
                    var changed = 0
                    for local in range {
                        let i = Int(active[start + local])
                        let prow = pBase + local * k
                        var best = 0, bestValue = cn[0] - 2 * prow[0], second = Float.infinity
                        for j in 1..<k {
                            let v = cn[j] - 2 * prow[j]
                            if v < bestValue { second = bestValue; bestValue = v; best = j } else if v < second { second = v }
                        }
                        let xrow = xBase + i * dim, crow = cBase + best * dim
                        let d = Self.squaredDistance(xrow, crow, dim), norm = Self.squaredNorm(xrow, dim)
                        dBase[i] = d
                        if lBase[i] != Int32(best) { changed += 1; lBase[i] = Int32(best) }
                        lowBase[i] = max(0, norm + second - rounding * (norm + largestNorm)).squareRoot()
                    }
                    return changed
                }
                changed += counts.reduce(0, +)
                start += b
            }
        }}}}}}}}

        // 3. Inertia and per-cluster sums over all rows, per chunk, combined in chunk order.
        var pass = NearestCentroid.Pass()
        pass.changed = changed
        pass.counts = [Int](repeating: 0, count: k)
        if accumulate { pass.sums = [Double](repeating: 0, count: k * dim) }
        let partials = x.values.withUnsafeBufferPointer { xb in
            labels.withUnsafeBufferPointer { lb in
                distances.withUnsafeBufferPointer { db in
                    Parallel.mapChunks(chunks) { range -> (inertia: Double, counts: [Int], sums: [Float]) in
                        var inertia = 0.0
                        var counts = [Int](repeating: 0, count: k)
                        var sums = [Float](repeating: 0, count: accumulate ? k * dim : 0)
                        sums.withUnsafeMutableBufferPointer { sb in
                            for i in range {
                                let a = Int(lb[i])
                                inertia += Double(db[i])
                                counts[a] += 1
                                if accumulate {
                                    let xrow = xb.baseAddress! + i * dim, srow = sb.baseAddress! + a * dim
                                    Self.add(xrow, into: srow, dim)
                                }
                            }
                        }
                        return (inertia, counts, sums)
                    }
                }
            }
        }
        for part in partials {
            pass.inertia += part.inertia
            for j in 0..<k { pass.counts[j] += part.counts[j] }
            if accumulate { for t in 0..<(k * dim) { pass.sums[t] += Double(part.sums[t]) } }
        }
        return pass
    }

    /// ‖a − b‖² over `n` Floats, eight lanes at a time (two accumulators; a fixed order, so fixed bits).
    @inline(__always)
    static func squaredDistance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>()
        var t = 0
        while t + 16 <= n {
            let o = t * MemoryLayout<Float>.stride
            let e0 = ra.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self) - rb.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            let e1 = ra.loadUnaligned(fromByteOffset: o + 32, as: SIMD8<Float>.self) - rb.loadUnaligned(fromByteOffset: o + 32, as: SIMD8<Float>.self)
            s0 += e0 * e0
            s1 += e1 * e1
            t += 16
        }
        var d = (s0 + s1).sum()
        while t < n { let e = a[t] - b[t]; d += e * e; t += 1 }
        return d
    }

    /// ‖a‖² over `n` Floats, as `squaredDistance`.
    @inline(__always)
    static func squaredNorm(_ a: UnsafePointer<Float>, _ n: Int) -> Float {
        let ra = UnsafeRawPointer(a)
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>()
        var t = 0
        while t + 16 <= n {
            let o = t * MemoryLayout<Float>.stride
            let e0 = ra.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            let e1 = ra.loadUnaligned(fromByteOffset: o + 32, as: SIMD8<Float>.self)
            s0 += e0 * e0
            s1 += e1 * e1
            t += 16
        }
        var d = (s0 + s1).sum()
        while t < n { d += a[t] * a[t]; t += 1 }
        return d
    }

    /// `sum[t] += a[t]` for `t < n`, eight lanes at a time.
    @inline(__always)
    static func add(_ a: UnsafePointer<Float>, into sum: UnsafeMutablePointer<Float>, _ n: Int) {
        let ra = UnsafeRawPointer(a), rs = UnsafeMutableRawPointer(sum)
        var t = 0
        while t + 8 <= n {
            let o = t * MemoryLayout<Float>.stride
            let v = rs.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self) + ra.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            rs.storeBytes(of: v, toByteOffset: o, as: SIMD8<Float>.self)
            t += 8
        }
        while t < n { sum[t] += a[t]; t += 1 }
    }

    /// How far each centroid moved since the previous pass: the largest shift, its cluster, and the largest
    /// shift of the other clusters (all zero on the first pass).
    private func shifts(to centroids: DenseMatrix) -> (largest: Float, cluster: Int, second: Float) {
        guard let previous, previous.rows == centroids.rows, previous.columns == centroids.columns else { return (0, -1, 0) }
        var largest: Float = 0, cluster = -1, second: Float = 0
        for j in 0..<centroids.rows {
            var s: Float = 0
            for t in 0..<centroids.columns { let e = centroids[j, t] - previous[j, t]; s += e * e }
            let shift = s.squareRoot() * (1 + 1e-5)
            if shift > largest { second = largest; largest = shift; cluster = j } else if shift > second { second = shift }
        }
        return (largest, cluster, second)
    }

    /// Half the distance from every centroid to its nearest other centroid (infinite when k = 1): a row closer
    /// than that to its centroid is nearer to it than to any other.
    private func halfSeparations(_ centroids: DenseMatrix) -> [Float] {
        let k = centroids.rows, dim = centroids.columns
        var nearest = [Float](repeating: .infinity, count: k)
        centroids.values.withUnsafeBufferPointer { cb in
            for a in 0..<k {
                for b in (a + 1)..<k {
                    var s: Float = 0
                    for t in 0..<dim { let e = cb[a * dim + t] - cb[b * dim + t]; s += e * e }
                    let d = s.squareRoot()
                    nearest[a] = min(nearest[a], d)
                    nearest[b] = min(nearest[b], d)
                }
            }
        }
        return nearest.map { $0 / 2 }
    }
}
