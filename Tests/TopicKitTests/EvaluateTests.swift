import Foundation
import XCTest
@testable import TopicKit

final class EvaluateTests: XCTestCase {
    /// scikit-learn's f1_score docstring: y_true = [0, 1, 2, 0, 1, 2], y_pred = [0, 2, 1, 0, 0, 1] gives
    /// per class [0.8, 0, 0], macro 0.2666…, micro 0.3333… (one-hot rows are the multi-label form).
    func testScikitLearnF1Example() throws {
        let yTrue = [0, 1, 2, 0, 1, 2], yPred = [0, 2, 1, 0, 0, 1]
        let oneHot = { (c: Int) in (0..<3).map { $0 == c } }
        let m = try MultiLabelMetrics(tags: ["a", "b", "c"], truth: yTrue.map(oneHot), predicted: yPred.map(oneHot))
        XCTAssertEqual(m.tags.map(\.f1), [0.8, 0, 0], accuracy: 1e-12)
        XCTAssertEqual(m.macroF1, 0.8 / 3, accuracy: 1e-12)
        XCTAssertEqual(m.microF1, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(m.tags[0].precision, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(m.tags[0].recall, 1, accuracy: 1e-12)
        XCTAssertEqual(m.tags.map(\.support), [2, 2, 2])
    }

    func testMultiLabelCountsAndZeroDivision() throws {
        // tag x: tp 1, predicted 2, support 2 → p 0.5, r 0.5, f1 0.5; tag y: never true, never predicted → all 0;
        // tag z: predicted once wrongly, never true → precision 0, recall 0.
        let truth = [["x"], ["x"], []]
        let predicted = [["x", "z"], [], ["x"]]
        let m = try MultiLabelMetrics(tags: ["x", "y", "z"], truth: truth, predicted: predicted)
        XCTAssertEqual(m.tags[0].precision, 0.5)
        XCTAssertEqual(m.tags[0].recall, 0.5)
        XCTAssertEqual(m.tags[0].f1, 0.5)
        XCTAssertEqual(m.tags[1].f1, 0)
        XCTAssertEqual(m.tags[1].precision, 0)
        XCTAssertEqual(m.tags[2].precision, 0)
        XCTAssertEqual(m.tags[2].predicted, 1)
        // micro: tp 1, predicted 3, support 2 → p 1/3, r 1/2, f1 2/5
        XCTAssertEqual(m.microPrecision, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(m.microRecall, 0.5, accuracy: 1e-12)
        XCTAssertEqual(m.microF1, 0.4, accuracy: 1e-12)
        XCTAssertEqual(m.macroF1, 0.5 / 3, accuracy: 1e-12)
        XCTAssertThrowsError(try MultiLabelMetrics(tags: ["x"], truth: [["x"]], predicted: []))
        XCTAssertThrowsError(try MultiLabelMetrics(tags: ["x"], truth: [[true]], predicted: [[true, false]]))
    }

    func testIterativeStratificationPutsRareTagInEveryFold() throws {
        // 100 papers: tag 0 on 5 of them, tag 1 on 20, tag 2 on 50 (overlapping).
        let labels = (0..<100).map { i in [i % 20 == 3, i % 5 == 1 || i % 20 == 3, i % 2 == 1] }
        let kfold = try MultiLabelKFold(folds: 5, seed: 9)
        let fold = try kfold.assign(labels)
        for f in 0..<5 {
            let members = fold.indices.filter { fold[$0] == f }
            XCTAssertEqual(members.count, 20)
            XCTAssertEqual(members.filter { labels[$0][0] }.count, 1, "fold \(f) rare tag")
            XCTAssertEqual(members.filter { labels[$0][1] }.count, 5, "fold \(f) tag 1")
            XCTAssertEqual(members.filter { labels[$0][2] }.count, 10, "fold \(f) tag 2")
        }
        XCTAssertEqual(try kfold.assign(labels), fold)
        XCTAssertNotEqual(try MultiLabelKFold(folds: 5, seed: 10).assign(labels), fold)
        let splits = try kfold.splits(labels)
        XCTAssertEqual(Set(splits.flatMap(\.test)), Set(0..<100))
        XCTAssertTrue(splits.allSatisfy { Set($0.train).isDisjoint(with: $0.test) && $0.train.count == 80 })
        XCTAssertThrowsError(try MultiLabelKFold(folds: 1))
        XCTAssertThrowsError(try MultiLabelKFold(folds: 5).assign([[true], [false]]))
    }

    // MARK: - Full classification report

    /// scikit-learn 1.9.1 on a fixed 10-paper, 3-tag example (threshold 0.5):
    /// ```python
    /// import numpy as np
    /// from sklearn.metrics import *
    /// y = np.array([[1,0,1],[0,0,0],[1,1,0],[0,1,1],[1,0,0],[0,0,1],[1,1,1],[0,0,0],[0,1,0],[1,0,1]])
    /// s = np.array([[.9,.2,.7],[.1,.4,.3],[.8,.6,.2],[.3,.7,.9],[.6,.1,.5],[.6,.3,.4],[.7,.8,.8],[.2,.5,.1],[.4,.3,.2],[.9,.1,.6]])
    /// p = (s >= 0.5).astype(int)
    /// precision_recall_fscore_support(y, p, zero_division=0)
    /// for a in ["micro", "macro", "samples"]:
    ///     precision_score(y, p, average=a, zero_division=0), recall_score(...), f1_score(...)
    /// [average_precision_score(y[:, t], s[:, t]) for t in range(3)]
    /// accuracy_score(y, p), hamming_loss(y, p)
    /// ```
    func testClassificationEvaluationMatchesScikitLearn() throws {
        let y: [[Bool]] = [[1,0,1],[0,0,0],[1,1,0],[0,1,1],[1,0,0],[0,0,1],[1,1,1],[0,0,0],[0,1,0],[1,0,1]].map { $0.map { $0 == 1 } }
        let s: [[Float]] = [[0.9,0.2,0.7],[0.1,0.4,0.3],[0.8,0.6,0.2],[0.3,0.7,0.9],[0.6,0.1,0.5],[0.6,0.3,0.4],
                            [0.7,0.8,0.8],[0.2,0.5,0.1],[0.4,0.3,0.2],[0.9,0.1,0.6]]
        let p = s.map { $0.map { $0 >= 0.5 } }
        let e = try ClassificationEvaluation(tags: ["a", "b", "c"], truth: y, predicted: p, scores: s, thresholds: [0.5, 0.5, 0.5])
        XCTAssertEqual(e.tags.map(\.precision), [0.8333333333333334, 0.75, 0.8], accuracy: 1e-12)
        XCTAssertEqual(e.tags.map(\.recall), [1.0, 0.75, 0.8], accuracy: 1e-12)
        XCTAssertEqual(e.tags.map(\.f1), [0.9090909090909091, 0.75, 0.8], accuracy: 1e-12)
        XCTAssertEqual(e.tags.map(\.support), [5, 4, 5])
        XCTAssertEqual([e.micro.precision, e.micro.recall, e.micro.f1], [0.8, 0.8571428571428571, 0.8275862068965517], accuracy: 1e-12)
        XCTAssertEqual([e.macro.precision, e.macro.recall, e.macro.f1], [0.7944444444444446, 0.85, 0.8196969696969697], accuracy: 1e-12)
        XCTAssertEqual([e.samples.precision, e.samples.recall, e.samples.f1], [0.55, 0.6, 0.5666666666666667], accuracy: 1e-12)
        XCTAssertEqual(e.tags.map { $0.averagePrecision ?? -1 }, [0.9666666666666667, 0.8928571428571428, 0.9666666666666668], accuracy: 1e-9)
        XCTAssertEqual(e.subsetAccuracy, 0.6, accuracy: 1e-12)
        XCTAssertEqual(e.hammingLoss, 0.16666666666666666, accuracy: 1e-12)
        XCTAssertEqual(e.macroAveragePrecision ?? -1, (0.9666666666666667 + 0.8928571428571428 + 0.9666666666666668) / 3, accuracy: 1e-9)
        XCTAssertEqual(e.tags.map(\.threshold), [0.5, 0.5, 0.5])
        XCTAssertThrowsError(try ClassificationEvaluation(tags: ["a", "b", "c"], truth: y, predicted: p, scores: [[0.1]]))
        XCTAssertThrowsError(try ClassificationEvaluation(tags: ["a", "b", "c"], truth: y, predicted: p, thresholds: [0.5]))
    }

    /// By hand: scores 0.9 (+), 0.8 (−), 0.7 (+), 0.6 (−): the points are (P 1, R ½), (½, ½), (⅔, 1), (½, 1) and
    /// AP = ½·1 + 0·½ + ½·⅔ + 0·½ = ⅚. Tied scores form one threshold; no positive gives AP 0.
    func testPrecisionRecallCurveByHand() {
        let c = PrecisionRecallCurve(scores: [0.7, 0.9, 0.6, 0.8], truth: [true, true, false, false])
        XCTAssertEqual(c.points.map(\.threshold), [0.9, 0.8, 0.7, 0.6])
        XCTAssertEqual(c.points.map(\.precision), [1, 0.5, 2.0 / 3, 0.5], accuracy: 1e-12)
        XCTAssertEqual(c.points.map(\.recall), [0.5, 0.5, 1, 1], accuracy: 1e-12)
        XCTAssertEqual(c.averagePrecision, 5.0 / 6, accuracy: 1e-12)
        XCTAssertEqual(c.point(at: 0.75).precision, 0.5, accuracy: 1e-12)
        XCTAssertEqual(c.point(at: 0.65).recall, 1, accuracy: 1e-12)
        XCTAssertEqual(c.point(at: 0.95).precision, 0)
        let tied = PrecisionRecallCurve(scores: [0.5, 0.5], truth: [true, false])
        XCTAssertEqual(tied.points.count, 1)
        XCTAssertEqual(tied.averagePrecision, 0.5, accuracy: 1e-12)
        XCTAssertEqual(PrecisionRecallCurve(scores: [0.3, 0.2], truth: [false, false]).averagePrecision, 0)
        XCTAssertEqual(PrecisionRecallCurve(scores: [], truth: []).points.count, 0)
    }

    /// By hand: paper 1 exact, paper 2 has tag y wrongly, paper 3 has no true and no predicted tag (scores 0 in
    /// the samples averages), paper 4 misses x. Hamming loss 2 wrong of 8; subset accuracy 2 of 4.
    func testSamplesAveragesSubsetAccuracyAndHammingLossByHand() throws {
        let truth = [[true, false], [true, false], [false, false], [true, true]]
        let predicted = [[true, false], [true, true], [false, false], [false, true]]
        let e = try ClassificationEvaluation(tags: ["x", "y"], truth: truth, predicted: predicted)
        // per paper precision 1, ½, 0, 1; recall 1, 1, 0, ½; F1 1, ⅔, 0, ⅔
        XCTAssertEqual(e.samples.precision, 2.5 / 4, accuracy: 1e-12)
        XCTAssertEqual(e.samples.recall, 2.5 / 4, accuracy: 1e-12)
        XCTAssertEqual(e.samples.f1, (1 + 2.0 / 3 + 0 + 2.0 / 3) / 4, accuracy: 1e-12)
        XCTAssertEqual(e.subsetAccuracy, 0.5)
        XCTAssertEqual(e.hammingLoss, 0.25)
        XCTAssertEqual(e.emptyPapers, 1)
        XCTAssertNil(e.macroAveragePrecision)
        XCTAssertNil(e.tags[0].averagePrecision)
    }

    func testMeanStdIsPopulationSpread() {
        let m = MeanStd([1, 2, 3, 4])
        XCTAssertEqual(m.mean, 2.5)
        XCTAssertEqual(m.std, 1.25.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(MeanStd([0.7]).std, 0)
    }

    func testTagAlignmentReportsBothSides() {
        let a = TagAlignment(modelTags: ["nas", "kv-cache", "old"], labelTags: ["kv-cache", "nas", "new", "alpha"])
        XCTAssertEqual(a.shared, ["nas", "kv-cache"])
        XCTAssertEqual(a.missingInModel, ["alpha", "new"])
        XCTAssertEqual(a.missingInLabels, ["old"])
        XCTAssertFalse(a.isExact)
        XCTAssertTrue(a.note.contains("alpha, new") && a.note.contains("old") && a.note.contains("2 shared tags"), a.note)
        XCTAssertTrue(TagAlignment(modelTags: ["a"], labelTags: ["a"]).isExact)
        XCTAssertEqual(TagAlignment(modelTags: ["a"], labelTags: ["a"]).note, "")
    }

    /// NMI and ARI from scikit-learn (`normalized_mutual_info_score(b, a)`, `adjusted_rand_score(b, a)` with
    /// a = [0,0,1,1,1,2,2,2,2,0], b = [0,0,0,1,1,1,2,2,2,2] → 0.44270128334605, 0.20454545454545456);
    /// purity by hand: cluster 0 {0,0,2} → 2, cluster 1 {0,1,1} → 2, cluster 2 {1,2,2,2} → 3: 7/10.
    func testClusterAgreementWithTagSets() throws {
        let clusters = [0, 0, 1, 1, 1, 2, 2, 2, 2, 0]
        let tagSets: [[String]] = [[], [], [], ["x"], ["x"], ["x"], ["x", "y"], ["y", "x"], ["x", "y"], ["x", "y"]]
        let e = try ClusterEvaluation(source: "test", assignments: clusters, labels: tagSets, tags: ["x", "y"],
                                      keywords: [2: ["k"]])
        XCTAssertEqual(e.nmi, 0.44270128334605, accuracy: 1e-12)
        XCTAssertEqual(e.ari, 0.20454545454545456, accuracy: 1e-12)
        XCTAssertEqual(e.purity, 0.7, accuracy: 1e-12)
        XCTAssertEqual(e.clusters.map(\.size), [3, 3, 4])
        XCTAssertEqual(e.clusters.map(\.majorityLabel), ["-", "x", "x+y"])
        XCTAssertEqual(e.clusters[2].majorityShare, 0.75)
        XCTAssertEqual(e.clusters[2].tagCounts, [4, 3])
        XCTAssertEqual(e.clusters[2].keywords, ["k"])
        XCTAssertNil(e.silhouette)
        XCTAssertThrowsError(try ClusterEvaluation(source: "t", assignments: [], labels: [], tags: ["x"]))
        XCTAssertThrowsError(try ClusterEvaluation(source: "t", assignments: [0], labels: [[], []], tags: ["x"]))
    }

    func testClusterSilhouetteAndMapFromEmbedding() throws {
        // Two tight groups on the unit circle: silhouette near 1, map = first two coordinates.
        let rows: [[Float]] = [[1, 0], [0.995, 0.0998], [0, 1], [0.0998, 0.995]]
        let x = DenseMatrix(rows: 4, columns: 2, values: rows.flatMap { $0 })
        let e = try ClusterEvaluation(source: "t", assignments: [0, 0, 1, 1], labels: [["a"], ["a"], [], []], tags: ["a"],
                                      embedding: x, sampleSize: 10)
        XCTAssertGreaterThan(e.silhouette ?? 0, 0.9)
        XCTAssertEqual(e.silhouetteSample, 4)
        XCTAssertEqual(e.map.count, 4)
        XCTAssertEqual(e.map[2].y, 1)
        XCTAssertEqual(e.purity, 1)
        XCTAssertEqual(e.nmi, 1, accuracy: 1e-12)
    }

    func testTextTableAlignsPlainAndMarkdown() {
        var t = TextTable(header: ["tag", "f1"], rows: [["a|b", "0.5"], ["long tag", "1.000"]], numericColumns: [1])
        XCTAssertEqual(t.plain, "tag          f1\na|b         0.5\nlong tag  1.000")
        t.addSeparator()
        t.rows.append(["x", "1"])
        XCTAssertEqual(t.markdown, """
            | tag      |    f1 |
            | -------- | ----: |
            | a\\|b     |   0.5 |
            | long tag | 1.000 |
            | x        |     1 |
            """)
    }

    // MARK: - Cross-validation and errors on a synthetic corpus

    /// 60 papers: "alpha" papers mention lattice words, "beta" papers mention pruning words, some both, some none.
    private func syntheticCorpus() -> (papers: [Paper], labels: [[String]]) {
        var rng = SeededGenerator(seed: 3)
        let filler = ["data", "model", "study", "method", "results", "analysis", "system", "approach", "network", "learning"]
        var papers: [Paper] = [], labels: [[String]] = []
        for i in 0..<60 {
            let alpha = i % 3 == 0, beta = i % 4 == 1 || i % 12 == 0
            var words = (0..<12).map { _ in filler[Int(rng.next() % UInt64(filler.count))] }
            if alpha { words += ["lattice", "crystal", "lattice"] }
            if beta { words += ["pruning", "sparse", "pruning"] }
            if i % 10 == 7 { words.append(alpha ? "pruning" : "lattice") }
            papers.append(Paper(id: "p\(i)", title: "paper \(i) " + words.prefix(3).joined(separator: " "),
                                abstract: words.joined(separator: " ")))
            labels.append((alpha ? ["alpha"] : []) + (beta ? ["beta"] : []))
        }
        return (papers, labels)
    }

    func testCrossValidationIsOutOfFoldAndDeterministic() throws {
        let (papers, labels) = syntheticCorpus()
        let options = TaggerOptions(cvFolds: 2, seed: 5)
        let cv = try TaggerCrossValidation(folds: 3, seed: 7)
        let a = try cv.run(papers: papers, labels: labels, options: options)
        let b = try cv.run(papers: papers, labels: labels, options: options)
        XCTAssertEqual(a.outOfFold.scores, b.outOfFold.scores)
        XCTAssertEqual(a.summary, b.summary)
        XCTAssertEqual(a.outOfFold.tags, ["alpha", "beta"])
        XCTAssertEqual(a.foldEvaluations.count, 3)
        XCTAssertEqual(a.foldEvaluations.reduce(0) { $0 + $1.papers }, 60)
        XCTAssertEqual(a.outOfFold.scoredBy, a.foldOfPaper)
        XCTAssertEqual(a.outOfFold.taggers.count, 3)
        // The folds are the iterative-stratification folds of the same seed.
        let truth = labels.map { row in ["alpha", "beta"].map { row.contains($0) } }
        XCTAssertEqual(a.foldOfPaper, try MultiLabelKFold(folds: 3, seed: 7).assign(truth))
        // Each paper's score comes from the tagger that never saw it: rescoring with that tagger reproduces it.
        for i in [0, 13, 59] {
            let tagger = a.outOfFold.taggers[a.foldOfPaper[i]]
            XCTAssertEqual(tagger.scores([papers[i]])[0], a.outOfFold.scores[i])
        }
        // The summary is the mean of the per-fold numbers; the words make the tags learnable.
        XCTAssertEqual(a.summary.microF1.mean, a.foldEvaluations.reduce(0) { $0 + $1.micro.f1 } / 3, accuracy: 1e-12)
        let pooled = try a.outOfFold.evaluation()
        XCTAssertGreaterThan(pooled.tags[0].averagePrecision ?? 0, 0.9)
        XCTAssertGreaterThan(pooled.micro.f1, 0.8)
        XCTAssertThrowsError(try TaggerCrossValidation(folds: 1))
        XCTAssertThrowsError(try cv.run(papers: [], labels: [], options: options))
        // A tag with a single paper cannot be trained in the fold that holds it out: refused up front.
        var rare = labels
        rare[4].append("gamma")
        XCTAssertThrowsError(try cv.run(papers: papers, labels: rare, options: options)) { error in
            XCTAssertEqual(error as? EvaluationError, .tagTooRare(tag: "gamma", papers: 1, total: 60))
        }
    }

    func testWorstMistakesAreOrderedAndExplained() throws {
        let (papers, labels) = syntheticCorpus()
        let (tagger, _) = try Tagger.train(papers: papers, labels: labels, options: TaggerOptions(cvFolds: 0))
        // Evaluate against flipped labels for alpha so there are errors on both sides.
        var wrong = labels
        wrong[0] = wrong[0].filter { $0 != "alpha" }   // a true alpha paper now counts as a false positive
        wrong[1].append("alpha")                         // a non-alpha paper now counts as a false negative
        let alignment = TagAlignment(modelTags: tagger.tags, labelTags: ["alpha", "beta", "gamma"])
        let scored = try ScoredPapers(tagger: tagger, papers: papers, labels: wrong, alignment: alignment)
        XCTAssertEqual(scored.tags, ["alpha", "beta"])
        let mistakes = try scored.worstMistakes(count: 2, terms: 3)
        let alpha = try XCTUnwrap(mistakes.first { $0.tag == "alpha" })
        XCTAssertEqual(alpha.falsePositives.map(\.id), ["p0"])
        XCTAssertEqual(alpha.falseNegatives.map(\.id), ["p1"])
        XCTAssertTrue(alpha.falsePositives[0].terms.contains { $0.term == "lattice" }, "\(alpha.falsePositives[0].terms)")
        XCTAssertTrue(alpha.falsePositives[0].terms.allSatisfy { $0.weight > 0 })
        XCTAssertTrue(alpha.falseNegatives[0].terms.allSatisfy { $0.weight < 0 })
        XCTAssertLessThanOrEqual(alpha.falsePositives[0].terms.count, 3)
        XCTAssertEqual(scored.cooccurrence[0][0], wrong.filter { $0.contains("alpha") }.count)
        XCTAssertThrowsError(try ScoredPapers(tagger: tagger, papers: [], labels: [], alignment: alignment))
        XCTAssertThrowsError(try ScoredPapers(tagger: tagger, papers: papers, labels: labels,
                                              alignment: TagAlignment(modelTags: tagger.tags, labelTags: ["zeta"])))
    }

    func testReportRendersJSONAndMarkdown() throws {
        let (papers, labels) = syntheticCorpus()
        let (tagger, _) = try Tagger.train(papers: papers, labels: labels, options: TaggerOptions(cvFolds: 0))
        let table = LabelTable(entries: zip(papers, labels).map { LabelEntry(title: $0.title, tags: $1) }
                               + [LabelEntry(title: "a paper nobody has", tags: ["alpha"])])
        let corpus = LabeledCorpus(papers: papers, table: table)
        var report = try EvaluationReport(corpus: corpus, labelTags: ["alpha", "beta"], inputs: ["x.txt"], labelsPath: "l.tsv")
        XCTAssertEqual(report.warnings.count, 1)
        XCTAssertEqual(report.cooccurrence[0][1], labels.filter { $0.contains("alpha") && $0.contains("beta") }.count)
        let alignment = TagAlignment(modelTags: tagger.tags, labelTags: ["alpha", "beta"])
        let scored = try ScoredPapers(tagger: tagger, papers: corpus.papers, labels: corpus.labels, alignment: alignment)
        report.add(try ModelEvaluation(name: "m1", alignment: alignment, scored: scored))
        report.add(try ModelEvaluation(name: "m2", alignment: alignment, scored: scored))
        XCTAssertEqual(report.comparison.map(\.tag), ["alpha", "beta"])
        XCTAssertEqual(report.comparison[0].delta[1], 0)
        let json = try JSONValue.parse(report.json())
        XCTAssertEqual(json["papers"]?.intValue, 60)
        XCTAssertEqual(json["unmatchedLabels"]?.intValue, 1)
        XCTAssertEqual(json["models"]?.arrayValue?.count, 2)
        XCTAssertEqual(json["comparison"]?.arrayValue?.count, 2)
        XCTAssertNotNil(json["models"]?.arrayValue?[0]["metrics"]?["samples"]?["f1"]?.doubleValue)
        XCTAssertEqual(try report.json(), try report.json())
        let md = report.markdown()
        XCTAssertTrue(md.hasPrefix("# TopicKit evaluation\n"))
        XCTAssertTrue(md.contains("## F1 side by side"))
        XCTAssertTrue(md.contains("| samples avg"))
        let text = report.text()
        XCTAssertTrue(text.contains("micro avg") && text.contains("== worst errors — m1"), text)
        // report.html is self-contained: no scripts, no links; one SVG per chart: F1 bars, a PR chart per tag,
        // a histogram per tag and model, the co-occurrence heatmap.
        let html = report.html()
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertFalse(html.contains("<script") || html.contains("src=") || html.contains("href="))
        XCTAssertEqual(html.components(separatedBy: "http").count - 1,
                       html.components(separatedBy: "http://www.w3.org/2000/svg").count - 1)
        XCTAssertEqual(html.components(separatedBy: "xmlns=\"http://www.w3.org/2000/svg\"").count - 1, 1 + 2 + 4 + 1)
        XCTAssertTrue(html.contains("Precision–recall — alpha") && html.contains("Papers per pair of tags"))
        XCTAssertEqual(try report.files().map(\.name), ["metrics.json", "report.md", "report.html"])
        XCTAssertThrowsError(try EvaluationReport(corpus: LabeledCorpus(papers: papers, table: LabelTable(entries: [])),
                                                  labelTags: [], inputs: [], labelsPath: "l.tsv")) { error in
            guard case EvaluationError.emptyEvaluationSet = error else { return XCTFail("\(error)") }
        }
    }
}

private func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}
