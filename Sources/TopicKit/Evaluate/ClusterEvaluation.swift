/// One cluster as the evaluation sees it: its size among the evaluated papers, keywords, and the tags inside.
public struct ClusterProfile: Codable, Equatable, Sendable {
    public var id: Int
    public var size: Int
    public var keywords: [String]
    /// Papers of the cluster carrying each evaluated tag, in `ClusterEvaluation.tags` order.
    public var tagCounts: [Int]
    /// The most common tag set in the cluster ("-" for none) and its share of the cluster.
    public var majorityLabel: String
    public var majorityShare: Double
}

/// How a clustering agrees with the tags. The tags of a paper form one class per distinct tag set
/// ("compression", "kv-cache+transformers", "-"), so a multi-label truth becomes a partition; NMI (arithmetic
/// normalisation, scikit-learn's default), ARI and purity compare the clusters with it. The silhouette is
/// measured in the LSA space on a seeded sample.
public struct ClusterEvaluation: Codable, Equatable, Sendable {
    /// Where the clusters came from (a model bundle or a JSON Lines file).
    public var source: String
    public var papers: Int
    public var tags: [String]
    public var nmi: Double
    public var ari: Double
    /// Σ over clusters of the size of its largest class, over all papers (1 = every cluster is one tag set).
    public var purity: Double
    /// Mean silhouette (cosine) on `silhouetteSample` papers; nil without an embedding.
    public var silhouette: Double?
    public var silhouetteSample: Int?
    /// Clusters by id (empty clusters left out).
    public var clusters: [ClusterProfile]
    /// First two LSA coordinates of every paper (for the map), not written to metrics.json.
    public var map: [(x: Float, y: Float)] = []
    public var assignments: [Int] = []

    enum CodingKeys: String, CodingKey {
        case source, papers, tags, nmi, ari, purity, silhouette, silhouetteSample, clusters
    }

    public static func == (a: ClusterEvaluation, b: ClusterEvaluation) -> Bool {
        a.source == b.source && a.papers == b.papers && a.tags == b.tags && a.nmi == b.nmi && a.ari == b.ari
            && a.purity == b.purity && a.silhouette == b.silhouette && a.clusters == b.clusters && a.assignments == b.assignments
    }

    /// Compares `assignments[i]` (cluster of paper i) with `labels[i]` over `tags`. `keywords[c]` describes cluster c
    /// when known; `embedding` (papers × dims, unit rows) gives the silhouette and the 2-D map.
    public init(source: String, assignments: [Int], labels: [[String]], tags: [String], keywords: [Int: [String]] = [:],
                embedding: DenseMatrix? = nil, sampleSize: Int = 2000, seed: UInt64 = 0) throws {
        guard !assignments.isEmpty else { throw EvaluationError.emptyEvaluationSet("no paper has both a cluster and a label") }
        guard assignments.count == labels.count else {
            throw EvaluationError.countMismatch("\(assignments.count) cluster assignments for \(labels.count) label lists")
        }
        let classNames = labels.map { row -> String in
            let kept = tags.filter { row.contains($0) }
            return kept.isEmpty ? "-" : kept.joined(separator: "+")
        }
        var classIndex: [String: Int] = [:]
        let classes = classNames.map { name -> Int in
            if let i = classIndex[name] { return i }
            classIndex[name] = classIndex.count
            return classIndex.count - 1
        }
        self.source = source
        self.papers = assignments.count
        self.tags = tags
        self.nmi = try ClusterAgreement.nmi(assignments, classes)
        self.ari = try ClusterAgreement.ari(assignments, classes)
        self.assignments = assignments
        var profiles: [ClusterProfile] = []
        var pure = 0
        for c in Set(assignments).sorted() {
            let members = assignments.indices.filter { assignments[$0] == c }
            var counts: [String: Int] = [:]
            for i in members { counts[classNames[i], default: 0] += 1 }
            let top = counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }!
            pure += top.value
            profiles.append(ClusterProfile(id: c, size: members.count, keywords: keywords[c] ?? [],
                                           tagCounts: tags.map { tag in members.filter { labels[$0].contains(tag) }.count },
                                           majorityLabel: top.key, majorityShare: Double(top.value) / Double(members.count)))
        }
        self.clusters = profiles
        self.purity = Double(pure) / Double(assignments.count)
        if let embedding {
            guard embedding.rows == assignments.count else {
                throw EvaluationError.countMismatch("an embedding of \(embedding.rows) rows for \(assignments.count) papers")
            }
            let sample = min(sampleSize, embedding.rows)
            if sample >= 2, assignments.allSatisfy({ $0 >= 0 && $0 <= Int(Int32.max) }) {
                silhouette = Double(try Silhouette.score(embedding, assignments: assignments.map { Int32($0) },
                                                         sampleSize: sample, seed: seed, metric: .cosine))
                silhouetteSample = sample
            }
            if embedding.columns >= 2 {
                map = (0..<embedding.rows).map { (x: embedding[$0, 0], y: embedding[$0, 1]) }
            }
        }
    }
}
