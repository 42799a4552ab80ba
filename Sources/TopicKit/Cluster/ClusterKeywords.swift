#if canImport(Glibc)
import Glibc
#endif

/// Describes clusters by their characteristic terms and most central papers.
public enum ClusterKeywords {
    /// The `count` best terms of every cluster, scored by class-based TF-IDF (BERTopic's c-TF-IDF):
    /// `score(t, c) = tf(t, c) / Σₜ tf(·, c) × log(1 + A / f(t))`, where `tf(t, c)` sums the matrix values of
    /// term `t` over the cluster's papers, `A` is the average total per cluster and `f(t)` the term's total over
    /// all clusters. Pass raw counts for the classic definition; TF-IDF weights work the same way.
    /// Ties go to the lower term index; terms absent from a cluster are never listed.
    public static func topTerms(tfidf: SparseMatrix, assignments: [Int32], k: Int, vocabulary: [String],
                                count: Int = 10) throws -> [[(term: String, score: Float)]] {
        guard assignments.count == tfidf.rows else {
            throw ClusterError.sizeMismatch("\(assignments.count) cluster assignments for \(tfidf.rows) papers")
        }
        guard vocabulary.count == tfidf.columns else {
            throw ClusterError.sizeMismatch("a vocabulary of \(vocabulary.count) terms for a matrix of \(tfidf.columns) columns")
        }
        guard k >= 1 else { throw ClusterError.tooFewClusters(k: k, minimum: 1) }
        if let bad = assignments.first(where: { $0 < 0 || Int($0) >= k }) {
            throw ClusterError.invalidParameter("cluster assignment \(bad) is outside 0..<\(k)")
        }
        let terms = tfidf.columns
        var members = [[Int]](repeating: [], count: k)
        for (row, c) in assignments.enumerated() { members[Int(c)].append(row) }
        var termTotals = [Double](repeating: 0, count: terms)
        var grandTotal = 0.0
        for (p, v) in tfidf.values.enumerated() {
            termTotals[Int(tfidf.columnIndices[p])] += Double(v)
            grandTotal += Double(v)
        }
        let average = grandTotal / Double(k)
        let chunks = Parallel.chunks(count: k, minimumChunk: 1, maximumChunks: 64)
        let perChunk = Parallel.mapChunks(chunks) { range -> [[(term: String, score: Float)]] in
            var frequency = [Double](repeating: 0, count: terms)
            var touched = [Int]()
            var result: [[(term: String, score: Float)]] = []
            for cluster in range {
                touched.removeAll(keepingCapacity: true)
                var total = 0.0
                for row in members[cluster] {
                    for p in tfidf.rowPointers[row]..<tfidf.rowPointers[row + 1] {
                        let t = Int(tfidf.columnIndices[p])
                        if frequency[t] == 0 { touched.append(t) }
                        frequency[t] += Double(tfidf.values[p])
                        total += Double(tfidf.values[p])
                    }
                }
                // The best `count` kept in order while scanning (no sort of every term the cluster uses).
                var best: [(index: Int, score: Double)] = []
                best.reserveCapacity(max(0, count) + 1)
                if total > 0 && count > 0 {
                    for t in touched where frequency[t] > 0 && termTotals[t] > 0 {
                        let score = frequency[t] / total * log(1 + average / termTotals[t])
                        if best.count == count, let last = best.last, !Self.ranksBefore((t, score), last) { continue }
                        var slot = best.count
                        while slot > 0 && Self.ranksBefore((t, score), best[slot - 1]) { slot -= 1 }
                        best.insert((t, score), at: slot)
                        if best.count > count { best.removeLast() }
                    }
                }
                for t in touched { frequency[t] = 0 }
                result.append(best.map { (term: vocabulary[$0.index], score: Float($0.score)) })
            }
            return result
        }
        return perChunk.flatMap { $0 }
    }

    /// Keyword order: higher score first, then lower term index.
    private static func ranksBefore(_ a: (index: Int, score: Double), _ b: (index: Int, score: Double)) -> Bool {
        a.score != b.score ? a.score > b.score : a.index < b.index
    }

    /// The `count` papers (row indices) closest to each cluster's centroid, nearest first (ties: lower row).
    public static func centralPapers(assignments: [Int32], distances: [Float], k: Int, count: Int = 5) -> [[Int]] {
        var members = [[Int]](repeating: [], count: max(0, k))
        for (row, c) in assignments.enumerated() where c >= 0 && Int(c) < k { members[Int(c)].append(row) }
        return members.map { rows in
            Array(rows.sorted { distances[$0] != distances[$1] ? distances[$0] < distances[$1] : $0 < $1 }.prefix(max(0, count)))
        }
    }
}
