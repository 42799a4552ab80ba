/// Precision, recall and F1 averaged one way (micro, macro or samples).
public struct AveragedScores: Codable, Equatable, Sendable {
    public var precision: Double
    public var recall: Double
    public var f1: Double
}

/// Everything measured about one tag: counts, precision/recall/F1 at the decision threshold, and the
/// threshold-free average precision when scores are known.
public struct TagEvaluation: Codable, Equatable, Sendable {
    public var tag: String
    public var precision: Double
    public var recall: Double
    public var f1: Double
    /// Papers that truly have the tag.
    public var support: Int
    /// Papers predicted to have it.
    public var predicted: Int
    public var truePositives: Int
    /// Area under the precision–recall curve (nil without scores).
    public var averagePrecision: Double?
    /// The decision threshold the predictions used (nil when unknown).
    public var threshold: Float?
}

/// The full multi-label report of one set of predictions: per tag, micro, macro and samples averages,
/// subset accuracy and Hamming loss, with scikit-learn's definitions.
///
/// Zero division is defined as 0 everywhere (scikit-learn's `zero_division=0`, without warnings): a tag or paper
/// with nothing predicted has precision 0, with nothing true recall 0, and F1 is 0 when both sets are empty.
/// So a paper with no true and no predicted tag scores 0 in the samples averages, as in scikit-learn.
public struct ClassificationEvaluation: Codable, Equatable, Sendable {
    public var tags: [TagEvaluation]
    /// From the pooled counts of all tags.
    public var micro: AveragedScores
    /// Unweighted means over tags.
    public var macro: AveragedScores
    /// Means over papers of each paper's own precision, recall and F1.
    public var samples: AveragedScores
    /// Mean average precision over tags (nil without scores).
    public var macroAveragePrecision: Double?
    /// Share of papers whose predicted tag set is exactly the true one.
    public var subsetAccuracy: Double
    /// Share of wrong (paper, tag) decisions.
    public var hammingLoss: Double
    public var papers: Int
    /// Papers with no true and no predicted tag: right, yet 0 in the samples averages (zero division).
    public var emptyPapers: Int

    /// Evaluates `predicted[i][t]` against `truth[i][t]` (paper i, tag t in `tags` order); `scores[i][t]` adds the
    /// average precision per tag, `thresholds[t]` is recorded with each tag.
    public init(tags: [String], truth: [[Bool]], predicted: [[Bool]], scores: [[Float]]? = nil,
                thresholds: [Float]? = nil) throws {
        let counts = try MultiLabelMetrics(tags: tags, truth: truth, predicted: predicted)
        if let scores {
            guard scores.count == truth.count, scores.allSatisfy({ $0.count == tags.count }) else {
                throw EvaluationError.countMismatch("\(scores.count) score rows for \(truth.count) papers and \(tags.count) tags")
            }
        }
        if let thresholds, thresholds.count != tags.count {
            throw EvaluationError.countMismatch("\(thresholds.count) thresholds for \(tags.count) tags")
        }
        self.tags = counts.tags.enumerated().map { t, m in
            TagEvaluation(tag: m.tag, precision: m.precision, recall: m.recall, f1: m.f1, support: m.support,
                          predicted: m.predicted, truePositives: m.truePositives,
                          averagePrecision: scores.map { s in
                              PrecisionRecallCurve(scores: s.map { $0[t] }, truth: truth.map { $0[t] }).averagePrecision
                          },
                          threshold: thresholds?[t])
        }
        micro = AveragedScores(precision: counts.microPrecision, recall: counts.microRecall, f1: counts.microF1)
        macro = AveragedScores(precision: counts.macroPrecision, recall: counts.macroRecall, f1: counts.macroF1)
        var sp = 0.0, sr = 0.0, sf = 0.0, exact = 0, wrong = 0, empty = 0
        for (a, b) in zip(truth, predicted) {
            var tp = 0, p = 0, s = 0
            for t in 0..<tags.count {
                if a[t] { s += 1 }
                if b[t] { p += 1; if a[t] { tp += 1 } }
                if a[t] != b[t] { wrong += 1 }
            }
            let (pr, re, f) = MultiLabelMetrics.scores(truePositives: tp, predicted: p, support: s)
            sp += pr; sr += re; sf += f
            if a == b { exact += 1 }
            if p == 0 && s == 0 { empty += 1 }
        }
        let n = Double(max(truth.count, 1))
        samples = AveragedScores(precision: sp / n, recall: sr / n, f1: sf / n)
        subsetAccuracy = Double(exact) / n
        hammingLoss = Double(wrong) / Double(max(truth.count * tags.count, 1))
        macroAveragePrecision = scores == nil ? nil
            : self.tags.reduce(0.0) { $0 + ($1.averagePrecision ?? 0) } / Double(max(tags.count, 1))
        papers = truth.count
        emptyPapers = empty
    }
}
