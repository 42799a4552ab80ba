/// A fitted k-means clustering: centroids, every point's cluster and squared distance, and fit diagnostics.
public struct KMeansResult: Sendable, Equatable {
    /// Cluster centres, `k × dimensions`.
    public let centroids: DenseMatrix
    /// Cluster of every training row.
    public let assignments: [Int32]
    /// Squared Euclidean distance of every training row to its centroid.
    public let distances: [Float]
    /// Sum of `distances` (scikit-learn's `inertia_`).
    public let inertia: Double
    /// Lloyd iterations (or mini-batch steps) of the kept run.
    public let iterations: Int
    /// Inertia after every assignment step of the kept run (Lloyd: never increases).
    public let inertiaHistory: [Double]
    /// Whether the kept run met the tolerance (or stopped changing) before `maxIterations`.
    public let converged: Bool
    /// Rows of every distance GEMM (rows × k centroids × dimensions) the kept run's Lloyd passes performed, in
    /// order: the rows Hamerly's bounds did not spare, in blocks (empty for mini-batch). For benchmarks.
    public let gemmRows: [Int]

    public init(centroids: DenseMatrix, assignments: [Int32], distances: [Float], inertia: Double, iterations: Int,
                inertiaHistory: [Double] = [], converged: Bool = true, gemmRows: [Int] = []) {
        self.centroids = centroids
        self.assignments = assignments
        self.distances = distances
        self.inertia = inertia
        self.iterations = iterations
        self.inertiaHistory = inertiaHistory
        self.converged = converged
        self.gemmRows = gemmRows
    }

    /// Number of clusters.
    public var k: Int { centroids.rows }

    /// Papers per cluster.
    public var clusterSizes: [Int] {
        var sizes = [Int](repeating: 0, count: centroids.rows)
        for a in assignments { sizes[Int(a)] += 1 }
        return sizes
    }

    /// Nearest centroid (ties: lowest index) and squared distance for new rows with the same dimensions.
    public func predict(_ x: DenseMatrix) throws -> ([Int32], [Float]) {
        guard x.columns == centroids.columns else {
            throw ClusterError.sizeMismatch("the rows have \(x.columns) dimensions but the centroids have \(centroids.columns)")
        }
        var labels = [Int32](repeating: -1, count: x.rows)
        var distances = [Float](repeating: 0, count: x.rows)
        if x.rows > 0 {
            _ = NearestCentroid.assign(x, centroids: centroids, labels: &labels, distances: &distances, accumulate: false)
        }
        return (labels, distances)
    }
}
