#if canImport(Glibc)
import Glibc
#endif

/// Initial centroids for k-means: greedy k-means++ (scikit-learn's variant) and k-means‖ for large inputs.
enum KMeansSeeding {
    /// A uniform index in `0..<n` (multiply-shift; stable across Swift versions, unlike `Int.random`).
    static func uniformIndex(_ n: Int, _ rng: inout SeededGenerator) -> Int {
        Int(rng.next().multipliedFullWidth(by: UInt64(n)).high)
    }

    static func unitDouble(_ rng: inout SeededGenerator) -> Double {
        Double(rng.next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Greedy k-means++ (Arthur & Vassilvitskii; scikit-learn's `2 + ⌊ln k⌋` local trials per step): returns the
    /// row indices of `k` seeds. With `weights`, every row counts as that many points (used by k-means‖).
    static func plusPlus(_ x: DenseMatrix, k: Int, weights: [Float]? = nil, rng: inout SeededGenerator) -> [Int] {
        let n = x.rows
        let trials = 2 + Int(log(Double(k)))
        var chosen = [Int]()
        chosen.reserveCapacity(k)
        var isChosen = [Bool](repeating: false, count: n)
        let first: Int
        if let weights {
            let total = weights.reduce(0.0) { $0 + Double($1) }
            first = total > 0 ? searchCumulative(weights.map(Double.init), target: unitDouble(&rng) * total)
                              : uniformIndex(n, &rng)
        } else {
            first = uniformIndex(n, &rng)
        }
        chosen.append(first)
        isChosen[first] = true
        var closest = [Float](repeating: .infinity, count: n)
        var pot = 0.0
        _ = trial(x, candidates: [first], closest: &closest, weights: weights, keep: 0)
        pot = closest.enumerated().reduce(0.0) { $0 + Double($1.element) * Double(weights?[$1.offset] ?? 1) }
        var cumulative = [Double](repeating: 0, count: n)
        while chosen.count < k {
            var candidates = [Int]()
            if pot > 0 {
                var running = 0.0
                for i in 0..<n {
                    running += Double(closest[i]) * Double(weights?[i] ?? 1)
                    cumulative[i] = running
                }
                for _ in 0..<trials {
                    candidates.append(searchCumulative(cumulative, target: unitDouble(&rng) * running))
                }
            } else if let next = isChosen.firstIndex(of: false) {
                // Every point coincides with a chosen seed: take the next unused row (identical data).
                candidates = [next]
            } else {
                break
            }
            let (best, bestPot) = trial(x, candidates: candidates, closest: &closest, weights: weights, keep: nil)
            pot = bestPot
            chosen.append(candidates[best])
            isChosen[candidates[best]] = true
        }
        return chosen
    }

    /// First index whose cumulative value exceeds `target` (clamped to the last index).
    private static func searchCumulative(_ cumulative: [Double], target: Double) -> Int {
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > target { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// Scores each candidate by the potential Σ wᵢ·min(closestᵢ, ‖xᵢ − candidate‖²), then lowers `closest` to the
    /// best candidate's distances (or candidate `keep`'s). Returns the best candidate and its potential. One
    /// parallel pass reads every row once and measures it against all candidates (exact differences, no
    /// ‖x‖² − 2·x·c + ‖c‖² cancellation); a narrow GEMM would stream the rows just the same at a fraction of its speed.
    private static func trial(_ x: DenseMatrix, candidates: [Int], closest: inout [Float],
                              weights: [Float]?, keep: Int?) -> (best: Int, potential: Double) {
        let n = x.rows, dim = x.columns, t = candidates.count
        let centers = x.selectingRows(candidates)
        var distances = [Float](repeating: 0, count: n * t)
        let chunks = Parallel.chunks(count: n, minimumChunk: 4096)
        var best = keep ?? 0
        var potentials = [Double](repeating: 0, count: t)
        x.values.withUnsafeBufferPointer { xb in
        centers.values.withUnsafeBufferPointer { cb in
        distances.withUnsafeMutableBufferPointer { db in
        closest.withUnsafeMutableBufferPointer { clb in
            let xBase = xb.baseAddress!, cBase = cb.baseAddress!, dBase = db.baseAddress!, closestBase = clb.baseAddress!
            let partials = Parallel.mapChunks(chunks) { range -> [Double] in
                var sums = [Double](repeating: 0, count: t)
                for i in range {
                    let w = Double(weights?[i] ?? 1)
                    let xrow = xBase + i * dim, drow = dBase + i * t
                    for c in 0..<t {
                        let d = i == candidates[c] ? 0 : HamerlyBounds.squaredDistance(xrow, cBase + c * dim, dim)
                        drow[c] = d
                        sums[c] += Double(min(closestBase[i], d)) * w
                    }
                }
                return sums
            }
            if keep == nil {
                for part in partials { for c in 0..<t { potentials[c] += part[c] } }
                for c in 1..<t where potentials[c] < potentials[best] { best = c }
            }
            Parallel.forEachChunk(chunks) { _, range in
                for i in range { closestBase[i] = min(closestBase[i], dBase[i * t + best]) }
            }
        }}}}
        return (best, potentials[best])
    }

    /// k-means‖ (Bahmani et al. 2012): `rounds` passes that each sample about `2k` rows with probability
    /// proportional to their squared distance, then weighted greedy k-means++ on the sampled rows.
    static func parallel(_ x: DenseMatrix, k: Int, rounds: Int = 5, rng: inout SeededGenerator) -> [Int] {
        let n = x.rows
        let oversampling = Double(2 * k)
        var picked = [uniformIndex(n, &rng)]
        var isPicked = [Bool](repeating: false, count: n)
        isPicked[picked[0]] = true
        var closest = [Float](repeating: 0, count: n)
        var labels = [Int32](repeating: -1, count: n)
        var fresh = picked
        for _ in 0..<rounds {
            var newDistances = [Float](repeating: 0, count: n)
            _ = NearestCentroid.assign(x, centroids: x.selectingRows(fresh), labels: &labels, distances: &newDistances,
                                       accumulate: false)
            if fresh.count == picked.count { closest = newDistances } else {
                for i in 0..<n where newDistances[i] < closest[i] { closest[i] = newDistances[i] }
            }
            let phi = closest.reduce(0.0) { $0 + Double($1) }
            guard phi > 0 else { break }
            fresh = []
            for i in 0..<n where !isPicked[i] && unitDouble(&rng) < oversampling * Double(closest[i]) / phi {
                fresh.append(i)
                isPicked[i] = true
            }
            if fresh.isEmpty { break }
            picked.append(contentsOf: fresh)
        }
        if picked.count < k {
            for i in 0..<n where !isPicked[i] {
                picked.append(i)
                if picked.count == k { break }
            }
        }
        let candidates = x.selectingRows(picked)
        var distances = [Float](repeating: 0, count: n)
        labels = [Int32](repeating: -1, count: n)
        let counts = NearestCentroid.assign(x, centroids: candidates, labels: &labels, distances: &distances,
                                            accumulate: false).counts
        let local = plusPlus(candidates, k: k, weights: counts.map { Float(max(1, $0)) }, rng: &rng)
        return local.map { picked[$0] }
    }
}
