#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest
import TopicKit

/// Killing `topics` (SIGKILL, SIGINT) while it replaces a model bundle or an output file never loses
/// the previous one: afterwards the target is the old content or the complete new one, and after SIGINT
/// no temporary file is left and the process exits promptly with a message.
final class KillTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var dumps: [String] {
        ["000_cf9603b38fab2277.txt", "001_d00b677fa77ecfd9.txt", "002_b40d90b5f4122fd8.txt"].map { root.path + "/Data/dumps/" + $0 }
    }
    static var labels: String { root.path + "/Data/labels.tsv" }

    var scratch: URL!
    /// SIGINTs that reached the command's handler (exit 130 with a message).
    var handledInterrupts = 0

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("topickit-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    /// A started `topics` process with its stderr in a file.
    struct Started { let process: Process; let stderr: URL }

    func start(_ arguments: [String], name: String) throws -> Started {
        let process = Process()
        process.executableURL = Bundle.main.bundleURL.appendingPathComponent("topics")
        process.arguments = arguments
        process.currentDirectoryURL = KillTests.root
        var env = ProcessInfo.processInfo.environment
        env["SOURCE_DATE_EPOCH"] = "1700000000"
        process.environment = env
        let err = scratch.appendingPathComponent("\(name).stderr")
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return Started(process: process, stderr: err)
    }

    /// Runs `topics` to the end; fails the test unless it succeeds.
    func run(_ arguments: [String], name: String) throws {
        let started = try start(arguments, name: name)
        started.process.waitUntilExit()
        XCTAssertEqual(started.process.terminationStatus, 0, (try? String(contentsOf: started.stderr, encoding: .utf8)) ?? "")
    }

    /// When to send the signal: after a delay, or as soon as a temporary entry appears next to `target`.
    enum Moment { case after(milliseconds: Int), whenTemporaryAppears }

    /// Entries `.NAME.tmp-*` / `.NAME.old-*` in the directory of `target`.
    func temporaries(of target: String) -> [String] {
        let url = URL(fileURLWithPath: target)
        let name = url.lastPathComponent
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)) ?? []
        return entries.filter { $0.hasPrefix(".\(name).tmp-") || $0.hasPrefix(".\(name).old-") }
    }

    /// Starts `arguments`, signals it at `moment`, waits for the exit (at most 30 s, then SIGKILL and
    /// fail). Returns whether the signal was sent before the process ended on its own.
    @discardableResult
    func interrupt(_ arguments: [String], target: String, signal sig: Int32, at moment: Moment, name: String) throws -> Bool {
        let started = try start(arguments, name: name)
        let process = started.process
        switch moment {
        case let .after(ms):
            usleep(useconds_t(ms * 1000))
        case .whenTemporaryAppears:
            while process.isRunning && temporaries(of: target).isEmpty { usleep(200) }
        }
        let signalled = process.isRunning
        if signalled { kill(process.processIdentifier, sig) }
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { usleep(1000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            XCTFail("\(name): still running 30 s after signal \(sig)")
            return signalled
        }
        process.waitUntilExit()
        let stderr = (try? String(contentsOf: started.stderr, encoding: .utf8)) ?? ""
        // A SIGINT that arrives before the command installed its handler (still starting up) ends the
        // process the default way; it has written nothing yet. Once handled: status 130 and a message.
        // The handler removing a bundle's temporary directory can make the main thread fail first with
        // "error: cannot write model bundle …" (status 1): also prompt, with a message, nothing lost.
        if signalled && sig == SIGINT && process.terminationReason == .exit && process.terminationStatus != 0 {
            if process.terminationStatus == 1 {
                XCTAssertTrue(stderr.contains("error: cannot write"), "\(name): \(stderr)")
            } else {
                XCTAssertEqual(process.terminationStatus, 130, "\(name): \(stderr)")
                XCTAssertTrue(stderr.contains("interrupted"), "\(name): no message on stderr: \(stderr)")
            }
            handledInterrupts += 1
        }
        if signalled && sig == SIGINT || !signalled {
            XCTAssertEqual(temporaries(of: target), [], "\(name): temporary files left behind")
        }
        return signalled
    }

    /// Tags of the first dump with the bundle in `model`, as produced by `TopicModel`.
    func tags(_ model: String) throws -> [PaperResult] {
        let papers = try PaperReader.read([Self.dumps[2]]).papers
        return try TopicModel.load(from: model).results(for: papers)
    }

    func testKilledTrainingLeavesTheOldBundleOrTheNewOne() throws {
        let dir = scratch.appendingPathComponent("model").path
        let newRef = scratch.appendingPathComponent("new-model").path
        let oldOptions = ["train", Self.dumps[2], "--labels", Self.labels, "--cv-folds", "0"]
        let newOptions = ["train"] + Self.dumps + ["--labels", Self.labels, "--cv-folds", "2", "--ngram-max", "1", "--c", "2"]
        try run(oldOptions + ["--out", dir], name: "old")
        let started = Date()
        try run(newOptions + ["--out", newRef], name: "new")
        // Signal moments as fractions of a full run, so they fall inside it on a fast or a loaded machine.
        let runMs = Int(Date().timeIntervalSince(started) * 1000)
        let old = try tags(dir), new = try tags(newRef)
        XCTAssertNotEqual(old, new, "the two trainings must give different models for the test to mean anything")

        var signalled = 0
        let moments: [Moment] = [.after(milliseconds: runMs / 10), .after(milliseconds: runMs * 4 / 10),
                                 .after(milliseconds: runMs * 8 / 10), .whenTemporaryAppears]
        for sig in [SIGKILL, SIGINT] {
            for (i, moment) in moments.enumerated() {
                let name = "train-\(sig)-\(i)"
                if try interrupt(newOptions + ["--out", dir], target: dir, signal: sig, at: moment, name: name) { signalled += 1 }
                let now = try tags(dir)
                XCTAssertTrue(now == old || now == new, "\(name): the bundle gives neither the old nor the new tags")
                // Back to the old model for the next round.
                if now == new { try run(oldOptions + ["--out", dir], name: "old-again") }
                if sig == SIGKILL {
                    // SIGKILL cannot be caught: clean its leftovers so the next SIGINT round is judged alone.
                    for t in temporaries(of: dir) { try? FileManager.default.removeItem(atPath: scratch.path + "/" + t) }
                }
            }
        }
        XCTAssertGreaterThanOrEqual(signalled, 6, "most signals must reach a running training")
        XCTAssertGreaterThanOrEqual(handledInterrupts, 2, "SIGINT must reach the handler of a running training")
    }

    func testKilledTagAndParseLeaveTheOldOutputOrTheNewOne() throws {
        // A larger input (the dumps' papers 24 times, new ids) so the commands run long enough to be hit.
        let papers = try PaperReader.read(Self.dumps).papers
        var many: [Paper] = []
        for copy in 0..<24 {
            for var p in papers { p.id = "\(copy)-\(p.id)"; many.append(p) }
        }
        let input = scratch.appendingPathComponent("many.jsonl").path
        try PaperWriter.write(many, format: .jsonl, to: input)

        for command in ["tag", "parse"] {
            let output = scratch.appendingPathComponent("\(command)-out.jsonl").path
            let oldContent = Data("previous output\n".utf8)
            let reference = scratch.appendingPathComponent("\(command)-ref.jsonl").path
            let arguments = command == "tag" ? ["tag", input, "--model", "Models/default"] : ["parse", input]
            let started = Date()
            try run(arguments + ["--output", reference], name: "\(command)-ref")
            let runMs = Int(Date().timeIntervalSince(started) * 1000)
            let newContent = try Data(contentsOf: URL(fileURLWithPath: reference))
            XCTAssertGreaterThan(newContent.count, 1 << 20)
            for sig in [SIGKILL, SIGINT] {
                let moments = [Moment.after(milliseconds: runMs / 10), .after(milliseconds: runMs / 2), .whenTemporaryAppears]
                for (i, moment) in moments.enumerated() {
                    _ = FileManager.default.createFile(atPath: output, contents: oldContent)
                    let name = "\(command)-\(sig)-\(i)"
                    try interrupt(arguments + ["--output", output], target: output, signal: sig, at: moment, name: name)
                    let now = try Data(contentsOf: URL(fileURLWithPath: output))
                    XCTAssertTrue(now == oldContent || now == newContent, "\(name): output is neither old nor complete new (\(now.count) bytes)")
                    if sig == SIGKILL {
                        for t in temporaries(of: output) { try? FileManager.default.removeItem(atPath: scratch.path + "/" + t) }
                    }
                }
            }
        }
        XCTAssertGreaterThanOrEqual(handledInterrupts, 2, "SIGINT must reach the handler of a running tag or parse")
    }
}
