/// Precision, recall, F1 and support of one tag.
public struct TagMetrics: Codable, Equatable, Sendable {
    public var tag: String
    public var precision: Double
    public var recall: Double
    public var f1: Double
    /// Papers that truly have the tag.
    public var support: Int
    /// Papers predicted to have the tag.
    public var predicted: Int
    public var truePositives: Int
}

/// Multi-label classification metrics as scikit-learn's `precision_recall_fscore_support` and `f1_score`.
///
/// Zero division is defined as 0: a tag never predicted has precision 0, a tag with no true papers has
/// recall 0, and F1 is 0 when precision + recall is 0 (scikit-learn's `zero_division=0`).
public struct MultiLabelMetrics: Codable, Equatable, Sendable {
    public var tags: [TagMetrics]
    /// From the pooled counts of all tags.
    public var microPrecision: Double
    public var microRecall: Double
    public var microF1: Double
    /// Unweighted means over tags.
    public var macroPrecision: Double
    public var macroRecall: Double
    public var macroF1: Double
    /// Papers evaluated.
    public var samples: Int

    /// Metrics from `truth[i][t]` and `predicted[i][t]` (paper i, tag t in `tags` order).
    public init(tags: [String], truth: [[Bool]], predicted: [[Bool]]) throws {
        guard truth.count == predicted.count else {
            throw EvaluationError.countMismatch("\(truth.count) true label rows but \(predicted.count) predictions")
        }
        for (i, (a, b)) in zip(truth, predicted).enumerated() where a.count != tags.count || b.count != tags.count {
            throw EvaluationError.countMismatch("paper \(i) has \(a.count) true and \(b.count) predicted flags for \(tags.count) tags")
        }
        var perTag: [TagMetrics] = []
        var tp = 0, pp = 0, sup = 0
        for (t, name) in tags.enumerated() {
            var a = 0, p = 0, s = 0
            for i in 0..<truth.count {
                if truth[i][t] { s += 1 }
                if predicted[i][t] { p += 1; if truth[i][t] { a += 1 } }
            }
            let (pr, re, f) = MultiLabelMetrics.scores(truePositives: a, predicted: p, support: s)
            perTag.append(TagMetrics(tag: name, precision: pr, recall: re, f1: f, support: s, predicted: p, truePositives: a))
            tp += a; pp += p; sup += s
        }
        self.tags = perTag
        (microPrecision, microRecall, microF1) = MultiLabelMetrics.scores(truePositives: tp, predicted: pp, support: sup)
        let k = Double(max(perTag.count, 1))
        macroPrecision = perTag.reduce(0) { $0 + $1.precision } / k
        macroRecall = perTag.reduce(0) { $0 + $1.recall } / k
        macroF1 = perTag.reduce(0) { $0 + $1.f1 } / k
        samples = truth.count
    }

    /// Metrics from tag lists per paper; tags outside `tags` are ignored.
    public init(tags: [String], truth: [[String]], predicted: [[String]]) throws {
        let flags = { (row: [String]) in tags.map { row.contains($0) } }
        try self.init(tags: tags, truth: truth.map(flags), predicted: predicted.map(flags))
    }

    /// (precision, recall, F1) with zero division = 0.
    public static func scores(truePositives tp: Int, predicted: Int, support: Int) -> (Double, Double, Double) {
        let p = predicted > 0 ? Double(tp) / Double(predicted) : 0
        let r = support > 0 ? Double(tp) / Double(support) : 0
        let f = predicted + support > 0 ? 2 * Double(tp) / Double(predicted + support) : 0
        return (p, r, f)
    }
}

/// Errors of the evaluation stage.
public enum EvaluationError: Error, CustomStringConvertible, Equatable {
    case countMismatch(String)
    case invalidFolds(String)
    /// Nothing left to evaluate (no input paper has a label entry, or no paper has a cluster).
    case emptyEvaluationSet(String)
    /// The model and the labels have no tag in common.
    case noSharedTags(String)
    /// A cross-validation fold could not be trained.
    case foldFailed(fold: Int, reason: String)
    /// A tag too rare (or too common) for every training fold to see both classes.
    case tagTooRare(tag: String, papers: Int, total: Int)
    /// A cluster assignments file is malformed (file, line, what is wrong).
    case badClusterFile(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .countMismatch(let m): return "truth and predictions do not line up: \(m)"
        case .invalidFolds(let m): return "invalid cross-validation folds: \(m)"
        case .emptyEvaluationSet(let m): return "nothing to evaluate: \(m)"
        case .noSharedTags(let m): return "the model and the labels share no tag: \(m)"
        case .foldFailed(let f, let r): return "cross-validation fold \(f + 1) could not be trained: \(r)"
        case .badClusterFile(let p, let l, let r): return "\(p):\(l): \(r)"
        case .tagTooRare(let t, let n, let total):
            return "tag \"\(t)\" is on \(n) of \(total) papers: cross-validation needs at least 2 papers with and 2 without it "
                + "in the evaluated set (drop it with --min-label-count, or evaluate more papers)"
        }
    }
}
