/// One operating point of a score threshold: papers scoring ≥ `threshold` are predicted positive.
public struct PrecisionRecallPoint: Codable, Equatable, Sendable {
    public var threshold: Float
    public var precision: Double
    public var recall: Double
}

/// The precision–recall curve of one tag's scores, as scikit-learn's `precision_recall_curve`: one point per
/// distinct score (highest first), and the average precision `Σₙ (Rₙ − Rₙ₋₁)·Pₙ` of `average_precision_score`.
///
/// Equal scores are one threshold (accepted together). Zero division is 0: with no positive paper the recall is
/// undefined and the average precision is 0; a threshold that accepts nothing has precision 0.
public struct PrecisionRecallCurve: Codable, Equatable, Sendable {
    /// Points by decreasing threshold (increasing recall).
    public var points: [PrecisionRecallPoint]
    /// Area under the step curve (scikit-learn's `average_precision_score`).
    public var averagePrecision: Double
    public var positives: Int

    /// The curve of `scores` against `truth` (same length; extra entries of the longer one are ignored).
    public init(scores: [Float], truth: [Bool]) {
        let n = min(scores.count, truth.count)
        let order = (0..<n).sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        let total = truth.prefix(n).reduce(0) { $0 + ($1 ? 1 : 0) }
        var points: [PrecisionRecallPoint] = []
        var ap = 0.0, previousRecall = 0.0
        var tp = 0, k = 0
        while k < n {
            var e = k
            while e < n && scores[order[e]] == scores[order[k]] {
                if truth[order[e]] { tp += 1 }
                e += 1
            }
            let precision = Double(tp) / Double(e)
            let recall = total > 0 ? Double(tp) / Double(total) : 0
            ap += (recall - previousRecall) * precision
            previousRecall = recall
            points.append(PrecisionRecallPoint(threshold: scores[order[k]], precision: precision, recall: recall))
            k = e
        }
        self.points = points
        self.averagePrecision = ap
        self.positives = total
    }

    /// Precision and recall when papers scoring ≥ `threshold` are positive (precision 0 when none is).
    public func point(at threshold: Float) -> PrecisionRecallPoint {
        guard let last = points.last(where: { $0.threshold >= threshold }) else {
            return PrecisionRecallPoint(threshold: threshold, precision: 0, recall: 0)
        }
        return PrecisionRecallPoint(threshold: threshold, precision: last.precision, recall: last.recall)
    }
}
