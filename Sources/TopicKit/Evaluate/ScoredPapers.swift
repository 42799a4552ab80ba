/// A term's contribution (weight × TF-IDF value) to one tag's score for one paper.
public struct TermContribution: Codable, Equatable, Sendable {
    public var term: String
    public var weight: Float
}

/// A paper the tagger got wrong for one tag: its score and the terms that drove it there.
public struct MisclassifiedPaper: Codable, Equatable, Sendable {
    public var id: String
    public var title: String
    public var score: Float
    /// False positives: the terms pushing the score up most; false negatives: the terms pulling it down most.
    public var terms: [TermContribution]
}

/// The worst errors of one tag: the highest-scoring false positives and the lowest-scoring false negatives.
public struct TagMistakes: Codable, Equatable, Sendable {
    public var tag: String
    public var threshold: Float
    public var falsePositives: [MisclassifiedPaper]
    public var falseNegatives: [MisclassifiedPaper]
}

/// Papers with known tags and the scores and decisions a tagger gave them (held-out scores for cross-validation),
/// over the tags both sides know. Everything `topics eval` measures about a tagger starts here.
public struct ScoredPapers: Sendable {
    /// Evaluated tags, in the tagger's order.
    public let tags: [String]
    public let papers: [Paper]
    /// `truth[i][t]`: paper i truly has tag t.
    public let truth: [[Bool]]
    /// `scores[i][t]`: probability of tag t for paper i.
    public let scores: [[Float]]
    /// `predicted[i][t]`: the tagger's decision (threshold, then implications).
    public let predicted: [[Bool]]
    /// Decision threshold per tag (the mean over folds for cross-validated scores).
    public let thresholds: [Float]
    /// The taggers that scored the papers and which one scored each paper (one per fold in cross-validation).
    public let taggers: [Tagger]
    public let scoredBy: [Int]

    /// Assembles scores; every array must have one row per paper and one column per tag.
    public init(tags: [String], papers: [Paper], truth: [[Bool]], scores: [[Float]], predicted: [[Bool]],
                thresholds: [Float], taggers: [Tagger], scoredBy: [Int]) throws {
        let n = papers.count
        guard truth.count == n, scores.count == n, predicted.count == n, scoredBy.count == n else {
            throw EvaluationError.countMismatch("\(n) papers, \(truth.count) label rows, \(scores.count) score rows, "
                                                + "\(predicted.count) prediction rows")
        }
        guard thresholds.count == tags.count,
              truth.allSatisfy({ $0.count == tags.count }), scores.allSatisfy({ $0.count == tags.count }),
              predicted.allSatisfy({ $0.count == tags.count }) else {
            throw EvaluationError.countMismatch("rows do not all have one entry per tag (\(tags.count) tags)")
        }
        guard scoredBy.allSatisfy({ $0 >= 0 && $0 < taggers.count }) else {
            throw EvaluationError.countMismatch("a paper names a tagger outside 0..<\(taggers.count)")
        }
        self.tags = tags
        self.papers = papers
        self.truth = truth
        self.scores = scores
        self.predicted = predicted
        self.thresholds = thresholds
        self.taggers = taggers
        self.scoredBy = scoredBy
    }

    /// Scores `papers` (labelled `labels`) with a trained tagger, keeping the tags `alignment.shared`.
    /// Decisions use the tagger's own thresholds and implications over all its tags.
    public init(tagger: Tagger, papers: [Paper], labels: [[String]], alignment: TagAlignment) throws {
        guard !papers.isEmpty else { throw EvaluationError.emptyEvaluationSet("no labeled paper to evaluate") }
        guard !alignment.shared.isEmpty else {
            throw EvaluationError.noSharedTags(alignment.note)
        }
        let columns = try alignment.shared.map { tag -> Int in
            guard let t = tagger.tags.firstIndex(of: tag) else { throw ClassifyError.unknownTag(tag) }
            return t
        }
        let predictions = tagger.predict(papers)
        try self.init(tags: alignment.shared, papers: papers,
                      truth: labels.map { row in alignment.shared.map { row.contains($0) } },
                      scores: predictions.map { p in columns.map { p.scores[$0] } },
                      predicted: predictions.map { p in columns.map { p.tags.contains(tagger.tags[$0]) } },
                      thresholds: columns.map { tagger.thresholds[$0] },
                      taggers: [tagger], scoredBy: [Int](repeating: 0, count: papers.count))
    }

    /// The multi-label report of these decisions, with average precision from the scores.
    public func evaluation() throws -> ClassificationEvaluation {
        try ClassificationEvaluation(tags: tags, truth: truth, predicted: predicted, scores: scores, thresholds: thresholds)
    }

    /// Tag t's scores and truth.
    public func column(_ t: Int) -> (scores: [Float], truth: [Bool]) {
        (scores.map { $0[t] }, truth.map { $0[t] })
    }

    /// The precision–recall curve of every tag.
    public var curves: [PrecisionRecallCurve] {
        tags.indices.map { t in let c = column(t); return PrecisionRecallCurve(scores: c.scores, truth: c.truth) }
    }

    /// Per tag, the `count` most confident false positives (highest score first) and false negatives (lowest
    /// score first), each with its `terms` most influential terms from the tagger that scored it.
    public func worstMistakes(count: Int = 3, terms: Int = 5) throws -> [TagMistakes] {
        try tags.enumerated().map { t, tag in
            let fp = papers.indices.filter { predicted[$0][t] && !truth[$0][t] }
                .sorted { scores[$0][t] != scores[$1][t] ? scores[$0][t] > scores[$1][t] : $0 < $1 }
            let fn = papers.indices.filter { !predicted[$0][t] && truth[$0][t] }
                .sorted { scores[$0][t] != scores[$1][t] ? scores[$0][t] < scores[$1][t] : $0 < $1 }
            func describe(_ i: Int, up: Bool) throws -> MisclassifiedPaper {
                let all = try taggers[scoredBy[i]].explain(papers[i], tag: tag, count: Int.max)
                let chosen = up ? all.filter { $0.weight > 0 }.prefix(terms).map { $0 }
                                : all.filter { $0.weight < 0 }.reversed().prefix(terms).map { $0 }
                return MisclassifiedPaper(id: papers[i].id, title: papers[i].title, score: scores[i][t],
                                          terms: chosen.map { TermContribution(term: $0.term, weight: $0.weight) })
            }
            return TagMistakes(tag: tag, threshold: thresholds[t],
                               falsePositives: try fp.prefix(count).map { try describe($0, up: true) },
                               falseNegatives: try fn.prefix(count).map { try describe($0, up: false) })
        }
    }

    /// How often each pair of tags is true together (the diagonal counts each tag's papers).
    public var cooccurrence: [[Int]] {
        tags.indices.map { a in tags.indices.map { b in truth.reduce(0) { $0 + ($1[a] && $1[b] ? 1 : 0) } } }
    }
}
