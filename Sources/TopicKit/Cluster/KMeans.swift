/// k-means clustering (scikit-learn's `KMeans` / `MiniBatchKMeans` semantics) on dense rows.
///
/// Greedy k-means++ seeding (k-means‖ for large inputs), `nInit` restarts keeping the lowest inertia, Lloyd
/// iterations whose distance step is one GEMM per block of rows (rows that Hamerly's bounds prove unchanged skip
/// it), convergence when the total squared centre shift falls below `tolerance` × the mean per-feature variance,
/// empty clusters re-seeded from the farthest points. The same seed gives the same clusters for any thread count.
public struct KMeans: Sendable {
    /// How centroids are refined.
    public enum Algorithm: Sendable, Equatable {
        /// Full passes over the data (exact Lloyd iterations).
        case lloyd
        /// Mini-batch updates (Sculley 2010) on seeded random batches; for corpora too big for full passes.
        case miniBatch(batchSize: Int)
    }

    /// How the initial centroids are chosen.
    public enum Initialization: Sendable, Equatable {
        /// k-means‖ when rows × k exceeds 10⁸, else greedy k-means++.
        case auto
        case kMeansPlusPlus
        case kMeansParallel
    }

    public var k: Int
    /// Restarts from different seeds; the lowest-inertia run is kept (scikit-learn's `n_init`).
    public var nInit: Int
    /// Lloyd iterations per run; for mini-batch, passes (epochs) over the data.
    public var maxIterations: Int
    /// Relative tolerance on the centre shift (scikit-learn's `tol`).
    public var tolerance: Float
    public var seed: UInt64
    public var algorithm: Algorithm
    public var initialization: Initialization

    public init(k: Int, nInit: Int = 4, maxIterations: Int = 300, tolerance: Float = 1e-4, seed: UInt64 = 0,
                algorithm: Algorithm = .lloyd, initialization: Initialization = .auto) {
        self.k = k
        self.nInit = nInit
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.seed = seed
        self.algorithm = algorithm
        self.initialization = initialization
    }

    /// Clusters the rows of `x`.
    public func fit(_ x: DenseMatrix) throws -> KMeansResult {
        try validate(x)
        let tol = absoluteTolerance(x)
        var best: KMeansResult?
        for run in 0..<nInit {
            var rng = SeededGenerator(seed: seed).derived(UInt64(run))
            let result: KMeansResult
            switch algorithm {
            case .lloyd:
                result = lloyd(x, initial: seeds(x, rng: &rng), tolerance: tol)
            case .miniBatch(let batchSize):
                result = miniBatch(x, batchSize: batchSize, tolerance: tol, rng: &rng)
            }
            if best == nil || result.inertia < best!.inertia { best = result }
        }
        return best!
    }

    private func validate(_ x: DenseMatrix) throws {
        guard x.rows > 0 else { throw ClusterError.emptyCorpus }
        guard x.columns > 0 else { throw ClusterError.noFeatures }
        guard k >= 1 else { throw ClusterError.tooFewClusters(k: k, minimum: 1) }
        guard k <= x.rows else { throw ClusterError.moreClustersThanPapers(k: k, papers: x.rows) }
        guard nInit >= 1 else { throw ClusterError.invalidParameter("nInit must be at least 1, got \(nInit)") }
        guard maxIterations >= 1 else {
            throw ClusterError.invalidParameter("maxIterations must be at least 1, got \(maxIterations)")
        }
        guard tolerance >= 0, tolerance.isFinite else {
            throw ClusterError.invalidParameter("tolerance must be a finite number ≥ 0, got \(tolerance)")
        }
        if case .miniBatch(let size) = algorithm, size < 1 {
            throw ClusterError.invalidParameter("the mini-batch size must be at least 1, got \(size)")
        }
        if let bad = x.values.firstIndex(where: { !$0.isFinite }) {
            throw ClusterError.nonFiniteInput(row: bad / x.columns)
        }
    }

    /// `tolerance` × mean per-feature variance, as scikit-learn scales `tol`.
    private func absoluteTolerance(_ x: DenseMatrix) -> Double {
        guard tolerance > 0 else { return 0 }
        let n = x.rows, dim = x.columns
        var mean = [Double](repeating: 0, count: dim), square = [Double](repeating: 0, count: dim)
        x.values.withUnsafeBufferPointer { xb in
            for r in 0..<n {
                for c in 0..<dim { let v = Double(xb[r * dim + c]); mean[c] += v; square[c] += v * v }
            }
        }
        var total = 0.0
        for c in 0..<dim {
            let m = mean[c] / Double(n)
            total += max(0, square[c] / Double(n) - m * m)
        }
        return Double(tolerance) * total / Double(dim)
    }

    func seeds(_ x: DenseMatrix, rng: inout SeededGenerator) -> DenseMatrix {
        let useParallel: Bool
        switch initialization {
        case .auto: useParallel = Double(x.rows) * Double(k) > 1e8
        case .kMeansPlusPlus: useParallel = false
        case .kMeansParallel: useParallel = true
        }
        let indices = useParallel ? KMeansSeeding.parallel(x, k: k, rng: &rng) : KMeansSeeding.plusPlus(x, k: k, rng: &rng)
        return x.selectingRows(indices)
    }

    /// Lloyd iterations from `initial` centroids.
    func lloyd(_ x: DenseMatrix, initial: DenseMatrix, tolerance: Double) -> KMeansResult {
        let n = x.rows, dim = x.columns
        var centroids = initial
        var labels = [Int32](repeating: -1, count: n)
        var history: [Double] = []
        var converged = false
        var iterations = 0
        var consistent = false
        var bounds = HamerlyBounds(x)
        while iterations < maxIterations {
            iterations += 1
            let pass = bounds.assign(x, centroids: centroids, labels: &labels)
            history.append(pass.inertia)
            if pass.changed == 0 {
                converged = true
                consistent = true
                break
            }
            var sums = pass.sums, counts = pass.counts
            if counts.contains(0) {
                let distances = HamerlyBounds.exactDistances(x, centroids: centroids, labels: labels).distances
                relocateEmptyClusters(x, labels: labels, distances: distances, sums: &sums, counts: &counts)
            }
            var next = DenseMatrix(rows: k, columns: dim)
            var shift = 0.0
            for j in 0..<k {
                guard counts[j] > 0 else {
                    for t in 0..<dim { next[j, t] = centroids[j, t] }
                    continue
                }
                let scale = 1 / Double(counts[j])
                for t in 0..<dim {
                    let v = Float(sums[j * dim + t] * scale)
                    let d = Double(v - centroids[j, t])
                    shift += d * d
                    next[j, t] = v
                }
            }
            centroids = next
            if shift <= tolerance {
                converged = true
                break
            }
        }
        if !consistent {
            history.append(bounds.assign(x, centroids: centroids, labels: &labels).inertia)
        }
        let (distances, inertia) = HamerlyBounds.exactDistances(x, centroids: centroids, labels: labels)
        history[history.count - 1] = inertia
        return KMeansResult(centroids: centroids, assignments: labels, distances: distances, inertia: inertia,
                            iterations: iterations, inertiaHistory: history, converged: converged,
                            gemmRows: bounds.gemmRows)
    }

    /// Gives every empty cluster one of the points farthest from their centroid (scikit-learn's rule), taken
    /// only from clusters that keep at least one point; ties go to the lowest row index.
    func relocateEmptyClusters(_ x: DenseMatrix, labels: [Int32], distances: [Float], sums: inout [Double],
                               counts: inout [Int]) {
        let empty = (0..<k).filter { counts[$0] == 0 }
        guard !empty.isEmpty else { return }
        let dim = x.columns
        let order = (0..<x.rows).sorted { distances[$0] != distances[$1] ? distances[$0] > distances[$1] : $0 < $1 }
        var cursor = 0
        for j in empty {
            while cursor < order.count && counts[Int(labels[order[cursor]])] <= 1 { cursor += 1 }
            guard cursor < order.count else { return }
            let i = order[cursor]
            cursor += 1
            let old = Int(labels[i])
            counts[old] -= 1
            counts[j] = 1
            for t in 0..<dim {
                let v = Double(x[i, t])
                sums[old * dim + t] -= v
                sums[j * dim + t] = v
            }
        }
    }
}
