import Foundation
import XCTest
import TopicKit

/// Same input, settings and seed give byte-identical bundles, tags, parsed papers and cluster
/// assignments for any thread count (1, 2 and 3: an odd count, more threads than this machine's cores).
final class DeterminismTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var dumps: [String] {
        ["000_cf9603b38fab2277.txt", "001_d00b677fa77ecfd9.txt", "002_b40d90b5f4122fd8.txt"].map { root.path + "/Data/dumps/" + $0 }
    }
    static var labels: String { root.path + "/Data/labels.tsv" }
    /// Thread counts compared with 1. Debug builds (10–50× slower numerics) compare 2 only.
    #if DEBUG
    static let otherThreadCounts = [2]
    #else
    static let otherThreadCounts = [2, 3]
    #endif

    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("topickit-determinism-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    func topics(_ arguments: [String], threads: Int) throws {
        let process = Process()
        process.executableURL = Bundle.main.bundleURL.appendingPathComponent("topics")
        process.arguments = arguments
        process.currentDirectoryURL = Self.root
        var env = ProcessInfo.processInfo.environment
        env["TOPICKIT_THREADS"] = "\(threads)"
        env["SOURCE_DATE_EPOCH"] = "1763942400"
        process.environment = env
        let err = scratch.appendingPathComponent("stderr-\(threads)")
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "topics \(arguments.joined(separator: " ")): "
            + ((try? String(contentsOf: err, encoding: .utf8)) ?? ""))
    }

    /// Every output of the pipeline with `threads` threads, file name → bytes.
    func outputs(threads: Int, bigInput: String) throws -> [String: Data] {
        let dir = scratch.appendingPathComponent("t\(threads)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let p = dir.path
        try topics(["train"] + Self.dumps + ["--labels", Self.labels, "--cv-folds", "2", "--seed", "11", "--out", p + "/tagger"],
                   threads: threads)
        try topics(["tag", bigInput, "--model", p + "/tagger", "--explain", "--output", p + "/tags.jsonl"], threads: threads)
        try topics(["parse", bigInput, "--output", p + "/parsed.jsonl"], threads: threads)
        try topics(["cluster"] + Self.dumps + ["-k", "6", "--seed", "5", "--n-init", "2", "--output", p + "/clusters.jsonl",
                    "--summary", p + "/summary.txt", "--save", p + "/clusters"], threads: threads)
        try topics(["tag"] + Self.dumps + ["--model", p + "/clusters", "--output", p + "/assigned.jsonl"], threads: threads)
        var files: [String: Data] = [:]
        for name in ["tagger/config.json", "tagger/vocab.txt", "tagger/model.safetensors", "tags.jsonl", "parsed.jsonl",
                     "clusters.jsonl", "summary.txt", "clusters/config.json", "clusters/vocab.txt",
                     "clusters/model.safetensors", "assigned.jsonl"] {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: p + "/" + name))
        }
        return files
    }

    func testPipelineOutputsAreByteIdenticalForAnyThreadCount() throws {
        // Over 1 MiB of JSON Lines, so reading and tagging split the input into several chunks.
        let papers = try PaperReader.read(Self.dumps).papers
        var many: [Paper] = []
        for copy in 0..<6 {
            for var p in papers { p.id = "\(copy)-\(p.id)"; many.append(p) }
        }
        let bigInput = scratch.appendingPathComponent("many.jsonl").path
        try PaperWriter.write(many, format: .jsonl, to: bigInput)
        XCTAssertGreaterThan(try FileManager.default.attributesOfItem(atPath: bigInput)[.size] as? Int ?? 0, 1 << 20)

        let reference = try outputs(threads: 1, bigInput: bigInput)
        XCTAssertEqual(reference.count, 11)
        XCTAssertEqual(String(decoding: reference["tags.jsonl"]!, as: UTF8.self).split(separator: "\n").count, many.count)
        XCTAssertEqual(String(decoding: reference["clusters.jsonl"]!, as: UTF8.self).split(separator: "\n").count, papers.count)
        for threads in Self.otherThreadCounts {
            let other = try outputs(threads: threads, bigInput: bigInput)
            for (name, bytes) in reference.sorted(by: { $0.key < $1.key }) {
                XCTAssertEqual(other[name], bytes, "\(name) differs between 1 and \(threads) threads")
            }
        }
    }

    func testRepeatedLibraryRunsGiveTheSameTagsAndClusters() throws {
        let papers = try PaperReader.read(Self.dumps).papers
        let model = try TopicModel.load(from: Self.root.path + "/Models/default")
        let first = try model.results(for: papers, explainTerms: 3)
        setenv("TOPICKIT_THREADS", "1", 1)
        defer { unsetenv("TOPICKIT_THREADS") }
        let single = try model.results(for: papers, explainTerms: 3)
        XCTAssertEqual(first, single)
        XCTAssertEqual(first.count, papers.count)
        XCTAssertGreaterThan(first.filter { !($0.tags ?? []).isEmpty }.count, 10)
    }
}
