/// Decision thresholds that maximise F1 on held-out scores.
public enum Thresholds {
    /// The threshold t maximising F1 of "score ≥ t" against `truth`: midway between the lowest accepted and the
    /// highest rejected score (ties in F1 go to the higher threshold). `fallback` when there is no positive.
    public static func bestF1(scores: [Float], truth: [Bool], fallback: Float = 0.5) -> (threshold: Float, f1: Double) {
        let positives = truth.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard positives > 0, !scores.isEmpty else { return (fallback, 0) }
        let order = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        var bestF1 = -1.0, bestEnd = 0
        var tp = 0, k = 0
        while k < order.count {
            // Equal scores are accepted together.
            var e = k
            while e < order.count && scores[order[e]] == scores[order[k]] {
                if truth[order[e]] { tp += 1 }
                e += 1
            }
            let f1 = 2 * Double(tp) / Double(e + positives)
            if f1 > bestF1 { bestF1 = f1; bestEnd = e }
            k = e
        }
        let lowestAccepted = scores[order[bestEnd - 1]]
        var threshold = lowestAccepted
        if bestEnd < order.count {
            let middle = (lowestAccepted + scores[order[bestEnd]]) / 2
            if middle > scores[order[bestEnd]] && middle <= lowestAccepted { threshold = middle }
        }
        return (threshold, bestF1)
    }
}

