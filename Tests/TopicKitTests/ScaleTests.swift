import Foundation
import XCTest
@testable import TopicKit

/// The memory-saving paths of the clustering pipeline give exactly what the plain paths give.
final class ScaleTests: XCTestCase {
    private static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    private static func dumpPapers() throws -> [Paper] {
        let dir = repo.appendingPathComponent("Data/dumps").path
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".txt") }.sorted()
        return try PaperReader.read(names.map { dir + "/" + $0 }).papers
    }

    /// A seeded random CSR matrix with some empty rows and columns increasing within each row.
    private func randomSparse(rows: Int, columns: Int, density: Float, seed: UInt64) -> SparseMatrix {
        var rng = SeededGenerator(seed: seed)
        var dense = [Float](repeating: 0, count: rows * columns)
        for r in 0..<rows where r % 7 != 3 {
            for c in 0..<columns where rng.nextUnitFloat() < density { dense[r * columns + c] = rng.nextUnitFloat() + 0.01 }
        }
        return SparseMatrix(dense: dense, rows: rows, columns: columns)
    }

    func testReleasingTextGivesTheSameMatrixAndKeepsIdsAndTitles() throws {
        let original = try Self.dumpPapers()
        XCTAssertGreaterThan(original.count, 300)
        let options = TfidfOptions.clustering
        let (plain, plainMatrix) = try TfidfVectorizer.fitTransform(original, options: options)
        var papers = original.map { p -> Paper in
            var p = p
            p.categories = ["cs.LG"]
            p.tags = ["t"]
            p.extra = ["authors": "[\"A\"]"]
            return p
        }
        let (released, matrix) = try TfidfVectorizer.fitTransform(releasingTextOf: &papers, options: options)
        XCTAssertEqual(released.vocabulary, plain.vocabulary)
        XCTAssertEqual(released.idf, plain.idf)
        XCTAssertEqual(matrix, plainMatrix)
        XCTAssertEqual(papers.map(\.id), original.map(\.id))
        XCTAssertEqual(papers.map(\.title), original.map(\.title))
        XCTAssertTrue(papers.allSatisfy { $0.abstract.isEmpty && $0.categories == nil && $0.tags == nil && $0.extra.isEmpty })
        XCTAssertEqual(papers.map(\.date), original.map(\.date))
    }

    func testBlockedMatrixGivesBackTheCSRItWasBuiltFrom() {
        for (rows, columns, density, seed) in [(300, 40, Float(0.1), UInt64(1)), (57, 5, 0.5, 2), (9, 300, 0.02, 3)] {
            let x = randomSparse(rows: rows, columns: columns, density: density, seed: seed)
            var blocked = BlockedSparseMatrix(x)
            if rows == 300 { XCTAssertGreaterThan(blocked.blocks.count, 1) }
            XCTAssertEqual(blocked.takeSparseMatrix(), x)
            XCTAssertTrue(blocked.blocks.isEmpty)
        }
        var empty = BlockedSparseMatrix(SparseMatrix(dense: [Float](repeating: 0, count: 12), rows: 4, columns: 3))
        XCTAssertEqual(empty.takeSparseMatrix(), SparseMatrix(dense: [Float](repeating: 0, count: 12), rows: 4, columns: 3))
    }

    func testLendingTheMatrixToTheSVDGivesTheSameModelAndRestoresIt() throws {
        let x = randomSparse(rows: 200, columns: 60, density: 0.15, seed: 4)
        let svd = TruncatedSVD(components: 12, seed: 9)
        let (model, embedding) = try svd.fitTransform(x)
        var lent = x
        let (lentModel, lentEmbedding) = try svd.fitTransform(lending: &lent)
        XCTAssertEqual(lentModel, model)
        XCTAssertEqual(lentEmbedding, embedding)
        XCTAssertEqual(lent, x)
        var bad = SparseMatrix(dense: [1, .nan, 0, 2], rows: 2, columns: 2)
        XCTAssertThrowsError(try svd.fitTransform(lending: &bad))
        XCTAssertEqual(bad.rows, 2)
        XCTAssertEqual(bad.nonZeroCount, 3)
    }

    func testLendingClusteringEqualsPlainClusteringOnTheDumps() throws {
        var papers = try Self.dumpPapers()
        let (vectorizer, tfidf) = try TfidfVectorizer.fitTransform(releasingTextOf: &papers, options: .clustering)
        let pipeline = TopicClustering(k: 6, dims: 24, nInit: 2, seed: 5)
        let plain = try pipeline.fit(tfidf: tfidf, vocabulary: vectorizer.vocabulary)
        var lent = tfidf
        let result = try pipeline.fit(lending: &lent, vocabulary: vectorizer.vocabulary)
        XCTAssertEqual(lent, tfidf)
        XCTAssertEqual(result.kmeans.assignments, plain.kmeans.assignments)
        XCTAssertEqual(result.kmeans.distances, plain.kmeans.distances)
        XCTAssertEqual(result.clusters, plain.clusters)
        XCTAssertEqual(result.lsa, plain.lsa)
        XCTAssertEqual(result.summary(papers: papers), plain.summary(papers: papers))
    }

    func testStreamedAssignmentsEqualTheWholeWrite() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ScaleTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var papers = try Self.dumpPapers()
        papers[0].title = "Quotes \" and \\ backslashes, tabs\t and é"
        let (vectorizer, tfidf) = try TfidfVectorizer.fitTransform(papers, options: .clustering)
        let result = try TopicClustering(k: 4, dims: 16, nInit: 1, seed: 2).fit(tfidf: tfidf, vocabulary: vectorizer.vocabulary)
        let whole = dir.appendingPathComponent("whole.jsonl").path
        let results = papers.indices.map { i in
            PaperResult(id: papers[i].id, title: papers[i].title, cluster: Int(result.kmeans.assignments[i]),
                        distance: result.kmeans.distances[i])
        }
        try PaperResultWriter.write(results, tagNames: [], format: .jsonl, to: whole)
        let expected = try Data(contentsOf: URL(fileURLWithPath: whole))
        XCTAssertEqual(String(decoding: expected, as: UTF8.self).split(separator: "\n").count, papers.count)
        for blockSize in [1, 7, 100, papers.count, 1 << 20] {
            let streamed = dir.appendingPathComponent("streamed-\(blockSize).jsonl").path
            try result.writeAssignments(papers: papers, to: streamed, blockSize: blockSize)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: streamed)), expected, "block size \(blockSize)")
        }
        let untouched = dir.appendingPathComponent("untouched.jsonl").path
        XCTAssertThrowsError(try result.writeAssignments(papers: Array(papers.dropLast()), to: untouched)) { error in
            guard case ClusterError.sizeMismatch = error else { return XCTFail("\(error)") }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: untouched))
    }
}

extension ScaleTests {
    /// The per-stage memory log reads this process's resident set and its peak from /proc.
    func testResidentMemoryIsReadFromProc() {
        let (rss, peak) = MemoryLog.residentMegabytes()
        XCTAssertGreaterThan(rss, 1)
        XCTAssertGreaterThanOrEqual(peak, rss)
        var touched = [UInt8](repeating: 1, count: 64 << 20)
        touched[touched.count - 1] = 2
        let after = MemoryLog.residentMegabytes()
        XCTAssertGreaterThan(after.rss, rss + 48)
        XCTAssertGreaterThanOrEqual(after.peak, after.rss)
        XCTAssertEqual(touched.last, 2)
    }
}
