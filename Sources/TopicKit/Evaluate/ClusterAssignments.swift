/// The cluster of each paper, from a saved clustering bundle or from the JSON Lines `topics cluster` writes,
/// with what the evaluation needs to describe the clusters (keywords, an LSA embedding for the map).
public struct ClusterAssignments: Sendable {
    /// Cluster per paper of the evaluated list, nil when the source does not mention the paper.
    public var clusters: [Int?]
    /// Keywords per cluster id.
    public var keywords: [Int: [String]]
    /// Unit-length LSA rows of the papers (rows follow the papers), for the silhouette and the map.
    public var embedding: DenseMatrix?
    /// Ids in the file that match no paper.
    public var unknownIDs: [String]

    /// Places `papers` with a saved clustering model (`topics cluster --save`).
    public init(model: ClusterModel, papers: [Paper]) throws {
        let (assigned, _) = try model.assign(papers)
        clusters = assigned.map { Int($0) }
        var words: [Int: [String]] = [:]
        for topic in model.topics { words[topic.id] = topic.keywords }
        keywords = words
        embedding = try model.lsa.transform(model.vectorizer.transform(papers), normalize: true)
        unknownIDs = []
    }

    /// Reads `{"id": ..., "cluster": n}` lines (other fields ignored) and joins them to `papers` by id.
    /// Keywords come from the clusters' c-TF-IDF terms and the map from a 2-component LSA of the papers.
    public init(jsonLines path: String, papers: [Paper], seed: UInt64 = 0) throws {
        let source = try CorpusInput(path: path)
        var reader = LineBlockReader(source: source)
        var byID: [String: Int] = [:]
        var order: [String] = []
        var number = 0
        while let block = try reader.next() {
            var lines = block.bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
            if block.bytes.last == 0x0A { lines.removeLast() }
            for raw in lines {
                number += 1
                guard let text = String(validating: raw, as: UTF8.self) else {
                    throw EvaluationError.badClusterFile(path: source.name, line: number, reason: "not UTF-8")
                }
                if text.allSatisfy({ $0.isWhitespace }) { continue }
                let value: JSONValue
                do { value = try JSONValue.parse(text) } catch {
                    throw EvaluationError.badClusterFile(path: source.name, line: number, reason: "not JSON: \(error)")
                }
                guard let id = value["id"]?.stringValue ?? value["id"]?.intValue.map(String.init) else {
                    throw EvaluationError.badClusterFile(path: source.name, line: number, reason: "no \"id\" field")
                }
                guard let cluster = value["cluster"]?.intValue, cluster >= 0 else {
                    throw EvaluationError.badClusterFile(path: source.name, line: number,
                                                         reason: "no \"cluster\" field with a whole number ≥ 0")
                }
                if let earlier = byID[id], earlier != cluster {
                    throw EvaluationError.badClusterFile(path: source.name, line: number,
                                                         reason: "paper \(id) appears again with another cluster")
                }
                if byID[id] == nil { order.append(id) }
                byID[id] = cluster
            }
        }
        guard !byID.isEmpty else { throw EvaluationError.badClusterFile(path: source.name, line: number, reason: "no cluster assignment in the file") }
        let known = Set(papers.map(\.id))
        unknownIDs = order.filter { !known.contains($0) }
        clusters = papers.map { byID[$0.id] }
        keywords = [:]
        embedding = nil
        let placed = papers.indices.filter { clusters[$0] != nil }
        guard placed.count >= 2 else { return }
        let subset = placed.map { papers[$0] }
        let (vectorizer, tfidf) = try TfidfVectorizer.fitTransform(subset, options: TfidfOptions.clustering)
        let ids = placed.map { clusters[$0]! }
        // Cluster ids can be any numbers: number them densely for the keyword table.
        let distinct = Array(Set(ids)).sorted()
        let dense = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, Int32($0)) })
        if tfidf.columns > 0 {
            let terms = try ClusterKeywords.topTerms(tfidf: tfidf, assignments: ids.map { dense[$0]! }, k: distinct.count,
                                                     vocabulary: vectorizer.vocabulary, count: 10)
            for (c, list) in terms.enumerated() where !list.isEmpty { keywords[distinct[c]] = list.map(\.term) }
        }
        let dims = min(64, tfidf.rows - 1, tfidf.columns)
        if dims >= 2 {
            var (_, reduced) = try TruncatedSVD(components: dims, seed: seed).fitTransform(tfidf)
            reduced.normalizeRows()
            var full = DenseMatrix(rows: papers.count, columns: dims)
            for (r, i) in placed.enumerated() {
                for d in 0..<dims { full.values[i * dims + d] = reduced.values[r * dims + d] }
            }
            embedding = full
        }
    }

    /// Indices of the papers that have a cluster.
    public var placed: [Int] { clusters.indices.filter { clusters[$0] != nil } }
}
