/// A clustering kept for later: the vectorizer, the LSA basis, the centroids and each topic's
/// description, so new papers can be placed in the topics found earlier.
public struct ClusterModel: Sendable {
    public let vectorizer: TfidfVectorizer
    public let lsa: LSAModel
    public let centroids: DenseMatrix
    /// Size and keywords per cluster, by cluster id.
    public let topics: [TopicSummary]
    public let settings: ClusterSettings

    /// One cluster as stored: its size in the training corpus and its keywords.
    public struct TopicSummary: Codable, Equatable, Sendable {
        public var id: Int
        public var size: Int
        public var keywords: [String]
        /// Titles of the papers closest to the centroid, nearest first.
        public var centralTitles: [String]
    }

    /// The settings the clustering ran with, as recorded in config.json.
    public struct ClusterSettings: Codable, Equatable, Sendable {
        public var k: Int
        public var dims: Int
        public var nInit: Int
        public var seed: UInt64
        public var inertia: Double
    }

    public init(vectorizer: TfidfVectorizer, lsa: LSAModel, centroids: DenseMatrix, topics: [TopicSummary],
                settings: ClusterSettings) throws {
        guard lsa.vocabularySize == vectorizer.featureCount else {
            throw ClusterError.sizeMismatch("the LSA basis has \(lsa.vocabularySize) terms but the vocabulary \(vectorizer.featureCount)")
        }
        guard centroids.columns == lsa.dimensions, centroids.rows == topics.count, centroids.rows >= 1 else {
            throw ClusterError.sizeMismatch("\(centroids.rows)×\(centroids.columns) centroids for \(topics.count) topics in \(lsa.dimensions) dimensions")
        }
        self.vectorizer = vectorizer
        self.lsa = lsa
        self.centroids = centroids
        self.topics = topics
        self.settings = settings
    }

    /// Keeps what `result` found on `papers` (vectorized by `vectorizer`).
    public init(result: ClusteringResult, vectorizer: TfidfVectorizer, papers: [Paper], nInit: Int, seed: UInt64) throws {
        guard result.lsa.vocabularySize > 0 else { throw ClusterError.invalidParameter(ClusteringResult.basisNotKeptMessage) }
        let topics = result.clusters.map { cluster in
            TopicSummary(id: cluster.id, size: cluster.size, keywords: cluster.keywords.map(\.term),
                         centralTitles: cluster.centralPapers.map { papers[$0].title })
        }
        try self.init(vectorizer: vectorizer, lsa: result.lsa, centroids: result.kmeans.centroids, topics: topics,
                      settings: ClusterSettings(k: result.kmeans.k, dims: result.lsa.dimensions, nInit: nInit,
                                                seed: seed, inertia: result.kmeans.inertia))
    }

    /// Nearest cluster and squared distance (in the normalised LSA space) for each paper.
    public func assign(_ papers: [Paper]) throws -> (clusters: [Int32], distances: [Float]) {
        let embedded: DenseMatrix
        do { embedded = try lsa.transform(vectorizer.transform(papers), normalize: true) } catch let error as LinearAlgebraError {
            throw ClusterError.linearAlgebra(error)
        }
        let kmeans = KMeansResult(centroids: centroids, assignments: [], distances: [], inertia: settings.inertia, iterations: 0)
        return try kmeans.predict(embedded)
    }
}

extension ClusterModel {
    /// This clustering as a model bundle: settings and topics in config.json; idf, LSA basis
    /// (`[terms, dims]`), singular values and centroids (`[k, dims]`) in model.safetensors.
    public func modelBundle(provenance: Provenance) throws -> ModelBundle {
        let v = vectorizer.featureCount
        let config: [String: JSONValue] = [
            "kinds": .array([.string("clusters")]),
            "vectorizer": try JSONValue(encoding: vectorizer.options),
            "clusters": try JSONValue(encoding: settings),
            "topics": try JSONValue(encoding: topics),
            "provenance": try JSONValue(encoding: provenance),
        ]
        return ModelBundle(config: .object(config), vocabulary: vectorizer.vocabulary, tensors: [
            BundleKeys.idf: try Tensor(floats: vectorizer.idf, shape: [v]),
            BundleKeys.lsaBasis: try Tensor(floats: lsa.basis.values, shape: [v, lsa.dimensions]),
            BundleKeys.lsaSingularValues: try Tensor(floats: lsa.singularValues, shape: [lsa.dimensions]),
            BundleKeys.centroids: try Tensor(floats: centroids.values, shape: [centroids.rows, centroids.columns]),
        ])
    }

    /// Rebuilds the clustering stored in `bundle`, checking every shape.
    public init(bundle: ModelBundle) throws {
        try bundle.require(kind: "clusters")
        guard let settings = try bundle.section("clusters", as: ClusterSettings.self),
              let topics = try bundle.section("topics", as: [TopicSummary].self) else {
            throw ModelBundleError.invalidConfig(path: ModelBundle.configFile, reason: "no \"clusters\" or \"topics\" section")
        }
        let vectorizer = try bundle.vectorizer()
        let v = vectorizer.featureCount, d = settings.dims, k = settings.k
        guard k >= 1, d >= 1, topics.count == k else {
            throw ModelBundleError.invalidConfig(path: ModelBundle.configFile, reason: "k = \(k), dims = \(d) and \(topics.count) topics disagree")
        }
        let basis = DenseMatrix(rows: v, columns: d, values: try bundle.floats(BundleKeys.lsaBasis, shape: [v, d]))
        let lsa = LSAModel(basis: basis, singularValues: try bundle.floats(BundleKeys.lsaSingularValues, shape: [d]))
        let centroids = DenseMatrix(rows: k, columns: d, values: try bundle.floats(BundleKeys.centroids, shape: [k, d]))
        try self.init(vectorizer: vectorizer, lsa: lsa, centroids: centroids, topics: topics, settings: settings)
    }
}
