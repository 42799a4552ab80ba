#if canImport(Glibc)
import Glibc
#endif

/// Agreement between two labelings of the same items (label values are arbitrary; only the partition matters).
public enum ClusterAgreement {
    /// Normalized mutual information, arithmetic-mean normalisation (scikit-learn's default):
    /// `MI(a, b) / ((H(a) + H(b)) / 2)`. 1 for identical partitions, 0 for independent ones; two single-cluster
    /// labelings score 1, as in scikit-learn.
    public static func nmi(_ a: [Int], _ b: [Int]) throws -> Double {
        let table = try Contingency(a, b)
        if table.rowSums.count == table.columnSums.count && table.rowSums.count <= 1 { return 1 }
        let n = Double(a.count)
        func entropy(_ sums: [Int]) -> Double {
            sums.reduce(0.0) { h, s in s == 0 ? h : h - Double(s) / n * log(Double(s) / n) }
        }
        let ha = entropy(table.rowSums), hb = entropy(table.columnSums)
        var mi = 0.0
        // Fixed summation order: dictionary order changes from run to run.
        for (pair, count) in table.cells.sorted(by: { ($0.key.i, $0.key.j) < ($1.key.i, $1.key.j) }) {
            let (i, j) = (pair.i, pair.j)
            let p = Double(count) / n
            mi += p * log(Double(count) * n / (Double(table.rowSums[i]) * Double(table.columnSums[j])))
        }
        let denominator = (ha + hb) / 2
        guard denominator > 0, mi > 0 else { return 0 }
        return min(1, mi / denominator)
    }

    /// Adjusted Rand index (Hubert & Arabie 1985): 1 for identical partitions, about 0 for random ones,
    /// negative when worse than chance.
    public static func ari(_ a: [Int], _ b: [Int]) throws -> Double {
        let table = try Contingency(a, b)
        func pairs(_ x: Int) -> Double { Double(x) * Double(x - 1) / 2 }
        let index = table.cells.values.reduce(0.0) { $0 + pairs($1) }
        let rows = table.rowSums.reduce(0.0) { $0 + pairs($1) }
        let columns = table.columnSums.reduce(0.0) { $0 + pairs($1) }
        let total = pairs(a.count)
        guard total > 0 else { return 1 }
        let expected = rows * columns / total
        let maximum = (rows + columns) / 2
        if maximum == expected { return 1 }
        return (index - expected) / (maximum - expected)
    }

    /// Counts of co-occurring labels.
    private struct Contingency {
        var cells: [Pair: Int] = [:]
        var rowSums: [Int] = []
        var columnSums: [Int] = []

        struct Pair: Hashable { let i: Int, j: Int }

        init(_ a: [Int], _ b: [Int]) throws {
            guard a.count == b.count else {
                throw ClusterError.sizeMismatch("the two labelings have \(a.count) and \(b.count) items")
            }
            var ids: [Int: Int] = [:], jds: [Int: Int] = [:]
            for (x, y) in zip(a, b) {
                let i = ids[x] ?? { let v = ids.count; ids[x] = v; rowSums.append(0); return v }()
                let j = jds[y] ?? { let v = jds.count; jds[y] = v; columnSums.append(0); return v }()
                rowSums[i] += 1
                columnSums[j] += 1
                cells[Pair(i: i, j: j), default: 0] += 1
            }
        }
    }
}

