#if canImport(Glibc)
import Glibc
#endif

/// The tags of one paper: which tags apply and the probability of every tag.
public struct TagPrediction: Sendable, Equatable {
    public var id: String
    public var title: String
    /// Tags whose probability reaches their threshold (plus implied tags), in the tagger's tag order.
    public var tags: [String]
    /// Probability per tag, in the tagger's tag order.
    public var scores: [Float]
}

/// A multi-label tagger: TF-IDF features, one-vs-rest L2 logistic regression, per-tag thresholds.
///
/// Every fitted part is a plain array so a model bundle can store and reload it:
/// `weights` has shape [featureCount, tagCount] row-major (`weights[j * tags.count + t]` is the weight of
/// vocabulary term j for tag t, like scikit-learn's `coef_.T`), `biases[t]` and `thresholds[t]`
/// (probabilities) per tag.
public struct Tagger: Sendable {
    public let tags: [String]
    public let vectorizer: TfidfVectorizer
    public let weights: [Float]
    public let biases: [Float]
    public let thresholds: [Float]
    /// Learned implications that `predict` applies (empty when disabled).
    public let implications: [TagImplication]
    public let options: TaggerOptions
    let implicationIndices: [(Int, Int)]
    /// The weights padded and aligned for scoring, built on first use.
    private let scoringWeights = LazyScoringWeights()

    /// Rebuilds a trained tagger from stored parts; checks every size and name.
    public init(tags: [String], vectorizer: TfidfVectorizer, weights: [Float], biases: [Float], thresholds: [Float],
                implications: [TagImplication] = [], options: TaggerOptions = TaggerOptions()) throws {
        guard !tags.isEmpty else { throw ClassifyError.invalidModel("no tags") }
        guard Set(tags).count == tags.count else { throw ClassifyError.invalidModel("duplicate tag names in \(tags)") }
        let expected = vectorizer.featureCount * tags.count
        guard weights.count == expected else {
            throw ClassifyError.invalidModel("\(weights.count) weights, expected \(vectorizer.featureCount) features × \(tags.count) tags = \(expected)")
        }
        guard biases.count == tags.count, thresholds.count == tags.count else {
            throw ClassifyError.invalidModel("\(biases.count) biases and \(thresholds.count) thresholds for \(tags.count) tags")
        }
        if let bad = thresholds.first(where: { !($0 >= 0 && $0 <= 1) }) {
            throw ClassifyError.invalidModel("threshold \(bad) is not a probability")
        }
        if weights.contains(where: { !$0.isFinite }) || biases.contains(where: { !$0.isFinite }) {
            throw ClassifyError.invalidModel("weights or biases contain a non-finite number")
        }
        var indices: [(Int, Int)] = []
        for rule in implications {
            guard let a = tags.firstIndex(of: rule.premise), let b = tags.firstIndex(of: rule.conclusion), a != b else {
                throw ClassifyError.invalidModel("implication \(rule.premise) ⇒ \(rule.conclusion) names an unknown tag")
            }
            indices.append((a, b))
        }
        self.tags = tags
        self.vectorizer = vectorizer
        self.weights = weights
        self.biases = biases
        self.thresholds = thresholds
        self.implications = implications
        self.options = options
        self.implicationIndices = indices
    }

    /// Probabilities for every paper (row) and tag (column), row-major: `[i * tags.count + t]`.
    public func scoreMatrix(_ x: SparseMatrix) -> [Float] {
        let tagCount = tags.count
        var out = [Float](repeating: 0, count: x.rows * tagCount)
        let chunks = Parallel.chunks(count: x.rows, minimumChunk: 2048, maximumChunks: 64)
        let w = scoringWeights.get(weights, idf: vectorizer.idf, tagCount: tagCount)
        out.withUnsafeMutableBufferPointer { o in
            let base = o.baseAddress!
            x.rowPointers.withUnsafeBufferPointer { rp in
            x.columnIndices.withUnsafeBufferPointer { ci in
            x.values.withUnsafeBufferPointer { v in
                Parallel.forEachChunk(chunks) { _, range in
                    for i in range {
                        scoreRow(UnsafeBufferPointer(rebasing: ci[rp[i]..<rp[i + 1]]),
                                 UnsafeBufferPointer(rebasing: v[rp[i]..<rp[i + 1]]), with: w, into: base + i * tagCount)
                    }
                }
            }}}
        }
        return out
    }

    /// `scoreMatrix(vectorizer.transform(papers))` without assembling the TF-IDF matrix: each row is scored as
    /// soon as it is built, with the weight rows of its terms prefetched while it was counted. Same numbers bit
    /// for bit.
    func probabilities(_ papers: [Paper]) -> [Float] {
        let tagCount = tags.count
        var out = [Float](repeating: 0, count: papers.count * tagCount)
        out.withUnsafeMutableBufferPointer { o in
            let base = o.baseAddress!
            let w = scoringWeights.get(weights, idf: vectorizer.idf, tagCount: tagCount)
            vectorizer.forEachRow(papers, prefetching: w.rows) { i, columns, values in
                scoreRow(columns, values, with: w, into: base + i * tagCount)
            }
        }
        return out
    }

    /// Probabilities of one TF-IDF row (columns increasing) into `row[0..<tags.count]`.
    @inline(__always)
    private func scoreRow(_ columns: UnsafeBufferPointer<Int32>, _ values: UnsafeBufferPointer<Float>,
                          with w: ScoringWeights, into row: UnsafeMutablePointer<Float>) {
        biases.withUnsafeBufferPointer { b in w.probabilities(columns, values, biases: b.baseAddress!, into: row) }
    }

    /// Probabilities per paper, in tag order.
    public func scores(_ papers: [Paper]) -> [[Float]] {
        let flat = probabilities(papers)
        return (0..<papers.count).map { Array(flat[($0 * tags.count)..<(($0 + 1) * tags.count)]) }
    }

    /// Tags and probabilities per paper; `threshold` overrides every tag's own threshold.
    public func predict(_ papers: [Paper], threshold: Float? = nil) -> [TagPrediction] {
        let flat = probabilities(papers)
        let chunks = Parallel.chunks(count: papers.count, minimumChunk: 2048, maximumChunks: 16)
        return Parallel.mapChunks(chunks) { range in
            range.map { i in
                let s = Array(flat[(i * tags.count)..<((i + 1) * tags.count)])
                return TagPrediction(id: papers[i].id, title: papers[i].title, tags: assigned(s, threshold: threshold),
                                     scores: s)
            }
        }.flatMap { $0 }
    }

    /// `predict` as `PaperResult`s (id, title, tags, scores), each written in place by the chunk that owns it,
    /// on all cores: no per-paper prediction to copy over afterwards.
    func results(_ papers: [Paper], threshold: Float?) -> [PaperResult] {
        let flat = probabilities(papers)
        let tagCount = tags.count
        let chunks = Parallel.chunks(count: papers.count, minimumChunk: 2048, maximumChunks: 16)
        return [PaperResult](unsafeUninitializedCapacity: papers.count) { buffer, initialized in
            let base = buffer.baseAddress
            flat.withUnsafeBufferPointer { f in
                Parallel.forEachChunk(chunks) { _, range in
                    for i in range {
                        let s = Array(UnsafeBufferPointer(rebasing: f[(i * tagCount)..<((i + 1) * tagCount)]))
                        (base! + i).initialize(to: PaperResult(id: papers[i].id, title: papers[i].title,
                                                               tags: assigned(s, threshold: threshold), scores: s))
                    }
                }
            }
            initialized = papers.count
        }
    }

    /// The names of the tags that apply for one paper's probabilities (thresholds, then implications).
    private func assigned(_ scores: [Float], threshold: Float?) -> [String] {
        guard implicationIndices.isEmpty else {
            let flags = decide(scores, threshold: threshold)
            return tags.indices.filter { flags[$0] }.map { tags[$0] }
        }
        var names: [String] = []
        for t in scores.indices where scores[t] >= (threshold ?? thresholds[t]) { names.append(tags[t]) }
        return names
    }

    /// Which tags apply for one paper's probabilities (thresholds, then implications).
    func decide(_ scores: [Float], threshold: Float? = nil) -> [Bool] {
        var flags = scores.indices.map { scores[$0] >= (threshold ?? thresholds[$0]) }
        TagImplication.apply(implicationIndices, to: &flags)
        return flags
    }

    /// The `count` terms of `paper` that push its `tag` score up the most (weight × TF-IDF value), largest first.
    public func explain(_ paper: Paper, tag: String, count: Int) throws -> [(term: String, weight: Float)] {
        guard let t = tags.firstIndex(of: tag) else { throw ClassifyError.unknownTag(tag) }
        let row = vectorizer.transform(paper)
        let contributions = row.map { (term: vectorizer.vocabulary[$0.column], weight: $0.value * weights[$0.column * tags.count + t]) }
        let sorted = contributions.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.term < $1.term }
        return Array(sorted.prefix(max(0, count)))
    }
}
