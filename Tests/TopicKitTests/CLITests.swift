import Foundation
import XCTest

/// End-to-end tests of the `topics` executable on the real dumps in Data/.
final class CLITests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var dumps: [String] {
        ["000_cf9603b38fab2277.txt", "001_d00b677fa77ecfd9.txt", "002_b40d90b5f4122fd8.txt"].map { root.path + "/Data/dumps/" + $0 }
    }
    static var smallDump: String { dumps[2] }
    static var labels: String { root.path + "/Data/labels.tsv" }

    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("topics-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    struct Run { let status: Int32; let stdout: String; let stderr: String }

    /// Runs the built `topics` binary (next to the test bundle) with `arguments`.
    func topics(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        try CLITests.run(arguments, environment: environment, scratch: scratch)
    }

    /// Runs the built `topics` binary in the package root, capturing its output through files in `scratch`.
    static func run(_ arguments: [String], environment: [String: String] = [:], scratch: URL) throws -> Run {
        let process = Process()
        process.executableURL = Bundle.main.bundleURL.appendingPathComponent("topics")
        process.arguments = arguments
        process.currentDirectoryURL = CLITests.root
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let outURL = scratch.appendingPathComponent(".stdout"), errURL = scratch.appendingPathComponent(".stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        return Run(status: process.terminationStatus, stdout: try String(contentsOf: outURL, encoding: .utf8),
                   stderr: try String(contentsOf: errURL, encoding: .utf8))
    }

    func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    func testParseWritesEveryPaperOfTheDumpsOnce() throws {
        let run = try topics(["parse"] + CLITests.dumps)
        XCTAssertEqual(run.status, 0, run.stderr)
        let papers = try jsonLines(run.stdout)
        XCTAssertEqual(papers.count, 499)
        XCTAssertEqual(Set(papers.compactMap { $0["id"] as? String }).count, 499)
        XCTAssertTrue(run.stderr.contains("499 papers, 42 duplicates dropped, 0 records skipped"), run.stderr)
    }

    func testTrainTagInspectRoundTrip() throws {
        let model = scratch.appendingPathComponent("model").path
        let train = try topics(["train", CLITests.smallDump, "--labels", CLITests.labels, "--out", model, "--cv-folds", "3"])
        XCTAssertEqual(train.status, 0, train.stderr)
        XCTAssertTrue(train.stdout.contains("micro avg"), train.stdout)
        XCTAssertTrue(train.stderr.contains("390 labeled titles match no input paper"), train.stderr)
        for file in ["config.json", "vocab.txt", "model.safetensors"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: model + "/" + file), file)
        }
        let tag = try topics(["tag", CLITests.smallDump, "--model", model])
        XCTAssertEqual(tag.status, 0, tag.stderr)
        let rows = try jsonLines(tag.stdout)
        XCTAssertEqual(rows.count, 109)
        for row in rows {
            let scores = try XCTUnwrap(row["scores"] as? [String: Double])
            XCTAssertEqual(Set(scores.keys), ["compression", "kv-cache", "nas", "transformers"])
            XCTAssertTrue(scores.values.allSatisfy { $0 >= 0 && $0 <= 1 })
            XCTAssertNotNil(row["tags"] as? [String])
        }
        // The tagger fits its own training papers well: most labeled transformer papers get the tag.
        let explained = try jsonLines(try topics(["tag", CLITests.smallDump, "--model", model, "--explain"]).stdout)
        let withTags = explained.filter { !(($0["tags"] as? [String]) ?? []).isEmpty }
        XCTAssertFalse(withTags.isEmpty)
        for row in withTags {
            let explain = try XCTUnwrap(row["explain"] as? [String: [[Any]]])
            XCTAssertEqual(Set(explain.keys), Set(row["tags"] as! [String]))
        }
        let inspect = try topics(["inspect", model])
        XCTAssertEqual(inspect.status, 0, inspect.stderr)
        XCTAssertTrue(inspect.stdout.contains("kv-cache  threshold"), inspect.stdout)
        let table = try topics(["tag", CLITests.smallDump, "--model", model, "--format", "table"])
        XCTAssertEqual(table.stdout.split(separator: "\n").count, 110)
        let tsv = try topics(["tag", CLITests.smallDump, "--model", model, "--format", "tsv"])
        XCTAssertTrue(tsv.stdout.hasPrefix("id\ttitle\ttags\tscore_compression\tscore_kv-cache\tscore_nas\tscore_transformers\n"))
    }

    func testTrainingIsByteIdenticalAcrossRunsAndThreadCounts() throws {
        var digests: [Data] = []
        for threads in ["1", "2"] {
            let model = scratch.appendingPathComponent("m\(threads)").path
            let run = try topics(["train", CLITests.smallDump, "--labels", CLITests.labels, "--out", model, "--cv-folds", "3"],
                                 environment: ["SOURCE_DATE_EPOCH": "1700000000", "TOPICKIT_THREADS": threads])
            XCTAssertEqual(run.status, 0, run.stderr)
            var all = Data()
            for file in ["config.json", "vocab.txt", "model.safetensors"] {
                all.append(try Data(contentsOf: URL(fileURLWithPath: model + "/" + file)))
            }
            digests.append(all)
        }
        XCTAssertEqual(digests[0], digests[1])
    }

    func testFailedTrainingLeavesTheOldModelInPlace() throws {
        let model = scratch.appendingPathComponent("model").path
        XCTAssertEqual(try topics(["train", CLITests.smallDump, "--labels", CLITests.labels, "--out", model, "--cv-folds", "0"]).status, 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: model + "/model.safetensors"))
        let badLabels = scratch.appendingPathComponent("bad.tsv")
        try "title\ttags\nno such paper\tnas\n".write(to: badLabels, atomically: true, encoding: .utf8)
        let run = try topics(["train", CLITests.smallDump, "--labels", badLabels.path, "--out", model])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.hasPrefix("warning: 1 labeled titles match no input paper") || run.stderr.contains("error:"), run.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: model + "/model.safetensors")), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted(), ["bad.tsv", "model"])
    }

    func testStrictRefusesUnmatchedLabels() throws {
        let run = try topics(["train", CLITests.smallDump, "--labels", CLITests.labels, "--strict",
                              "--out", scratch.appendingPathComponent("m").path])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("error: 390 labeled titles match no input paper"), run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("m").path))
    }

    func testSolverLimitsAreStoredAndAnEarlyStopIsReported() throws {
        let model = scratch.appendingPathComponent("m").path
        let run = try topics(["train", CLITests.smallDump, "--labels", CLITests.labels, "--out", model, "--cv-folds", "0",
                              "--max-iter", "1", "--tol", "1e-6"])
        XCTAssertEqual(run.status, 0, run.stderr)
        // One Newton step from w = 0 cannot reach a relative gradient of 1e-6 for any of the four tags.
        XCTAssertTrue(run.stdout.contains("warning: 4 of 4 tags stopped before reaching the tolerance (Newton iterations: "
                                          + "compression 1, kv-cache 1, nas 1, transformers 1)"), run.stdout)
        let config = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model + "/config.json"))) as? [String: Any])
        let tagger = try XCTUnwrap(config["tagger"] as? [String: Any])
        XCTAssertEqual(tagger["maxIterations"] as? Int, 1)
        XCTAssertEqual(tagger["tolerance"] as? Double, 1e-6)
        let converged = try topics(["train", CLITests.smallDump, "--labels", CLITests.labels, "--out", model, "--cv-folds", "0"])
        XCTAssertEqual(converged.status, 0, converged.stderr)
        XCTAssertFalse(converged.stdout.contains("stopped before reaching the tolerance"), converged.stdout)

        for (options, message) in [(["--tol", "0"], "--tol must be between 0 and 1"), (["--tol", "1.5"], "--tol must be between 0 and 1"),
                                   (["--max-iter", "0"], "--max-iter must be at least 1"), (["--c", "0"], "--c must be a positive number")] {
            let bad = try topics(["train", CLITests.smallDump, "--labels", CLITests.labels, "--out", model] + options)
            XCTAssertNotEqual(bad.status, 0, options.joined(separator: " "))
            XCTAssertTrue(bad.stderr.contains(message), bad.stderr)
        }
        let evalOnly = try topics(["eval", CLITests.smallDump, "--labels", CLITests.labels, "--model", model, "--max-iter", "3"])
        XCTAssertNotEqual(evalOnly.status, 0)
        XCTAssertTrue(evalOnly.stderr.contains("they only apply with --cv"), evalOnly.stderr)
    }

    func testBadInvocationsFailWithClearMessages() throws {
        let missing = try topics(["parse", "/no/such/file.txt"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("/no/such/file.txt"), missing.stderr)
        let noModel = try topics(["tag", CLITests.smallDump, "--model", scratch.appendingPathComponent("none").path])
        XCTAssertEqual(noModel.status, 1)
        XCTAssertTrue(noModel.stderr.hasPrefix("error: "), noModel.stderr)
        let threshold = try topics(["tag", CLITests.smallDump, "--threshold", "1.5"])
        XCTAssertNotEqual(threshold.status, 0)
        XCTAssertTrue(threshold.stderr.contains("--threshold must be a probability"), threshold.stderr)
        let noK = try topics(["cluster", CLITests.smallDump])
        XCTAssertNotEqual(noK.status, 0)
        XCTAssertTrue(noK.stderr.contains("-k N or --auto-k"), noK.stderr)
        let bigK = try topics(["cluster", CLITests.smallDump, "-k", "500"])
        XCTAssertEqual(bigK.status, 1)
        XCTAssertTrue(bigK.stderr.contains("error: k = 500 clusters is more than the 109 papers"), bigK.stderr)
        let headerOnly = scratch.appendingPathComponent("header-only.tsv")
        try "title\ttags\n".write(to: headerOnly, atomically: true, encoding: .utf8)
        let out = scratch.appendingPathComponent("m").path
        let empty = try topics(["train", CLITests.smallDump, "--labels", headerOnly.path, "--out", out])
        XCTAssertEqual(empty.status, 1)
        XCTAssertTrue(empty.stderr.contains("warning: 109 papers have no label entry and are left out of training\n"
                                            + "training on 0 labeled papers\n"
                                            + "error: the training set is empty: give at least one labeled paper"), empty.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    func testClusterAssignsEveryPaperAndSavedModelPlacesNewPapers() throws {
        let saved = scratch.appendingPathComponent("clusters").path
        let summary = scratch.appendingPathComponent("summary.txt").path
        let run = try topics(["cluster", CLITests.smallDump, "-k", "4", "--dims", "32", "--save", saved, "--summary", summary])
        XCTAssertEqual(run.status, 0, run.stderr)
        let rows = try jsonLines(run.stdout)
        XCTAssertEqual(rows.count, 109)
        let clusters = rows.compactMap { $0["cluster"] as? Int }
        XCTAssertEqual(clusters.count, 109)
        XCTAssertEqual(Set(clusters), [0, 1, 2, 3])
        XCTAssertTrue(try String(contentsOfFile: summary, encoding: .utf8).contains("keywords: "))
        let tagged = try jsonLines(try topics(["tag", CLITests.smallDump, "--model", saved]).stdout)
        XCTAssertEqual(tagged.compactMap { $0["cluster"] as? Int }, clusters)
        let again = try topics(["cluster", CLITests.smallDump, "-k", "4", "--dims", "32"])
        XCTAssertEqual(again.stdout, run.stdout)
    }
}
