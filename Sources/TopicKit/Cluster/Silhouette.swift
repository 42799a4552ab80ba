/// The silhouette coefficient (Rousseeuw 1987) of a clustering, on a seeded sample of rows.
public enum Silhouette {
    /// Distance used between rows.
    public enum Metric: Sendable {
        /// Euclidean distance.
        case euclidean
        /// 1 − cosine similarity (zero rows count as orthogonal to everything).
        case cosine
    }

    /// Mean silhouette `(b − a) / max(a, b)` over a seeded sample of at most `sampleSize` rows, computed within
    /// the sample as scikit-learn's `silhouette_score(sample_size=…)` does. Rows alone in their cluster
    /// score 0; a sample with fewer than two clusters scores 0 (the silhouette is undefined there).
    public static func score(_ x: DenseMatrix, assignments: [Int32], sampleSize: Int = 2000, seed: UInt64 = 0,
                             metric: Metric = .euclidean) throws -> Float {
        guard assignments.count == x.rows else {
            throw ClusterError.sizeMismatch("\(assignments.count) cluster assignments for \(x.rows) rows")
        }
        guard sampleSize >= 2 else { throw ClusterError.invalidParameter("the silhouette sample needs at least 2 rows, got \(sampleSize)") }
        if let bad = assignments.first(where: { $0 < 0 }) {
            throw ClusterError.invalidParameter("cluster assignment \(bad) is negative")
        }
        var rng = SeededGenerator(seed: seed)
        let rows = KMeans.sampleWithoutReplacement(x.rows, count: min(sampleSize, x.rows), rng: &rng).sorted()
        let m = rows.count
        let labels = rows.map { Int(assignments[$0]) }
        let k = (labels.max() ?? -1) + 1
        var sizes = [Int](repeating: 0, count: max(0, k))
        for l in labels { sizes[l] += 1 }
        guard sizes.filter({ $0 > 0 }).count >= 2 else { return 0 }

        let sample = x.selectingRows(rows)
        let norms = sample.rowSquaredNorms()
        let gram = BLAS.multiply(sample, sample, transposeB: true)
        let chunks = Parallel.chunks(count: m, minimumChunk: 64)
        let partials = Parallel.mapChunks(chunks) { range -> Double in
            var sums = [Double](repeating: 0, count: k)
            var total = 0.0
            for i in range {
                for c in 0..<k { sums[c] = 0 }
                for j in 0..<m where j != i {
                    let g = gram.values[i * m + j]
                    let d: Float
                    switch metric {
                    case .euclidean:
                        d = max(0, norms[i] + norms[j] - 2 * g).squareRoot()
                    case .cosine:
                        let denominator = (norms[i] * norms[j]).squareRoot()
                        d = denominator > 0 ? max(0, 1 - g / denominator) : 1
                    }
                    sums[labels[j]] += Double(d)
                }
                let own = labels[i]
                guard sizes[own] > 1 else { continue }
                let a = sums[own] / Double(sizes[own] - 1)
                var b = Double.infinity
                for c in 0..<k where c != own && sizes[c] > 0 { b = min(b, sums[c] / Double(sizes[c])) }
                let denominator = max(a, b)
                if denominator > 0 { total += (b - a) / denominator }
            }
            return total
        }
        return Float(partials.reduce(0, +) / Double(m))
    }
}
