/// Hamerly's bounds (Hamerly 2010) for Lloyd iterations, with the cluster sums kept up to date by the rows that
/// move: once centroids settle, a pass touches only the rows whose bounds fail.
///
/// Every row carries an upper bound on its distance to its own centroid and a lower bound on its distance to every
/// other one (both widened by the centroid shifts of each pass). A row keeps its centroid when its upper bound, with
/// a relative slack for Float32 rounding, is below both half the distance from its centroid to the nearest other
/// centroid and its lower bound; when that fails the upper bound is first tightened to the exact distance (one
/// short dot product), and only the rows that still fail are gathered into blocks and assigned by one GEMM per
/// block (‖x‖² − 2·x·c + ‖c‖², ties to the lowest index) as `NearestCentroid` does; the blocks run on our own
/// threads with single-threaded BLAS, so the bits never depend on how BLAS would split the work. Rows that change cluster move
/// their coordinates, squared norms and counts between the per-cluster sums (Float64), from which every pass's
/// inertia follows as Σⱼ (Σ‖x‖² − 2·cⱼ·Sⱼ + nⱼ‖cⱼ‖²) without reading the rows. Which rows are recomputed depends only
/// on the data, never on the thread count, and per-chunk changes are combined in chunk order.
struct HamerlyBounds {
    /// Upper bound on each row's distance to its own centroid (not squared).
    private var upper: [Float]
    /// Lower bound on each row's distance to every centroid but its own (not squared).
    private var lower: [Float]
    /// ‖x‖² of every row.
    private let norms: [Float]
    /// The centroids of the previous pass (their shift widens the bounds); nil before the first pass.
    private var previous: DenseMatrix?
    /// Per-cluster coordinate sums (`k × dim`), sums of squared norms and counts of the current labels.
    private(set) var sums: [Double] = []
    private(set) var squaredNormSums: [Double] = []
    private(set) var counts: [Int] = []
    /// Rows that went through the GEMM in the last pass.
    private(set) var recomputedRows = 0
    /// Rows of every distance GEMM run so far, in order (each against all k centroids).
    private(set) var gemmRows: [Int] = []

    /// Relative slack on a row's distance to its own centroid before a bound may spare it the GEMM.
    static let slack: Float = 1e-4
    /// Rows per gathered GEMM block (the block and its products stay in the core's L2 cache).
    static let blockRows = 256

    init(_ x: DenseMatrix) {
        upper = [Float](repeating: .infinity, count: x.rows)
        lower = [Float](repeating: 0, count: x.rows)
        norms = x.rowSquaredNorms()
    }

    /// Assigns every row of `x` to its nearest centroid, like `NearestCentroid.assign`, skipping rows whose bounds
    /// prove their centroid unchanged. `labels` must come from the previous call (or be all -1). The pass's sums
    /// and counts are those of the new labels; its inertia is that of the new labels against `centroids`.
    mutating func assign(_ x: DenseMatrix, centroids: DenseMatrix, labels: inout [Int32]) -> NearestCentroid.Pass {
        let n = x.rows, dim = x.columns, k = centroids.rows
        if counts.count != k {
            sums = [Double](repeating: 0, count: k * dim)
            squaredNormSums = [Double](repeating: 0, count: k)
            counts = [Int](repeating: 0, count: k)
        }
        let (shift, largestShift, largestShiftCluster, secondShift) = shifts(to: centroids)
        previous = centroids
        let separation = halfSeparations(centroids)
        let chunks = Parallel.chunks(count: n, minimumChunk: 4096)
        let slack = 1 + Self.slack

        // 1. Widen the bounds by the shifts; rows whose bounds fail even with the exact distance to their centroid
        //    are listed for the GEMM.
        let active: [Int32] = x.values.withUnsafeBufferPointer { xb in
            centroids.values.withUnsafeBufferPointer { cb in
                labels.withUnsafeBufferPointer { lb in
                    upper.withUnsafeMutableBufferPointer { up in
                        lower.withUnsafeMutableBufferPointer { lw in
                        shift.withUnsafeBufferPointer { shift in
                        separation.withUnsafeBufferPointer { separation in
                            let xBase = xb.baseAddress!, cBase = cb.baseAddress!
                            let lBase = lb.baseAddress!, upBase = up.baseAddress!, lowBase = lw.baseAddress!
                            return Array(Parallel.mapChunks(chunks) { range -> [Int32] in
                                var active: [Int32] = []
                                for i in range {
                                    let a = Int(lBase[i])
                                    guard a >= 0, a < k else { active.append(Int32(i)); continue }
                                    lowBase[i] -= a == largestShiftCluster ? secondShift : largestShift
                                    upBase[i] += shift[a]
                                    let bound = max(separation[a], lowBase[i])
                                    if upBase[i] * slack < bound { continue }
                                    let d = Self.squaredDistance(xBase + i * dim, cBase + a * dim, dim).squareRoot()
                                    upBase[i] = d
                                    if d * slack >= bound { active.append(Int32(i)) }
                                }
                                return active
                            }.joined())
                        }}}
                    }
                }
            }
        }
        recomputedRows = active.count

        // 2. Per chunk of the listed rows, on both cores: gather blocks of rows, one single-threaded GEMM per block,
        //    then nearest and second-nearest centroid per row; rows that move carry their coordinates from the old
        //    cluster's sums to the new one's. Blocks are cut from the chunks, which depend only on the row count.
        let cNorms = centroids.rowSquaredNorms()
        // The GEMM expansion's worst rounding of a squared distance, per unit of ‖x‖² + ‖c‖²: nearest distances are
        // raised and second-nearest ones lowered by it so the bounds stay bounds.
        let rounding = 8 * Float.ulpOfOne * Float(dim + 2)
        let largestNorm = cNorms.max() ?? 0
        let blockRows = Self.blockRows
        let moves: [Move] = x.values.withUnsafeBufferPointer { xb in
        centroids.values.withUnsafeBufferPointer { cb in
        cNorms.withUnsafeBufferPointer { cn in
        norms.withUnsafeBufferPointer { nb in
        active.withUnsafeBufferPointer { ab in
        labels.withUnsafeMutableBufferPointer { lb in
        upper.withUnsafeMutableBufferPointer { up in
        lower.withUnsafeMutableBufferPointer { lw in
            let xBase = xb.baseAddress!, cBase = cb.baseAddress!, lBase = lb.baseAddress!, nBase = nb.baseAddress!
            let upBase = up.baseAddress!, lowBase = lw.baseAddress!
            return BLAS.singleThreaded {
                Parallel.mapChunks(Parallel.chunks(count: active.count, minimumChunk: 512)) { range -> Move in
                    var move = Move()
                    var gathered = [Float](repeating: 0, count: min(blockRows, range.count) * dim)
                    var products = [Float](repeating: 0, count: min(blockRows, range.count) * k)
                    gathered.withUnsafeMutableBufferPointer { gb in
                    products.withUnsafeMutableBufferPointer { pb in
                        let gBase = gb.baseAddress!, pBase = pb.baseAddress!
                        var start = range.lowerBound
                        while start < range.upperBound {
                            let b = min(blockRows, range.upperBound - start)
                            for local in 0..<b { (gBase + local * dim).update(from: xBase + Int(ab[start + local]) * dim, count: dim) }
                            BLAS.gemm(transposeA: false, transposeB: true, m: b, n: k, k: dim, a: gBase, lda: dim,
                                      b: cBase, ldb: dim, c: pBase, ldc: k)
                            move.gemmRows.append(b)
                            for local in 0..<b {
                                let i = Int(ab[start + local])
                                let prow = pBase + local * k
                                let (best, bestValue, second) = Self.nearestTwo(cn.baseAddress!, prow, k)
                                let xrow = xBase + i * dim, norm = nBase[i]
                                upBase[i] = max(0, norm + bestValue + rounding * (norm + cn[best])).squareRoot()
                                lowBase[i] = max(0, norm + second - rounding * (norm + largestNorm)).squareRoot()
                                let old = Int(lBase[i])
                                guard old != best else { continue }
                                lBase[i] = Int32(best)
                                move.record(xrow, norm: norm, from: old, to: best, clusters: k, dim: dim)
                            }
                            start += b
                        }
                    }}
                    return move
                }
            }
        }}}}}}}}
        var changed = 0
        for move in moves {
            gemmRows.append(contentsOf: move.gemmRows)
            guard move.changed > 0 else { continue }
            changed += move.changed
            for t in 0..<(k * dim) { sums[t] += move.sums[t] }
            for j in 0..<k { squaredNormSums[j] += move.squaredNorms[j]; counts[j] += move.counts[j] }
        }

        var pass = NearestCentroid.Pass()
        pass.changed = changed
        pass.counts = counts
        pass.sums = sums
        pass.inertia = inertia(centroids)
        return pass
    }

    /// What one chunk of recomputed rows did: the rows of its GEMMs, and the effect of the rows that changed
    /// cluster on the per-cluster sums.
    private struct Move {
        var gemmRows: [Int] = []
        var changed = 0
        var sums: [Double] = []
        var squaredNorms: [Double] = []
        var counts: [Int] = []

        /// Moves row `xrow` (squared norm `norm`) from cluster `old` (-1: none) to `new`.
        mutating func record(_ xrow: UnsafePointer<Float>, norm: Float, from old: Int, to new: Int, clusters k: Int, dim: Int) {
            if changed == 0 {
                sums = [Double](repeating: 0, count: k * dim)
                squaredNorms = [Double](repeating: 0, count: k)
                counts = [Int](repeating: 0, count: k)
            }
            changed += 1
            sums.withUnsafeMutableBufferPointer { sb in
                let s = sb.baseAddress!
                if old >= 0 { for t in 0..<dim { s[old * dim + t] -= Double(xrow[t]) } }
                for t in 0..<dim { s[new * dim + t] += Double(xrow[t]) }
            }
            if old >= 0 { squaredNorms[old] -= Double(norm); counts[old] -= 1 }
            squaredNorms[new] += Double(norm)
            counts[new] += 1
        }
    }

    /// Σⱼ (Σ‖x‖² − 2·cⱼ·Sⱼ + nⱼ‖cⱼ‖²) over the current labels: the inertia against `centroids`, from the sums alone.
    private func inertia(_ centroids: DenseMatrix) -> Double {
        let k = centroids.rows, dim = centroids.columns
        var total = 0.0
        for j in 0..<k where counts[j] > 0 {
            var dot = 0.0, norm = 0.0
            for t in 0..<dim {
                let c = Double(centroids[j, t])
                dot += c * sums[j * dim + t]
                norm += c * c
            }
            total += squaredNormSums[j] - 2 * dot + Double(counts[j]) * norm
        }
        return max(0, total)
    }

    /// Exact squared distance of every row to its labelled centroid, and their sum (per chunk, in chunk order).
    static func exactDistances(_ x: DenseMatrix, centroids: DenseMatrix, labels: [Int32]) -> (distances: [Float], inertia: Double) {
        let n = x.rows, dim = x.columns
        var distances = [Float](repeating: 0, count: n)
        let partials = x.values.withUnsafeBufferPointer { xb in
            centroids.values.withUnsafeBufferPointer { cb in
                labels.withUnsafeBufferPointer { lb in
                    distances.withUnsafeMutableBufferPointer { db in
                        let xBase = xb.baseAddress!, cBase = cb.baseAddress!, dBase = db.baseAddress!
                        return Parallel.mapChunks(Parallel.chunks(count: n, minimumChunk: 4096)) { range -> Double in
                            var sum = 0.0
                            for i in range {
                                let d = squaredDistance(xBase + i * dim, cBase + Int(lb[i]) * dim, dim)
                                dBase[i] = d
                                sum += Double(d)
                            }
                            return sum
                        }
                    }
                }
            }
        }
        return (distances, partials.reduce(0, +))
    }

    /// The smallest of `values[j] = cNorms[j] − 2·products[j]` for `j < k` (ties: lowest `j`), that value, and the
    /// second smallest (equal to it on a tie; infinite when k = 1), eight lanes at a time.
    @inline(__always)
    static func nearestTwo(_ cNorms: UnsafePointer<Float>, _ products: UnsafePointer<Float>, _ k: Int)
        -> (best: Int, bestValue: Float, second: Float) {
        let rc = UnsafeRawPointer(cNorms), rp = UnsafeRawPointer(products)
        @inline(__always) func values(_ j: Int) -> SIMD8<Float> {
            if j + 8 <= k {
                let o = j * MemoryLayout<Float>.stride
                return rc.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self) - 2 * rp.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            }
            var v = SIMD8<Float>(repeating: .infinity)
            for l in 0..<(k - j) { v[l] = cNorms[j + l] - 2 * products[j + l] }
            return v
        }
        var lowest = SIMD8<Float>(repeating: .infinity), next = lowest
        var j = 0
        while j < k {
            let v = values(j)
            // Lane-wise: next = min(next, max(lowest, v)), lowest = min(lowest, v).
            let larger = lowest.replacing(with: v, where: v .> lowest)
            next.replace(with: larger, where: larger .< next)
            lowest.replace(with: v, where: v .< lowest)
            j += 8
        }
        @inline(__always) func laneMin(_ v: SIMD8<Float>) -> Float {
            var m = v[0]
            for l in 1..<8 where v[l] < m { m = v[l] }
            return m
        }
        let bestValue = laneMin(lowest)
        let atBest = lowest .== bestValue
        var others = lowest
        others.replace(with: .infinity, where: atBest)
        var ties = 0
        for l in 0..<8 where atBest[l] { ties += 1 }
        let tied = ties > 1
        let second = min(laneMin(next), tied ? bestValue : laneMin(others))
        j = 0
        while j < k {
            let mask = values(j) .== bestValue
            if any(mask) {
                for l in 0..<8 where mask[l] { return (j + l, bestValue, second) }
            }
            j += 8
        }
        return (0, bestValue, second)
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

    /// How far each centroid moved since the previous pass (slightly widened for rounding): every centroid's
    /// shift, the largest, its cluster, and the largest of the other clusters (all zero on the first pass).
    private func shifts(to centroids: DenseMatrix) -> (shift: [Float], largest: Float, cluster: Int, second: Float) {
        var shift = [Float](repeating: 0, count: centroids.rows)
        guard let previous, previous.rows == centroids.rows, previous.columns == centroids.columns else { return (shift, 0, -1, 0) }
        var largest: Float = 0, cluster = -1, second: Float = 0
        for j in 0..<centroids.rows {
            var s: Float = 0
            for t in 0..<centroids.columns { let e = centroids[j, t] - previous[j, t]; s += e * e }
            shift[j] = s.squareRoot() * (1 + 1e-5)
            if shift[j] > largest { second = largest; largest = shift[j]; cluster = j } else if shift[j] > second { second = shift[j] }
        }
        return (shift, largest, cluster, second)
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
