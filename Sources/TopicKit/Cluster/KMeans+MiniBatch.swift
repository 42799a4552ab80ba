extension KMeans {
    /// Mini-batch k-means (Sculley 2010, scikit-learn's `MiniBatchKMeans` schedule): per-centre learning rate
    /// 1/count, early stop after 10 steps without improvement of the smoothed batch inertia or when the centre
    /// shift falls below the tolerance, rarely-hit centres re-seeded from random rows, then one full assignment.
    func miniBatch(_ x: DenseMatrix, batchSize: Int, tolerance: Double, rng: inout SeededGenerator) -> KMeansResult {
        let n = x.rows, dim = x.columns
        let batch = min(batchSize, n)
        let initSize = min(n, max(3 * batch, 3 * k))
        let initRows = Self.sampleWithoutReplacement(n, count: initSize, rng: &rng)
        var centroids = seeds(x.selectingRows(initRows), rng: &rng)
        var counts = [Double](repeating: 0, count: k)
        let steps = max(1, maxIterations * n / batch)
        let alpha = min(1, Double(batch) * 2 / Double(n + 1))
        var smoothed = 0.0, bestSmoothed = Double.infinity
        var withoutImprovement = 0
        var history: [Double] = []
        var labels = [Int32](repeating: -1, count: batch)
        var distances = [Float](repeating: 0, count: batch)
        var converged = false
        var step = 0
        while step < steps {
            step += 1
            let rows = (0..<batch).map { _ in KMeansSeeding.uniformIndex(n, &rng) }
            let xb = x.selectingRows(rows)
            for i in 0..<batch { labels[i] = -1 }
            let pass = NearestCentroid.assign(xb, centroids: centroids, labels: &labels, distances: &distances,
                                              accumulate: true)
            var shift = 0.0
            for j in 0..<k where pass.counts[j] > 0 {
                counts[j] += Double(pass.counts[j])
                let rate = 1 / counts[j]
                for t in 0..<dim {
                    let old = Double(centroids[j, t])
                    let updated = old + (pass.sums[j * dim + t] - Double(pass.counts[j]) * old) * rate
                    shift += (updated - old) * (updated - old)
                    centroids[j, t] = Float(updated)
                }
            }
            if step % 10 == 0 { reassignRareCenters(x, centroids: &centroids, counts: &counts, rng: &rng) }
            let batchInertia = pass.inertia / Double(batch)
            smoothed = step == 1 ? batchInertia : smoothed * (1 - alpha) + batchInertia * alpha
            history.append(smoothed * Double(n))
            if smoothed < bestSmoothed {
                bestSmoothed = smoothed
                withoutImprovement = 0
            } else {
                withoutImprovement += 1
            }
            if (tolerance > 0 && shift <= tolerance) || withoutImprovement >= 10 {
                converged = true
                break
            }
        }
        var allLabels = [Int32](repeating: -1, count: n)
        var allDistances = [Float](repeating: 0, count: n)
        let pass = NearestCentroid.assign(x, centroids: centroids, labels: &allLabels, distances: &allDistances,
                                          accumulate: false)
        return KMeansResult(centroids: centroids, assignments: allLabels, distances: allDistances,
                            inertia: pass.inertia, iterations: step, inertiaHistory: history, converged: converged)
    }

    /// Centres that received under 1 % of the busiest centre's points move to random rows (scikit-learn's
    /// `reassignment_ratio = 0.01`), with their count reset to the smallest surviving count.
    private func reassignRareCenters(_ x: DenseMatrix, centroids: inout DenseMatrix, counts: inout [Double],
                                     rng: inout SeededGenerator) {
        guard let largest = counts.max(), largest > 0 else { return }
        let rare = (0..<k).filter { counts[$0] < 0.01 * largest }
        guard !rare.isEmpty, rare.count < k else { return }
        let floor = (0..<k).filter { counts[$0] >= 0.01 * largest }.map { counts[$0] }.min() ?? 1
        let rows = Self.sampleWithoutReplacement(x.rows, count: min(rare.count, x.rows), rng: &rng)
        for (j, i) in zip(rare, rows) {
            for t in 0..<x.columns { centroids[j, t] = x[i, t] }
            counts[j] = floor
        }
    }

    /// `count` distinct indices from `0..<n` (partial Fisher–Yates), in sampled order.
    static func sampleWithoutReplacement(_ n: Int, count: Int, rng: inout SeededGenerator) -> [Int] {
        if count >= n { return Array(0..<n) }
        var pool = Array(0..<n)
        for i in 0..<count {
            let j = i + KMeansSeeding.uniformIndex(n - i, &rng)
            pool.swapAt(i, j)
        }
        return Array(pool.prefix(count))
    }
}
