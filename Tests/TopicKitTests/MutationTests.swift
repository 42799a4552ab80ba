#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest
@testable import TopicKit

/// Seeded damage to real inputs: bit flips, truncation, duplicated/dropped/swapped lines, random byte runs,
/// invalid UTF-8, NUL bytes, CRLF line ends, a huge line.
struct Mutator {
    var random: SeededGenerator

    init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(random.next() % UInt64(n)) }

    /// 1–3 damages chosen at random (never the huge line: `hugeLine` is applied on purpose, not by chance).
    mutating func mutate(_ bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        for _ in 0...below(3) { out = mutateOnce(out) }
        return out
    }

    mutating func mutateOnce(_ input: [UInt8]) -> [UInt8] {
        var b = input
        switch below(11) {
        case 0:  // bit flips
            if b.isEmpty { return [0x7B] }
            for _ in 0...below(8) { b[below(b.count)] ^= UInt8(1) << UInt8(below(8)) }
        case 1:  // truncation at a random point
            b.removeSubrange(below(b.count + 1)...)
        case 2, 3, 4:  // duplicated, dropped or swapped lines
            var lines = b.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            guard !lines.isEmpty else { return b }
            let i = below(lines.count), j = below(lines.count)
            switch below(3) {
            case 0: lines.insert(lines[i], at: j)
            case 1: lines.removeSubrange(i..<min(lines.count, i + 1 + below(4)))
            default: lines.swapAt(i, j)
            }
            b = Array(lines.joined(separator: [0x0A]))
        case 5:  // a run of random bytes, written over or inserted
            let run = (0..<(1 + below(64))).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let at = below(b.count + 1)
            if below(2) == 0 { b.insert(contentsOf: run, at: at) } else { b.replaceSubrange(at..<min(b.count, at + run.count), with: run) }
        case 6:  // invalid UTF-8: lone continuation, truncated sequence, overlong, surrogate, 0xFF
            let bad: [[UInt8]] = [[0x80], [0xC3], [0xE2, 0x82], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xFF], [0xF4, 0x90, 0x80, 0x80]]
            b.insert(contentsOf: bad[below(bad.count)], at: below(b.count + 1))
        case 7:  // NUL bytes
            for _ in 0...below(3) { b.insert(0, at: below(b.count + 1)) }
        case 8:  // CRLF line ends (all of them, or one stray CR)
            if below(2) == 0 {
                b = Array(b.split(separator: 0x0A, omittingEmptySubsequences: false).joined(separator: [0x0D, 0x0A]))
            } else {
                b.insert(0x0D, at: below(b.count + 1))
            }
        case 9:  // structural characters of the formats in odd places
            let punctuation: [UInt8] = Array("{}[]\",:\t\\\n\r'".utf8)
            for _ in 0...below(6) { b.insert(punctuation[below(punctuation.count)], at: below(b.count + 1)) }
        default:  // a splice: part of the input repeated somewhere else
            guard !b.isEmpty else { return b }
            let start = below(b.count), end = min(b.count, start + 1 + below(4096))
            b.insert(contentsOf: b[start..<end], at: below(b.count + 1))
        }
        return b
    }

    /// `bytes` with one line of `size` bytes (letters, no line end) inserted at a line start.
    mutating func hugeLine(_ bytes: [UInt8], size: Int) -> [UInt8] {
        var b = bytes
        let starts = [0] + b.indices.filter { b[$0] == 0x0A }.map { $0 + 1 }
        let at = starts[below(starts.count)]
        var line = [UInt8](repeating: UInt8(ascii: "a"), count: size)
        line.append(0x0A)
        b.insert(contentsOf: line, at: at)
        return b
    }
}

/// Property tests: thousands of damaged versions of the real Data/ inputs and of Models/default all
/// end in papers / a loaded model or a TopicKit error, never a crash, hang or runaway allocation.
final class MutationTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var dumps: [String] {
        ["000_cf9603b38fab2277.txt", "001_d00b677fa77ecfd9.txt", "002_b40d90b5f4122fd8.txt"].map { root.path + "/Data/dumps/" + $0 }
    }
    static var model: String { root.path + "/Models/default" }

    /// Multiplies the number of damaged inputs (environment TOPICKIT_MUTATION_SCALE, default 1) for a
    /// longer soak run; the default keeps the suite quick. Debug builds (and sanitizers) try a quarter.
    static let scale: Double = {
        let factor = max(0.1, Double(ProcessInfo.processInfo.environment["TOPICKIT_MUTATION_SCALE"] ?? "") ?? 1)
        #if DEBUG
        return factor / 4
        #else
        return factor
        #endif
    }()

    /// `base` times `scale`, at least 1.
    static func scaled(_ base: Int) -> Int { max(1, Int((Double(base) * scale).rounded())) }

    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("topickit-mutation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    /// Whether `error` is one of the library's typed errors (not a Foundation/runtime error).
    static func isTyped(_ error: Error) -> Bool {
        String(reflecting: type(of: error)).hasPrefix("TopicKit.")
    }

    /// Peak resident memory of this process in MiB (Linux reports ru_maxrss in KiB).
    static func peakMiB() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss / 1024
    }

    func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let path = scratch.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Outcome of reading one input: papers, or the error's type and message.
    enum Outcome { case papers(Int), error(String) }

    /// Reads `bytes` as file `name` (format by detection, or `format`), strict or with skipBad; fails the
    /// test on an untyped error.
    func read(_ bytes: [UInt8], name: String, format: InputFormat?, skipBad: Bool) throws -> Outcome {
        let path = try write(bytes, name)
        do {
            let result = try PaperReader.read([path], options: ReadOptions(format: format, skipBad: skipBad))
            for paper in result.papers {
                XCTAssertFalse(paper.id.isEmpty)
                XCTAssertFalse(paper.title.isEmpty, "\(name): paper without title")
            }
            return .papers(result.papers.count)
        } catch {
            XCTAssertTrue(Self.isTyped(error), "\(name): untyped error \(String(reflecting: type(of: error))): \(error)")
            return .error("\(type(of: error))")
        }
    }

    /// The real inputs: 3 dumps, and JSON Lines / CSV / TSV written from their papers by PaperWriter.
    func realInputs() throws -> [(name: String, bytes: [UInt8], format: InputFormat)] {
        var inputs = try Self.dumps.map { (name: URL(fileURLWithPath: $0).lastPathComponent, bytes: try bytes($0), format: InputFormat.dump) }
        let papers = try PaperReader.read(Self.dumps).papers
        XCTAssertGreaterThan(papers.count, 400)
        for (format, input) in [(OutputFormat.jsonl, InputFormat.jsonl), (.csv, .csv), (.tsv, .tsv)] {
            // A third of the papers keeps each read fast; the damage does not depend on length.
            let path = scratch.appendingPathComponent("papers.\(format.rawValue)").path
            try PaperWriter.write(Array(papers.prefix(60)), format: format, to: path)
            inputs.append((name: "papers.\(format.rawValue)", bytes: try bytes(path), format: input))
        }
        return inputs
    }

    func testDamagedInputsEndInPapersOrTypedErrors() throws {
        let inputs = try realInputs()
        let baseline = Self.peakMiB()
        var tried = 0, errors: [String: Int] = [:], readFine = 0
        var mutator = Mutator(seed: 20261124)
        let rounds = Self.scaled(150)
        for round in 0..<rounds {
            for (k, input) in inputs.enumerated() {
                // Dumps are larger (~250 KB); damage a slice of them most of the time to keep the test quick.
                var base = input.bytes
                if input.format == .dump && round % 4 != 0 {
                    let start = mutator.below(base.count - 20_000)
                    base = Array(base[start..<(start + 20_000)])
                }
                let damaged = mutator.mutate(base)
                let ext = ["txt", "jsonl", "csv", "tsv"][[InputFormat.dump, .jsonl, .csv, .tsv].firstIndex(of: input.format)!]
                let forced: InputFormat? = round % 3 == 0 ? input.format : nil
                switch try read(damaged, name: "m\(k).\(ext)", format: forced, skipBad: round % 2 == 1) {
                case .papers: readFine += 1
                case let .error(kind): errors[kind, default: 0] += 1
                }
                tried += 1
            }
        }
        // Every input is sometimes read whole; most damaged inputs still give papers with --skip-bad.
        XCTAssertEqual(tried, rounds * inputs.count)
        XCTAssertGreaterThan(readFine, tried / 4)
        XCTAssertGreaterThan(errors["CorpusError", default: 0], tried / 10)
        XCTAssertLessThan(Self.peakMiB() - baseline, 512, "reading damaged inputs grew the peak memory by > 512 MiB")
        print("MutationTests: \(tried) damaged inputs read, \(readFine) gave papers, errors \(errors)")
    }

    func testHugeLinesAreRefusedOrSkippedWithBoundedMemory() throws {
        var mutator = Mutator(seed: 7)
        let size = 20 << 20
        for input in try realInputs() {
            let damaged = mutator.hugeLine(input.bytes, size: size)
            let path = try write(damaged, "huge-\(input.name)")
            XCTAssertThrowsError(try PaperReader.read([path], options: ReadOptions(format: input.format))) { error in
                guard case let CorpusError.recordTooLong(_, _, limit) = error else {
                    return XCTFail("\(input.name): \(error)")
                }
                XCTAssertEqual(limit, Limits.maximumRecordBytes)
            }
            // Skipped and counted with skipBad: every paper but (at most) the one the line broke into.
            let normal = try PaperReader.read([try write(input.bytes, "plain-\(input.name)")], options: ReadOptions(format: input.format))
            let skipped = try PaperReader.read([path], options: ReadOptions(format: input.format, skipBad: true))
            XCTAssertGreaterThanOrEqual(skipped.recordsSkipped, 1, input.name)
            XCTAssertGreaterThanOrEqual(skipped.papers.count, normal.papers.count - 1, input.name)
        }
        let labels = try bytes(Self.root.path + "/Data/labels.tsv")
        let path = try write(mutator.hugeLine(labels, size: size), "huge-labels.tsv")
        XCTAssertThrowsError(try LabelTable.read(path: path)) { error in
            guard case CorpusError.recordTooLong = error else { return XCTFail("\(error)") }
        }
        XCTAssertLessThan(Self.peakMiB(), 1024)
    }

    func testDamagedLabelFilesEndInLabelsOrTypedErrors() throws {
        let labels = try bytes(Self.root.path + "/Data/labels.tsv")
        let original = try LabelTable.read(path: try write(labels, "labels.tsv"))
        XCTAssertEqual(original.entries.count, Set(original.entries.map { TitleKey.normalize($0.title) }).count)
        var mutator = Mutator(seed: 99)
        var loaded = 0, refused = 0
        let count = Self.scaled(300)
        let lines = labels.split(separator: 0x0A, omittingEmptySubsequences: false)
        for i in 0..<count {
            // Mostly a random run of 60 lines (header kept), sometimes the whole file.
            var base = labels
            if i % 5 != 0 {
                let start = 1 + mutator.below(lines.count - 61)
                base = Array(([lines[0]] + lines[start..<(start + 60)]).joined(separator: [0x0A]))
            }
            let path = try write(mutator.mutate(base), "labels-\(i % 4).tsv")
            do {
                let table = try LabelTable.read(path: path)
                for entry in table.entries { XCTAssertFalse(entry.title.isEmpty) }
                loaded += 1
            } catch {
                XCTAssertTrue(Self.isTyped(error), "untyped \(String(reflecting: type(of: error))): \(error)")
                refused += 1
            }
        }
        XCTAssertEqual(loaded + refused, count)
        XCTAssertGreaterThan(loaded, count / 10)
        XCTAssertGreaterThan(refused, count / 10)
        print("MutationTests: \(count) damaged label files, \(loaded) loaded, \(refused) refused")
    }

    /// A copy of Models/default in `name` with `file` replaced by `bytes`.
    func bundle(_ name: String, replacing file: String, with bytes: [UInt8]) throws -> String {
        let dir = scratch.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for f in [ModelBundle.configFile, ModelBundle.vocabularyFile, ModelBundle.tensorsFile] where f != file {
            // Hard links: the unchanged files cost nothing to "copy".
            XCTAssertEqual(link(Self.model + "/" + f, dir.path + "/" + f), 0)
        }
        try Data(bytes).write(to: dir.appendingPathComponent(file))
        return dir.path
    }

    func testDamagedModelBundlesLoadOrFailWithTypedErrors() throws {
        let papers = Array(try PaperReader.read([Self.dumps[2]]).papers.prefix(20))
        let reference = try TopicModel.load(from: Self.model).results(for: papers)
        var mutator = Mutator(seed: 424242)
        var tried = 0, loaded = 0, refused: [String: Int] = [:]
        let files = [(ModelBundle.configFile, Self.scaled(120)), (ModelBundle.vocabularyFile, Self.scaled(30)),
                     (ModelBundle.tensorsFile, Self.scaled(30))]
        for (file, count) in files {
            let original = try bytes(Self.model + "/" + file)
            for i in 0..<count {
                let damaged = mutator.mutate(original)
                let dir = try bundle("b\(i % 2)", replacing: file, with: damaged)
                tried += 1
                do {
                    let model = try TopicModel.load(from: dir)
                    let results = try model.results(for: papers, explainTerms: 2)
                    XCTAssertEqual(results.count, papers.count)
                    if damaged == original { XCTAssertEqual(results, reference) }
                    loaded += 1
                } catch {
                    XCTAssertTrue(Self.isTyped(error), "\(file): untyped \(String(reflecting: type(of: error))): \(error)")
                    refused["\(type(of: error))", default: 0] += 1
                }
            }
        }
        XCTAssertEqual(tried, files.map(\.1).reduce(0, +))
        XCTAssertGreaterThan(refused["ModelBundleError", default: 0], tried / 2)
        print("MutationTests: \(tried) damaged bundles, \(loaded) loaded, refused \(refused)")
    }

    func testDamagedSafeTensorsDecodeOrFailWithTypedErrors() throws {
        let original = try bytes(Self.model + "/" + ModelBundle.tensorsFile)
        let header = Int(original[0]) | Int(original[1]) << 8 | Int(original[2]) << 16
        var mutator = Mutator(seed: 31337)
        var decoded = 0, refused = 0
        let count = Self.scaled(5000)
        for i in 0..<count {
            // Damage concentrated on the header and the first bytes of data, where decoding decides things.
            var damaged = Array(original.prefix(8 + header + 64))
            damaged = mutator.mutate(damaged)
            if i % 3 == 0 { damaged += original.dropFirst(8 + header + 64) }
            do {
                _ = try SafeTensors.decode(damaged)
                decoded += 1
            } catch is SafeTensorsError {
                refused += 1
            }
        }
        XCTAssertEqual(decoded + refused, count)
        XCTAssertGreaterThan(refused, count / 2)
        print("MutationTests: \(count) damaged safetensors files, \(decoded) decoded, \(refused) refused")
    }
}

/// The inputs in Regressions/ (see its README) and the size limits of `Limits`.
final class RegressionTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Regressions")
    static let model = MutationTests.root.path + "/Models/default"

    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("topickit-regressions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    /// A copy of Models/default with `file` replaced by the contents of `source`.
    func bundle(replacing file: String, with source: String) throws -> String {
        let dir = scratch.appendingPathComponent("bundle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for f in [ModelBundle.configFile, ModelBundle.vocabularyFile, ModelBundle.tensorsFile] {
            try FileManager.default.copyItem(atPath: f == file ? source : Self.model + "/" + f, toPath: dir.path + "/" + f)
        }
        return dir.path
    }

    /// Feeds `path` to `target` as the fuzzer does; returns the error, nil when it read or loaded.
    func run(_ target: String, _ path: String) throws -> Error? {
        do {
            switch target {
            case "dump": _ = try PaperReader.read([path])
            case "jsonl", "csv", "tsv": _ = try PaperReader.read([path], options: ReadOptions(format: InputFormat(rawValue: target)))
            case "labels": _ = try LabelTable.read(path: path)
            case "safetensors": _ = try SafeTensors.decode(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
            case "config", "vocab":
                let file = target == "config" ? ModelBundle.configFile : ModelBundle.vocabularyFile
                _ = try TopicModel.load(from: try bundle(replacing: file, with: path))
            default: XCTFail("unknown regression folder \(target)")
            }
            return nil
        } catch {
            return error
        }
    }

    func testEveryRegressionInputEndsInTheExpectedOutcome() throws {
        var count = 0
        let targets = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: Self.folder.path + "/" + $0, isDirectory: &isDirectory) && isDirectory.boolValue
        }
        for target in targets.sorted() {
            for name in try FileManager.default.contentsOfDirectory(atPath: Self.folder.path + "/" + target).sorted() {
                let error = try run(target, Self.folder.path + "/" + target + "/" + name)
                if name.hasPrefix("ok-") {
                    XCTAssertNil(error, "\(target)/\(name)")
                } else if let error {
                    XCTAssertTrue(MutationTests.isTyped(error), "\(target)/\(name): untyped \(type(of: error)): \(error)")
                } else {
                    XCTFail("\(target)/\(name) was accepted")
                }
                count += 1
            }
        }
        XCTAssertGreaterThanOrEqual(count, 23)
    }

    func testSafeTensorsLimitsAreCheckedBeforeAllocating() throws {
        let dir = Self.folder.path + "/safetensors/"
        func decode(_ name: String) throws -> SafeTensorsError? {
            do { _ = try SafeTensors.decode(Array(try Data(contentsOf: URL(fileURLWithPath: dir + name)))); return nil } catch let e as SafeTensorsError { return e }
        }
        XCTAssertEqual(try decode("header-length-huge.safetensors"),
                       .headerTooLarge(claimed: 1 << 63, limit: Limits.maximumSafeTensorsHeaderBytes))
        XCTAssertEqual(try decode("header-length-over-limit.safetensors"),
                       .headerTooLarge(claimed: UInt64((100 << 20) + 8), limit: 100 << 20))
        XCTAssertEqual(try decode("tensor-claims-32GiB.safetensors"),
                       .tensorTooLarge(name: "w", bytes: 32 << 30, limit: Limits.maximumTensorBytes))
        XCTAssertEqual(try decode("shape-overflow.safetensors"), .invalidShape(name: "w", shape: [1 << 62, 1 << 62]))
        XCTAssertEqual(try decode("nan-weight.safetensors"), .nonFinite(name: "w", index: 1))
        XCTAssertEqual(Limits.maximumSafeTensorsHeaderBytes, SafeTensors.maximumHeaderBytes)
        XCTAssertEqual(Limits.maximumRecordBytes, ReadLimits.maximumRecordBytes)
    }

    func testOversizedBundleFilesAreRefusedFromTheirSize() throws {
        // Sparse files: the size is real to fstat, no disk or memory is used.
        for (file, limit) in [(ModelBundle.configFile, Limits.maximumConfigBytes),
                              (ModelBundle.vocabularyFile, Limits.maximumVocabularyFileBytes)] {
            let dir = try bundle(replacing: file, with: Self.model + "/" + file)
            XCTAssertEqual(truncate(dir + "/" + file, off_t(limit + 1)), 0)
            XCTAssertThrowsError(try ModelBundle.load(from: dir)) { error in
                guard case let ModelBundleError.fileTooLarge(path, bytes, l) = error else { return XCTFail("\(file): \(error)") }
                XCTAssertEqual(path, dir + "/" + file)
                XCTAssertEqual(bytes, limit + 1)
                XCTAssertEqual(l, limit)
            }
        }
    }

    func testVocabularySizeLimitIsCheckedOnConfigBeforeReadingTheVocabulary() throws {
        let config = Self.folder.path + "/config/vocab-size-huge.json"
        let dir = try bundle(replacing: ModelBundle.configFile, with: config)
        XCTAssertThrowsError(try ModelBundle.load(from: dir)) { error in
            guard case let ModelBundleError.vocabularyTooLarge(_, terms, limit) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(terms, 1 << 40)
            XCTAssertEqual(limit, Limits.maximumVocabularySize)
        }
        XCTAssertTrue("\(ModelBundleError.vocabularyTooLarge(path: "c", terms: 5, limit: 4))".contains("limit of 4 terms"))
    }
}
