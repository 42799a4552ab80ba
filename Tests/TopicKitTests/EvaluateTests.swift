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
}

private func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}
