/// The scores behind an automatic choice of k: silhouette (pick) and inertia (elbow view) per candidate.
public struct KSelection: Sendable, Equatable {
    /// One candidate k and its scores.
    public struct Candidate: Sendable, Equatable {
        public let k: Int
        /// Mean silhouette on the fixed sample (higher is better).
        public let silhouette: Float
        /// k-means inertia on all rows (always falls with k; look for the elbow).
        public let inertia: Double
    }

    /// Every k tried, in increasing order.
    public let candidates: [Candidate]
    /// The k with the best silhouette (ties: the smaller k).
    public let bestK: Int
}

extension KMeans {
    /// Fits k-means for every k in `range` and picks the k with the best silhouette, measured on one seeded
    /// sample of `sampleSize` rows shared by all candidates. The range is clipped to at most one cluster per row.
    /// Returns the scores and the fit for the chosen k.
    public static func autoK(_ x: DenseMatrix, range: ClosedRange<Int>, nInit: Int = 4, maxIterations: Int = 300,
                             seed: UInt64 = 0, sampleSize: Int = 2000, metric: Silhouette.Metric = .euclidean,
                             algorithm: Algorithm = .lloyd) throws -> (selection: KSelection, result: KMeansResult) {
        guard x.rows > 0 else { throw ClusterError.emptyCorpus }
        guard range.lowerBound >= 2 else { throw ClusterError.tooFewClusters(k: range.lowerBound, minimum: 2) }
        guard range.lowerBound <= x.rows else {
            throw ClusterError.moreClustersThanPapers(k: range.lowerBound, papers: x.rows)
        }
        var candidates: [KSelection.Candidate] = []
        var best: (k: Int, silhouette: Float, result: KMeansResult)?
        for k in range.lowerBound...min(range.upperBound, x.rows) {
            let result = try KMeans(k: k, nInit: nInit, maxIterations: maxIterations, seed: seed, algorithm: algorithm).fit(x)
            let silhouette = try Silhouette.score(x, assignments: result.assignments, sampleSize: sampleSize,
                                                  seed: seed, metric: metric)
            candidates.append(.init(k: k, silhouette: silhouette, inertia: result.inertia))
            if best == nil || silhouette > best!.silhouette { best = (k, silhouette, result) }
        }
        return (KSelection(candidates: candidates, bestK: best!.k), best!.result)
    }
}
