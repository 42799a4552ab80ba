import Foundation
import XCTest

/// End-to-end tests of `topics eval` (the built binary) on the real dumps in Data/.
final class EvalCLITests: XCTestCase {
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("topics-eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    /// Runs the built `topics` binary (next to the test bundle) in the package root.
    func topics(_ arguments: [String]) throws -> CLITests.Run {
        try CLITests.run(arguments, scratch: scratch)
    }

    func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func testShippedModelOnAllDumpsWritesTheReport() throws {
        let dir = scratch.appendingPathComponent("report").path
        let run = try topics(["eval"] + CLITests.dumps + ["--labels", CLITests.labels, "--model", "Models/default", "--report", dir])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("evaluated 499 labeled papers"), run.stdout)
        XCTAssertTrue(run.stdout.contains("samples avg") && run.stdout.contains("worst errors"), run.stdout)
        // The shipped model was trained on exactly these papers: the report says so.
        XCTAssertTrue(run.stdout.contains("training-set numbers"), run.stdout)
        for file in ["metrics.json", "report.md", "report.html"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/" + file), file)
        }
        let metrics = try json(String(contentsOfFile: dir + "/metrics.json", encoding: .utf8))
        XCTAssertEqual(metrics["papers"] as? Int, 499)
        XCTAssertEqual(metrics["tags"] as? [String], ["compression", "kv-cache", "nas", "transformers"])
        let model = try XCTUnwrap((metrics["models"] as? [[String: Any]])?.first)
        let tags = try XCTUnwrap((model["metrics"] as? [String: Any])?["tags"] as? [[String: Any]])
        XCTAssertEqual(tags.compactMap { $0["support"] as? Int }, [94, 18, 72, 187])
        let md = try String(contentsOfFile: dir + "/report.md", encoding: .utf8)
        XCTAssertTrue(md.contains("## Models/default"), md)
        XCTAssertTrue(md.contains("| kv-cache"), md)
        // No temporary files are left behind.
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".") }
        XCTAssertEqual(left, [])
    }

    func testComparesTwoModelsWithDifferentTagsAndReportsTheMismatch() throws {
        // A second model trained on one dump with 'compression' renamed, so each side lacks a tag.
        let labels = try String(contentsOfFile: CLITests.labels, encoding: .utf8)
            .replacingOccurrences(of: "compression", with: "quantization")
        let renamed = scratch.appendingPathComponent("renamed.tsv").path
        try labels.write(toFile: renamed, atomically: true, encoding: .utf8)
        let other = scratch.appendingPathComponent("other").path
        let train = try topics(["train", CLITests.dumps[1], "--labels", renamed, "--out", other, "--cv-folds", "2",
                                "--min-label-count", "3"])
        XCTAssertEqual(train.status, 0, train.stderr)
        let run = try topics(["eval", CLITests.smallDump, "--labels", CLITests.labels, "--model", "Models/default",
                              "--model", other, "--format", "json", "--errors", "1"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let report = try json(run.stdout)
        let warnings = try XCTUnwrap(report["warnings"] as? [String])
        XCTAssertTrue(warnings.contains { $0.contains("labels use tags the model does not have: compression")
                                          && $0.contains("the model has tags the labels never use: quantization") }, "\(warnings)")
        let comparison = try XCTUnwrap(report["comparison"] as? [[String: Any]])
        XCTAssertEqual(comparison.compactMap { $0["tag"] as? String }.sorted(), ["compression", "kv-cache", "nas", "transformers"])
        let compression = try XCTUnwrap(comparison.first { $0["tag"] as? String == "compression" })
        XCTAssertTrue((compression["f1"] as? [Any])?.last is NSNull, "\(compression)")
        let table = try topics(["eval", CLITests.smallDump, "--labels", CLITests.labels, "--model", "Models/default",
                                "--model", other])
        XCTAssertTrue(table.stdout.contains("F1 side by side") && table.stdout.contains("Δ " + other), table.stdout)
    }

    func testCrossValidationOnOneDump() throws {
        let run = try topics(["eval", CLITests.smallDump, "--labels", CLITests.labels, "--cv", "3", "--cv-folds", "2",
                              "--min-label-count", "3", "--seed", "4", "--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("dropped tag kv-cache: 1 papers"), run.stderr)
        let report = try json(run.stdout)
        let model = try XCTUnwrap((report["models"] as? [[String: Any]])?.first)
        XCTAssertEqual(model["name"] as? String, "cross-validation (3 folds)")
        let cv = try XCTUnwrap(model["crossValidation"] as? [String: Any])
        XCTAssertEqual(cv["folds"] as? Int, 3)
        XCTAssertEqual((cv["tags"] as? [[String: Any]])?.compactMap { $0["tag"] as? String }, ["compression", "nas", "transformers"])
        let microF1 = try XCTUnwrap((cv["microF1"] as? [String: Any])?["mean"] as? Double)
        XCTAssertGreaterThan(microF1, 0.5)
        // Same seed, same numbers.
        let again = try topics(["eval", CLITests.smallDump, "--labels", CLITests.labels, "--cv", "3", "--cv-folds", "2",
                                "--min-label-count", "3", "--seed", "4", "--format", "json"])
        XCTAssertEqual(again.stdout, run.stdout)
    }

    func testClustersFromJSONLinesAndFromABundle() throws {
        let assignments = scratch.appendingPathComponent("clusters.jsonl").path
        let bundle = scratch.appendingPathComponent("clusters").path
        let cluster = try topics(["cluster", CLITests.smallDump, "-k", "4", "-o", assignments, "--save", bundle])
        XCTAssertEqual(cluster.status, 0, cluster.stderr)
        for source in [assignments, bundle] {
            let run = try topics(["eval", CLITests.smallDump, "--labels", CLITests.labels, "--clusters", source, "--format", "json"])
            XCTAssertEqual(run.status, 0, run.stderr)
            let clusters = try XCTUnwrap(try json(run.stdout)["clusters"] as? [String: Any])
            XCTAssertEqual(clusters["papers"] as? Int, 109)
            let profiles = try XCTUnwrap(clusters["clusters"] as? [[String: Any]])
            XCTAssertEqual(profiles.compactMap { $0["size"] as? Int }.reduce(0, +), 109)
            XCTAssertTrue(profiles.allSatisfy { !(($0["keywords"] as? [String]) ?? []).isEmpty })
            let purity = try XCTUnwrap(clusters["purity"] as? Double)
            XCTAssertTrue(purity > 0 && purity <= 1)
            XCTAssertNotNil(clusters["silhouette"] as? Double)
        }
        let dir = scratch.appendingPathComponent("cluster-report").path
        let run = try topics(["eval", CLITests.smallDump, "--labels", CLITests.labels, "--clusters", bundle, "--report", dir])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("4 clusters of 109 papers") && run.stdout.contains("NMI"), run.stdout)
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        XCTAssertTrue(html.contains("Papers in the first two LSA components") && html.contains("Cluster sizes"))
        XCTAssertFalse(html.contains("Tagging quality"))
    }

    func testBadInputsGiveClearErrors() throws {
        // Labels that match none of the inputs.
        let foreign = scratch.appendingPathComponent("foreign.tsv").path
        try "title\ttags\nA Paper Nobody Wrote\tnas\n".write(toFile: foreign, atomically: true, encoding: .utf8)
        var run = try topics(["eval", CLITests.smallDump, "--labels", foreign, "--model", "Models/default"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("nothing to evaluate: none of the 109 input papers has an entry in \(foreign)"), run.stderr)
        // --strict refuses labels for papers that are not in the inputs.
        run = try topics(["eval", CLITests.smallDump, "--labels", CLITests.labels, "--model", "Models/default", "--strict"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("390 labeled titles match no input paper"), run.stderr)
        // A clustering bundle given as a tagger, nothing to evaluate, both --model and --cv.
        run = try topics(["eval", CLITests.smallDump, "--labels", CLITests.labels])
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.stderr.contains("nothing to evaluate"), run.stderr)
        run = try topics(["eval", CLITests.smallDump, "--labels", CLITests.labels, "--model", "Models/default", "--cv", "3"])
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.stderr.contains("not both"), run.stderr)
        // A malformed cluster file names the line.
        let bad = scratch.appendingPathComponent("bad.jsonl").path
        try "{\"id\": \"x\", \"cluster\": 1}\n{\"id\": \"y\"}\n".write(toFile: bad, atomically: true, encoding: .utf8)
        run = try topics(["eval", CLITests.smallDump, "--labels", CLITests.labels, "--clusters", bad])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("bad.jsonl:2: no \"cluster\" field"), run.stderr)
        // A report directory that is a file: nothing is written, a clear error.
        let file = scratch.appendingPathComponent("plain").path
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        run = try topics(["eval", CLITests.smallDump, "--labels", CLITests.labels, "--model", "Models/default", "--report", file])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("exists and is not a directory"), run.stderr)
    }
}
