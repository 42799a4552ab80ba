import XCTest
@testable import TopicKit
#if canImport(Glibc)
import Glibc
#endif

final class ClassifyTests: XCTestCase {
    func solve(_ dense: [Float], rows: Int, positive: [Bool], c: Double = 1, wPos: Double = 1, wNeg: Double = 1,
               tolerance: Double = 1e-6) -> LogisticRegression.Fit {
        let x = SparseMatrix(dense: dense, rows: rows, columns: dense.count / rows)
        return LogisticRegression(x: x, positive: positive, c: c, positiveWeight: wPos, negativeWeight: wNeg)
            .solve(tolerance: tolerance, maxIterations: 200)
    }

    /// ∇f at (w, b) in Double for f = ½‖w‖² + Σ cᵢ log(1 + exp(−yᵢ(w·xᵢ + b))).
    func gradient(_ dense: [Float], rows: Int, positive: [Bool], cost: [Double], fit: LogisticRegression.Fit) -> [Double] {
        let d = dense.count / rows
        var g = fit.weights.map(Double.init) + [0]
        for i in 0..<rows {
            var z = Double(fit.bias)
            for j in 0..<d { z += Double(dense[i * d + j]) * Double(fit.weights[j]) }
            let y = positive[i] ? 1.0 : -1.0
            let a = cost[i] * (1 / (1 + exp(-y * z)) - 1) * y
            for j in 0..<d { g[j] += a * Double(dense[i * d + j]) }
            g[d] += a
        }
        return g
    }

    func testOneDimensionalOptimumByHand() {
        // x = +1 (positive), x = −1 (negative), C = 1: by symmetry b = 0 and w solves w = 2σ(−w), w ≈ 0.67444.
        let fit = solve([1, -1], rows: 2, positive: [true, false])
        XCTAssertTrue(fit.converged)
        XCTAssertEqual(fit.bias, 0, accuracy: 1e-5)
        let w = Double(fit.weights[0])
        XCTAssertEqual(w, 2 / (1 + exp(w)), accuracy: 1e-5)
        XCTAssertEqual(w, 0.67444, accuracy: 1e-3)
    }

    func testGradientVanishesOnRandomNonSeparableProblem() {
        var g = SeededGenerator(seed: 7)
        let rows = 60, d = 5
        let dense = (0..<(rows * d)).map { _ in g.nextUnitFloat() < 0.5 ? 0 : g.nextGaussian() }
        let positive = (0..<rows).map { i in dense[i * d] + 0.5 * g.nextGaussian() > 0 }
        XCTAssertTrue(positive.contains(true) && positive.contains(false))
        let c = 3.0
        let fit = solve(dense, rows: rows, positive: positive, c: c, wPos: 2, wNeg: 0.5)
        XCTAssertTrue(fit.converged)
        let cost = positive.map { c * ($0 ? 2 : 0.5) }
        let grad = gradient(dense, rows: rows, positive: positive, cost: cost, fit: fit)
        for v in grad { XCTAssertEqual(v, 0, accuracy: 1e-3) }
    }

    func testSeparableProblemStaysFiniteAndSeparates() {
        let dense: [Float] = [2, 0, 1.5, 0.2, 0, 2, 0.1, 1.8]
        let positive = [true, true, false, false]
        let fit = solve(dense, rows: 4, positive: positive, c: 100)
        XCTAssertTrue(fit.weights.allSatisfy(\.isFinite))
        for i in 0..<4 {
            let z = fit.bias + dense[2 * i] * fit.weights[0] + dense[2 * i + 1] * fit.weights[1]
            XCTAssertEqual(z > 0, positive[i])
        }
        let grad = gradient(dense, rows: 4, positive: positive, cost: [Double](repeating: 100, count: 4), fit: fit)
        for v in grad { XCTAssertEqual(v, 0, accuracy: 1e-2) }
    }

    func testBalancedClassWeightsEqualRepeatedPositives() {
        // 1 positive, 3 negatives: balanced weights are 4/2 = 2 and 4/6 = 2/3, i.e. ratio 3 : 1 scaled by 2/3.
        // So the balanced fit equals the unweighted fit with the positive repeated 3 times and C · 2/3.
        let dense: [Float] = [1, 0.5, 0.2, 0.9, 0.3, 1, 0, 0.4]
        let balanced = Tagger.solve(SparseMatrix(dense: dense, rows: 4, columns: 2), positive: [true, false, false, false],
                                    options: TaggerOptions(c: 3, classWeight: .balanced), tolerance: 1e-9)
        let repeated = Tagger.solve(SparseMatrix(dense: [1, 0.5, 1, 0.5, 1, 0.5] + dense[2...], rows: 6, columns: 2),
                                    positive: [true, true, true, false, false, false],
                                    options: TaggerOptions(c: 2, classWeight: .none), tolerance: 1e-9)
        XCTAssertEqual(balanced.bias, repeated.bias, accuracy: 1e-4)
        XCTAssertEqual(balanced.weights[0], repeated.weights[0], accuracy: 1e-4)
        XCTAssertEqual(balanced.weights[1], repeated.weights[1], accuracy: 1e-4)
        let unweighted = Tagger.solve(SparseMatrix(dense: dense, rows: 4, columns: 2), positive: [true, false, false, false],
                                      options: TaggerOptions(c: 3, classWeight: .none), tolerance: 1e-9)
        XCTAssertGreaterThan(balanced.bias, unweighted.bias)
    }

    func testTagsSolvedTogetherEqualTagsSolvedAlone() {
        // 11 tags share 8 lanes (the last three take lanes freed by finished tags); each tag's fit must be
        // bit-identical to solving it on its own (lane 0).
        var g = SeededGenerator(seed: 5)
        let rows = 120, d = 15
        let dense = (0..<(rows * d)).map { _ in g.nextUnitFloat() < 0.7 ? 0 : g.nextUnitFloat() }
        let x = SparseMatrix(dense: dense, rows: rows, columns: d)
        let tasks = (0..<11).map { t in
            LogisticRegression.Task(positive: (0..<rows).map { i in dense[i * d + t] + 0.2 * g.nextGaussian() > 0.15 },
                                    positiveCost: 1 + Double(t), negativeCost: 0.5, tolerance: 1e-4)
        }
        let together = LogisticRegression.solve(x, tasks: tasks, maxIterations: 100)
        XCTAssertEqual(together.count, 11)
        for (t, task) in tasks.enumerated() {
            XCTAssertTrue(task.positive.contains(true) && task.positive.contains(false))
            let alone = LogisticRegression.solve(x, tasks: [task], maxIterations: 100)[0]
            XCTAssertTrue(alone.converged)
            XCTAssertEqual(alone.weights, together[t].weights)
            XCTAssertEqual(alone.bias, together[t].bias)
            XCTAssertEqual(alone.iterations, together[t].iterations)
        }
    }

    func testColumnsByFrequencyRenumberTheBlockedMatrix() {
        // Columns with clearly different densities; column 4 is empty, columns 1 and 6 tie.
        var g = SeededGenerator(seed: 17)
        let rows = 9000, d = 7
        let density: [Float] = [0.1, 0.5, 0.9, 0.3, 0, 0.7, 0.5]
        var dense = [Float](repeating: 0, count: rows * d)
        for i in 0..<rows { for j in 0..<d where g.nextUnitFloat() < density[j] { dense[i * d + j] = g.nextUnitFloat() + 0.5 } }
        for i in 0..<rows where dense[i * d + 6] != 0 && dense[i * d + 1] == 0 { dense[i * d + 6] = 0 }
        for i in 0..<rows where dense[i * d + 1] != 0 && dense[i * d + 6] == 0 { dense[i * d + 6] = 1 }
        let x = SparseMatrix(dense: dense, rows: rows, columns: d)
        let (order, rank) = BlockedSparseMatrix.columnsByFrequency(x)
        XCTAssertEqual(order, [2, 5, 1, 6, 3, 0, 4])
        for (k, c) in order.enumerated() { XCTAssertEqual(rank[Int(c)], Int32(k)) }

        var permuted = [Float](repeating: 0, count: rows * d)
        for i in 0..<rows { for j in 0..<d { permuted[i * d + Int(rank[j])] = dense[i * d + j] } }
        let want = BlockedSparseMatrix(SparseMatrix(dense: permuted, rows: rows, columns: d))
        let got = BlockedSparseMatrix(x, columnRank: rank)
        XCTAssertGreaterThan(got.blocks.count, 1)
        XCTAssertEqual(got.rows, want.rows)
        XCTAssertEqual(got.columns, want.columns)
        XCTAssertEqual(got.blocks.count, want.blocks.count)
        for (a, b) in zip(got.blocks, want.blocks) {
            XCTAssertEqual(a.firstRow, b.firstRow)
            XCTAssertEqual(a.rowCount, b.rowCount)
            XCTAssertEqual(a.columnIDs, b.columnIDs)
            XCTAssertEqual(a.pointers, b.pointers)
            XCTAssertEqual(a.rowOffsets, b.rowOffsets)
            XCTAssertEqual(a.values, b.values)
        }
    }

    func testWeightsComeBackInTheColumnsOwnOrder() {
        // The solver renumbers columns by frequency; permuting the columns of X must permute the weights alike.
        var g = SeededGenerator(seed: 23)
        let rows = 400, d = 12
        let dense = (0..<(rows * d)).map { k in g.nextUnitFloat() < 0.2 + 0.06 * Float(k % d) ? g.nextUnitFloat() : 0 }
        let positive = (0..<rows).map { i in dense[i * d] + dense[i * d + 5] - dense[i * d + 9] + 0.3 * g.nextGaussian() > 0.2 }
        let shift = (0..<d).map { ($0 * 5 + 3) % d }
        var moved = [Float](repeating: 0, count: rows * d)
        for i in 0..<rows { for j in 0..<d { moved[i * d + shift[j]] = dense[i * d + j] } }
        let fit = solve(dense, rows: rows, positive: positive, c: 4, tolerance: 1e-5)
        let movedFit = solve(moved, rows: rows, positive: positive, c: 4, tolerance: 1e-5)
        XCTAssertTrue(fit.converged && movedFit.converged)
        XCTAssertGreaterThan(fit.weights.map(abs).max()!, 0.5)
        for j in 0..<d { XCTAssertEqual(movedFit.weights[shift[j]], fit.weights[j], accuracy: 1e-4) }
        XCTAssertEqual(movedFit.bias, fit.bias, accuracy: 1e-4)
    }

    func testPairedLaneProductsEqualTheTwoOutputProduct() {
        // The solver's interleaved Xᵀ·a, (X∘X)ᵀ·b must be the two-output product bit for bit (rows 2j and 2j + 1).
        var g = SeededGenerator(seed: 31)
        let rows = 3000, d = 40
        let dense = (0..<(rows * d)).map { _ in g.nextUnitFloat() < 0.9 ? 0 : g.nextUnitFloat() + 0.1 }
        let xt = BlockedSparseMatrix(transposeOf: SparseMatrix(dense: dense, rows: rows, columns: d))
        let a = LaneTable(count: rows), b = LaneTable(count: rows)
        for i in 0..<rows {
            for t in 0..<8 { a.base[i][t] = g.nextGaussian(); b.base[i][t] = g.nextUnitFloat() }
        }
        let plain = LaneTable(count: d), squared = LaneTable(count: d), pairs = LaneTable(count: 2 * d)
        for j in 0..<(2 * d) { pairs.base[j] = Lanes(repeating: 9) }
        xt.multiplyLanes(a.base, into: plain.base, squared: b.base, into: squared.base)
        xt.multiplyLanes(a.base, squared: b.base, intoPairs: pairs.base)
        XCTAssertEqual(Int(bitPattern: pairs.base) % 64, 0)
        for j in 0..<d {
            XCTAssertEqual(pairs.base[2 * j], plain.base[j])
            XCTAssertEqual(pairs.base[2 * j + 1], squared.base[j])
        }
        var column = 0.0
        for i in 0..<rows { column += Double(dense[i * d + 3] * dense[i * d + 3] * b.base[i][5]) }
        XCTAssertEqual(Double(squared.base[3][5]), column, accuracy: 1e-3 * max(1, abs(column)))
    }

    func testThresholdMaximisesF1() {
        // Accepting the top 4 gives tp 3 of 3 positives with 4 predicted: F1 = 6/7, the best cut; midway to 0.3.
        let best = Thresholds.bestF1(scores: [0.9, 0.8, 0.7, 0.6, 0.3], truth: [true, false, true, true, false])
        XCTAssertEqual(best.threshold, 0.45, accuracy: 1e-6)
        XCTAssertEqual(best.f1, 6.0 / 7, accuracy: 1e-12)
        // Order of the input does not matter; ties are accepted together.
        let tied = Thresholds.bestF1(scores: [0.2, 0.5, 0.5, 0.9], truth: [false, true, false, true])
        // Cuts: {0.9} F1 2/3, {0.9, 0.5, 0.5} F1 4/5, all F1 4/6 → midway between 0.5 and 0.2.
        XCTAssertEqual(tied.threshold, 0.35, accuracy: 1e-6)
        XCTAssertEqual(tied.f1, 0.8, accuracy: 1e-12)
        XCTAssertEqual(Thresholds.bestF1(scores: [0.1, 0.2], truth: [false, false], fallback: 0.4).threshold, 0.4)
    }

    func testImplicationsLearnedFromData() {
        let tags = ["a", "b", "c"]
        let truth = [[true, true, false], [true, true, true], [false, true, false], [false, false, true],
                     [true, true, false], [true, true, false], [true, true, false]]
        let rules = TagImplication.learn(tags: tags, truth: truth, minimumSupport: 5)
        XCTAssertEqual(rules, [TagImplication(premise: "a", conclusion: "b")])
        XCTAssertEqual(TagImplication.learn(tags: tags, truth: truth, minimumSupport: 6), [])
        var flags = [true, false, false]
        TagImplication.apply([(0, 1), (1, 2)], to: &flags)
        XCTAssertEqual(flags, [true, true, true])
    }

    // MARK: - Tagger on a small synthetic corpus

    /// Papers about search (tag "nas"), attention ("transformers"), caches ("kv-cache" ⇒ "transformers") or other things.
    func corpus(_ count: Int, seed: UInt64) -> ([Paper], [[String]]) {
        var g = SeededGenerator(seed: seed)
        let filler = (0..<150).map { "filler\($0)" }
        func pick(_ words: [String], _ n: Int) -> [String] { (0..<n).map { _ in words[Int(g.next() % UInt64(words.count))] } }
        var papers: [Paper] = [], labels: [[String]] = []
        for i in 0..<count {
            var tags: [String] = []
            var words = pick(filler, 30)
            let r = g.nextUnitFloat()
            if r < 0.25 { tags.append("nas"); words += pick(["architecture search", "supernet", "search space", "evolutionary"], 3) }
            if r > 0.5 { tags.append("transformers"); words += pick(["attention", "transformer", "self-attention", "heads"], 3) }
            if r > 0.85 { tags.append("kv-cache"); words += pick(["cache eviction", "key value cache", "kv cache"], 3) }
            words.shuffle(using: &g)
            papers.append(Paper(id: "p\(i)", title: pick(filler, 4).joined(separator: " "), abstract: words.joined(separator: " ")))
            labels.append(tags)
        }
        return (papers, labels)
    }

    func testTaggerLearnsSyntheticTagsAndExplains() throws {
        let (papers, labels) = corpus(150, seed: 1)
        let (tagger, report) = try Tagger.train(papers: papers, labels: labels, options: TaggerOptions(cvFolds: 3))
        XCTAssertEqual(tagger.tags, ["kv-cache", "nas", "transformers"])
        XCTAssertEqual(report.folds, 3)
        XCTAssertTrue(report.learnedImplications.contains(TagImplication(premise: "kv-cache", conclusion: "transformers")))
        XCTAssertGreaterThan(report.crossValidation!.microF1, 0.9)
        XCTAssertEqual(tagger.weights.count, tagger.vectorizer.featureCount * 3)
        let (test, truth) = corpus(60, seed: 2)
        let predicted = tagger.predict(test)
        let m = try MultiLabelMetrics(tags: tagger.tags, truth: truth, predicted: predicted.map(\.tags))
        XCTAssertGreaterThan(m.microF1, 0.9)
        XCTAssertTrue(predicted.allSatisfy { $0.scores.allSatisfy { $0 >= 0 && $0 <= 1 } })
        let nasPaper = test[truth.firstIndex { $0.contains("nas") }!]
        let top = try tagger.explain(nasPaper, tag: "nas", count: 3)
        XCTAssertEqual(top.count, 3)
        XCTAssertTrue(["architecture", "search", "supernet", "evolutionary", "space", "search space", "architecture search"]
                        .contains(top[0].term), "\(top)")
        XCTAssertGreaterThanOrEqual(top[0].weight, top[1].weight)
        XCTAssertThrowsError(try tagger.explain(nasPaper, tag: "nope", count: 3))
        // Everything predicted with a 0 threshold; rebuilt from its parts it predicts the same.
        XCTAssertTrue(tagger.predict(Array(test.prefix(3)), threshold: 0).allSatisfy { $0.tags.count == 3 })
        let rebuilt = try Tagger(tags: tagger.tags, vectorizer: tagger.vectorizer, weights: tagger.weights, biases: tagger.biases,
                                 thresholds: tagger.thresholds, implications: tagger.implications, options: tagger.options)
        XCTAssertEqual(rebuilt.predict(test), predicted)
        XCTAssertThrowsError(try Tagger(tags: tagger.tags, vectorizer: tagger.vectorizer, weights: [1], biases: tagger.biases,
                                        thresholds: tagger.thresholds))
    }

    func testTrainingIsDeterministicForAnyThreadCount() throws {
        let (papers, labels) = corpus(90, seed: 4)
        let options = TaggerOptions(cvFolds: 3, seed: 5)
        setenv("TOPICKIT_THREADS", "1", 1)
        let (a, ra) = try Tagger.train(papers: papers, labels: labels, options: options)
        setenv("TOPICKIT_THREADS", "2", 1)
        let (b, rb) = try Tagger.train(papers: papers, labels: labels, options: options)
        unsetenv("TOPICKIT_THREADS")
        XCTAssertEqual(a.weights, b.weights)
        XCTAssertEqual(a.biases, b.biases)
        XCTAssertEqual(a.thresholds, b.thresholds)
        XCTAssertEqual(ra, rb)
        XCTAssertFalse(a.weights.allSatisfy { $0 == 0 })
    }

    func testTrainingErrors() {
        XCTAssertThrowsError(try Tagger.train(papers: [], labels: [])) { XCTAssertEqual($0 as? ClassifyError, .emptyTrainingSet) }
        let (papers, labels) = corpus(20, seed: 3)
        XCTAssertThrowsError(try Tagger.train(papers: papers, labels: Array(labels.dropLast()))) {
            XCTAssertEqual($0 as? ClassifyError, .countMismatch(papers: 20, labels: 19))
        }
        XCTAssertThrowsError(try Tagger.train(papers: papers, labels: labels, tags: ["nas", "compression"])) {
            XCTAssertEqual($0 as? ClassifyError, .noPositiveExample(tag: "compression"))
            XCTAssertTrue("\($0)".contains("compression"))
        }
        XCTAssertThrowsError(try Tagger.train(papers: papers, labels: labels.map { _ in ["x"] })) {
            XCTAssertEqual($0 as? ClassifyError, .noNegativeExample(tag: "x"))
        }
        XCTAssertThrowsError(try Tagger.train(papers: papers, labels: labels, options: TaggerOptions(c: 0)))
    }
}
