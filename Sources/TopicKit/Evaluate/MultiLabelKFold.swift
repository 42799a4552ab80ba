/// K-fold splits for multi-label data by iterative stratification (Sechidis, Tsoumakas & Vlahavas, 2011):
/// every fold gets close to its share of every tag, so a rare tag lands in every fold it can. Seeded.
public struct MultiLabelKFold: Sendable, Equatable {
    public let folds: Int
    public let seed: UInt64

    public init(folds: Int, seed: UInt64 = 0) throws {
        guard folds >= 2 else { throw EvaluationError.invalidFolds("need at least 2 folds, got \(folds)") }
        self.folds = folds
        self.seed = seed
    }

    /// The fold (0..<folds) of each example; `labels[i][t]` says whether example i has tag t.
    public func assign(_ labels: [[Bool]]) throws -> [Int] {
        let n = labels.count
        guard n >= folds else { throw EvaluationError.invalidFolds("\(n) examples cannot fill \(folds) folds") }
        let tagCount = labels.first?.count ?? 0
        var rng = SeededGenerator(seed: seed)
        // A seeded shuffle decides the order examples are taken in; ties between folds also go by the generator.
        var order = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) {
            let j = Int(rng.next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
        var wanted = [Double](repeating: Double(n) / Double(folds), count: folds)
        var wantedPerTag = (0..<tagCount).map { t in
            [Double](repeating: Double(labels.reduce(0) { $0 + ($1[t] ? 1 : 0) }) / Double(folds), count: folds)
        }
        var fold = [Int](repeating: -1, count: n)
        var remainingPerTag = (0..<tagCount).map { t in labels.reduce(0) { $0 + ($1[t] ? 1 : 0) } }

        func best(_ candidates: [Int], by key: (Int) -> Double) -> [Int] {
            let m = candidates.map(key).max() ?? 0
            return candidates.filter { key($0) == m }
        }
        func place(_ i: Int, _ f: Int) {
            fold[i] = f
            wanted[f] -= 1
            for t in 0..<tagCount where labels[i][t] {
                wantedPerTag[t][f] -= 1
                remainingPerTag[t] -= 1
            }
        }
        while true {
            // The tag with the fewest remaining examples (lowest index on ties).
            var tag = -1
            for t in 0..<tagCount where remainingPerTag[t] > 0 && (tag < 0 || remainingPerTag[t] < remainingPerTag[tag]) {
                tag = t
            }
            if tag < 0 { break }
            for i in order where fold[i] < 0 && labels[i][tag] {
                var c = best(Array(0..<folds)) { wantedPerTag[tag][$0] }
                if c.count > 1 { c = best(c) { wanted[$0] } }
                place(i, c.count > 1 ? c[Int(rng.next() % UInt64(c.count))] : c[0])
            }
        }
        for i in order where fold[i] < 0 {
            let c = best(Array(0..<folds)) { wanted[$0] }
            place(i, c.count > 1 ? c[Int(rng.next() % UInt64(c.count))] : c[0])
        }
        return fold
    }

    /// (train, test) row indices per fold, each sorted.
    public func splits(_ labels: [[Bool]]) throws -> [(train: [Int], test: [Int])] {
        let fold = try assign(labels)
        return (0..<folds).map { f in
            (fold.indices.filter { fold[$0] != f }, fold.indices.filter { fold[$0] == f })
        }
    }
}
