/// One topic found in a corpus.
public struct TopicCluster: Sendable, Equatable {
    /// Cluster index (row of the centroid matrix).
    public let id: Int
    /// Number of papers in it.
    public let size: Int
    /// Characteristic terms, best first (c-TF-IDF).
    public let keywords: [ClusterKeyword]
    /// Row indices of the papers closest to the centroid, nearest first.
    public let centralPapers: [Int]
}

/// A term describing a cluster and its c-TF-IDF score.
public struct ClusterKeyword: Sendable, Equatable, Hashable {
    public let term: String
    public let score: Float
}

/// Everything the clustering pipeline fitted, enough to describe the corpus and to place new papers.
public struct ClusteringResult: Sendable {
    /// The LSA basis (keep it to project new papers). Fitted with `TopicClustering.keepsBasis` off, it holds
    /// the singular values and dimensions only (`lsa.vocabularySize == 0`).
    public let lsa: LSAModel
    /// Papers in LSA space, unit-length rows (`papers × lsa.dimensions`).
    public let embedding: DenseMatrix
    /// The k-means fit on `embedding`.
    public let kmeans: KMeansResult
    /// Every cluster with its keywords and central papers, by id.
    public let clusters: [TopicCluster]
    /// The scores per k when k was chosen automatically.
    public let selection: KSelection?

    static let basisNotKeptMessage = "the clustering was fitted without keeping its LSA basis (keepsBasis = false), "
        + "so it cannot place new papers or be saved: fit it again with keepsBasis = true"

    /// Places new papers (TF-IDF rows over the same vocabulary): nearest cluster and squared distance.
    public func assign(tfidf: SparseMatrix) throws -> ([Int32], [Float]) {
        guard lsa.vocabularySize > 0 else { throw ClusterError.invalidParameter(ClusteringResult.basisNotKeptMessage) }
        let projected: DenseMatrix
        do { projected = try lsa.transform(tfidf, normalize: true) } catch let error as LinearAlgebraError {
            throw ClusterError.linearAlgebra(error)
        }
        return try kmeans.predict(projected)
    }
}

/// The clustering pipeline behind `topics cluster`: truncated SVD (LSA) of the TF-IDF matrix → unit-length
/// rows (cosine geometry) → k-means (fixed k, or the best silhouette over a range) → c-TF-IDF keywords and
/// central papers per cluster.
public struct TopicClustering: Sendable {
    /// A fixed number of clusters, or a range to choose from by silhouette.
    public enum ClusterCount: Sendable, Equatable {
        case fixed(Int)
        case auto(ClosedRange<Int>)
    }

    public var clusterCount: ClusterCount
    /// LSA dimensions; clamped to `min(papers, vocabulary)` for tiny inputs (see `ClusteringResult.lsa`).
    public var dims: Int
    public var nInit: Int
    public var seed: UInt64
    public var algorithm: KMeans.Algorithm = .lloyd
    public var keywordCount: Int = 10
    public var centralPaperCount: Int = 5
    /// Rows in the silhouette sample when choosing k.
    public var silhouetteSampleSize: Int = 2000
    /// Whether the result keeps the LSA basis (`vocabulary × dims`, 2 GB on a 4M-term vocabulary), needed only
    /// to place new papers or save the clustering. When false it is never computed (the SVD then holds no
    /// vocabulary-sized matrix); the clusters and embedding are the same.
    public var keepsBasis: Bool = true

    /// Clusters into exactly `k` topics.
    public init(k: Int, dims: Int = 128, nInit: Int = 4, seed: UInt64 = 0) {
        self.clusterCount = .fixed(k)
        self.dims = dims
        self.nInit = nInit
        self.seed = seed
    }

    /// Chooses the number of topics in `autoK` by silhouette.
    public init(autoK: ClosedRange<Int>, dims: Int = 128, nInit: Int = 4, seed: UInt64 = 0) {
        self.clusterCount = .auto(autoK)
        self.dims = dims
        self.nInit = nInit
        self.seed = seed
    }

    /// Runs the pipeline on L2-normalised TF-IDF rows; `vocabulary[t]` names column `t`.
    public func fit(tfidf: SparseMatrix, vocabulary: [String]) throws -> ClusteringResult {
        var matrix = tfidf
        return try fit(&matrix, lending: false, vocabulary: vocabulary)
    }

    /// `fit` for large corpora: `tfidf` is emptied during the SVD (which works on blocked copies of it) and
    /// given back identical, so the matrix is never held three times; the result equals `fit(tfidf:)`.
    public func fit(lending tfidf: inout SparseMatrix, vocabulary: [String]) throws -> ClusteringResult {
        try fit(&tfidf, lending: true, vocabulary: vocabulary)
    }

    private func fit(_ tfidf: inout SparseMatrix, lending: Bool, vocabulary: [String]) throws -> ClusteringResult {
        guard tfidf.rows > 0 else { throw ClusterError.emptyCorpus }
        guard tfidf.columns > 0 else { throw ClusterError.noFeatures }
        guard vocabulary.count == tfidf.columns else {
            throw ClusterError.sizeMismatch("a vocabulary of \(vocabulary.count) terms for a TF-IDF matrix of \(tfidf.columns) columns")
        }
        let smallestK: Int
        switch clusterCount {
        case .fixed(let k): smallestK = k
        case .auto(let range): smallestK = range.lowerBound
        }
        guard smallestK >= 2 else { throw ClusterError.tooFewClusters(k: smallestK, minimum: 2) }
        guard smallestK <= tfidf.rows else { throw ClusterError.moreClustersThanPapers(k: smallestK, papers: tfidf.rows) }
        guard dims >= 1 else { throw ClusterError.invalidParameter("the LSA dimension must be at least 1, got \(dims)") }

        let lsa: LSAModel
        var embedding: DenseMatrix
        do {
            let svd = TruncatedSVD(components: dims, seed: seed)
            if lending {
                (lsa, embedding) = try svd.fitTransform(&tfidf, lending: true, keepingBasis: keepsBasis)
            } else {
                var copy = tfidf
                (lsa, embedding) = try svd.fitTransform(&copy, lending: false, keepingBasis: keepsBasis)
            }
        } catch let error as LinearAlgebraError {
            throw ClusterError.linearAlgebra(error)
        }
        embedding.normalizeRows()
        FreedMemory.release()
        MemoryLog.stage("svd")

        let kmeans: KMeansResult
        var selection: KSelection?
        switch clusterCount {
        case .fixed(let k):
            kmeans = try KMeans(k: k, nInit: nInit, seed: seed, algorithm: algorithm).fit(embedding)
        case .auto(let range):
            let picked = try KMeans.autoK(embedding, range: range, nInit: nInit, seed: seed,
                                          sampleSize: silhouetteSampleSize, algorithm: algorithm)
            kmeans = picked.result
            selection = picked.selection
        }
        MemoryLog.stage("k-means")
        let k = kmeans.k
        let terms = try ClusterKeywords.topTerms(tfidf: tfidf, assignments: kmeans.assignments, k: k,
                                                 vocabulary: vocabulary, count: keywordCount)
        let central = ClusterKeywords.centralPapers(assignments: kmeans.assignments, distances: kmeans.distances,
                                                    k: k, count: centralPaperCount)
        MemoryLog.stage("keywords")
        let sizes = kmeans.clusterSizes
        let clusters = (0..<k).map { c in
            TopicCluster(id: c, size: sizes[c], keywords: terms[c].map { ClusterKeyword(term: $0.term, score: $0.score) },
                         centralPapers: central[c])
        }
        return ClusteringResult(lsa: lsa, embedding: embedding, kmeans: kmeans, clusters: clusters, selection: selection)
    }
}
