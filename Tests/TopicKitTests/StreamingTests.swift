import Foundation
import XCTest
@testable import TopicKit
#if canImport(Glibc)
import Glibc
#endif

/// Streaming `topics tag`: block-by-block reading, de-duplication across blocks and inputs, output bytes
/// identical to the whole-input path for any block size.
final class StreamingTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var dumps: [String] {
        ["000_cf9603b38fab2277.txt", "001_d00b677fa77ecfd9.txt", "002_b40d90b5f4122fd8.txt"].map { root.path + "/Data/dumps/" + $0 }
    }
    static var defaultModel: String { root.path + "/Models/default" }

    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("topics-stream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    /// JSON Lines with `count` papers drawn from the real dumps: every 7th repeats an earlier id, every 11th has
    /// no id and a title seen before (dropped by title key), some blank lines.
    func generatedJSONLines(count: Int) throws -> String {
        let papers = try PaperReader.read(StreamingTests.dumps).papers
        var rng = SeededGenerator(seed: 7)
        var text = ""
        for i in 0..<count {
            let p = papers[Int(rng.next() % UInt64(papers.count))]
            var object: [String: Any] = ["title": p.title, "abstract": p.abstract]
            if i % 11 == 5 {
                object["title"] = papers[i % 17].title
            } else {
                object["id"] = i % 7 == 3 ? "9999.\(i % 5)" : "2501.\(String(format: "%05d", i))"
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            text += String(decoding: data, as: UTF8.self) + "\n"
            if i % 97 == 0 { text += "\n" }
        }
        let path = scratch.appendingPathComponent("generated.jsonl").path
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    func streamed(_ inputs: [String], blockSize: Int, lineBlockBytes: Int) throws -> (papers: [Paper], stream: PaperStream) {
        var stream = PaperStream(inputs, options: ReadOptions(), blockSize: blockSize, lineBlockBytes: lineBlockBytes)
        var papers: [Paper] = []
        while let block = try stream.next() {
            XCTAssertTrue(!block.isEmpty && block.count <= blockSize)
            papers += block
        }
        XCTAssertNil(try stream.next())
        return (papers, stream)
    }

    func testStreamEqualsWholeReadOnDumpsWithRepeats() throws {
        let inputs = StreamingTests.dumps + [StreamingTests.dumps[1]]
        let whole = try PaperReader.read(inputs)
        let (papers, stream) = try streamed(inputs, blockSize: 13, lineBlockBytes: 4096)
        XCTAssertEqual(papers, whole.papers)
        XCTAssertGreaterThan(whole.duplicatesDropped, 100)
        XCTAssertEqual(stream.duplicatesDropped, whole.duplicatesDropped)
        XCTAssertEqual(stream.papersRead, whole.papers.count)
    }

    func testStreamEqualsWholeReadOnGeneratedJSONLines() throws {
        let path = try generatedJSONLines(count: 600)
        let whole = try PaperReader.read([path])
        XCTAssertGreaterThan(whole.duplicatesDropped, 50)
        for (blockSize, lineBytes) in [(1, 512), (37, 4096), (100_000, 8 << 20)] {
            let (papers, stream) = try streamed([path], blockSize: blockSize, lineBlockBytes: lineBytes)
            XCTAssertEqual(papers, whole.papers, "block size \(blockSize)")
            XCTAssertEqual(stream.duplicatesDropped, whole.duplicatesDropped)
            XCTAssertEqual(stream.recordsSkipped, 0)
        }
    }

    func testStreamReportsBadRecordWithItsLineOrSkipsIt() throws {
        var text = ""
        for i in 0..<200 { text += #"{"id": "2501.\#(i)", "title": "Paper \#(i)", "abstract": "About topic \#(i)."}"# + "\n" }
        text += "{not json\n"
        text += #"{"id": "2501.x", "title": "Last", "abstract": "The end."}"# + "\n"
        let path = scratch.appendingPathComponent("bad.jsonl").path
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        var stream = PaperStream([path], options: ReadOptions(), blockSize: 10, lineBlockBytes: 1024)
        XCTAssertThrowsError(try { while try stream.next() != nil {} }()) { error in
            guard case let CorpusError.malformedRecord(_, line, _)? = error as? CorpusError else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(line, 201)
        }
        let (papers, skipping) = try { () -> ([Paper], PaperStream) in
            var s = PaperStream([path], options: ReadOptions(skipBad: true), blockSize: 10, lineBlockBytes: 1024)
            var all: [Paper] = []
            while let b = try s.next() { all += b }
            return (all, s)
        }()
        XCTAssertEqual(papers.count, 201)
        XCTAssertEqual(skipping.recordsSkipped, 1)
    }

    /// The bytes `topics tag` wrote before streaming: whole input, then `results`, then `PaperResultWriter.write`.
    func wholeOutput(_ model: TopicModel, _ inputs: [String], format: ResultFormat, explain: Int = 0) throws -> [UInt8] {
        let papers = try PaperReader.read(inputs).papers
        let results = try model.results(for: papers, explainTerms: explain)
        let path = scratch.appendingPathComponent("whole.\(format)").path
        try PaperResultWriter.write(results, tagNames: model.tagger?.tags ?? [], format: format, to: path)
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func testStreamedTagOutputIsByteIdenticalToWholeInput() throws {
        let model = try TopicModel.load(from: StreamingTests.defaultModel)
        let generated = try generatedJSONLines(count: 400)
        for (inputs, format, explain) in [(StreamingTests.dumps, ResultFormat.jsonl, 0), ([generated], .jsonl, 0),
                                          ([generated], .tsv, 0), (StreamingTests.dumps, .csv, 0),
                                          ([StreamingTests.dumps[2]], .jsonl, 5), ([StreamingTests.dumps[2]], .table, 0)] {
            let expected = try wholeOutput(model, inputs, format: format, explain: explain)
            XCTAssertGreaterThan(expected.count, 1000)
            for blockSize in [7, 16_384] {
                var stream = PaperStream(inputs, options: ReadOptions(), blockSize: blockSize, lineBlockBytes: 2048)
                let path = scratch.appendingPathComponent("streamed.\(format)").path
                let summary = try model.tag(&stream, threshold: nil, explainTerms: explain, format: format, to: path)
                let got = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
                XCTAssertEqual(got, expected, "\(inputs.count) inputs, \(format), block \(blockSize)")
                XCTAssertEqual(summary.papers, try PaperReader.read(inputs).papers.count)
            }
        }
    }

    func testTagWithModelPathEqualsLoadThenTagAndReportsModelErrorsFirst() throws {
        let generated = try generatedJSONLines(count: 200)
        let model = try TopicModel.load(from: StreamingTests.defaultModel)
        let expected = try wholeOutput(model, [generated], format: .jsonl)
        let path = scratch.appendingPathComponent("by-path.jsonl").path
        let summary = try TopicModel.tag(model: StreamingTests.defaultModel, inputs: [generated], to: path, blockSize: 64)
        XCTAssertEqual(Array(try Data(contentsOf: URL(fileURLWithPath: path))), expected)
        XCTAssertEqual(summary.papers, try PaperReader.read([generated]).papers.count)
        let missing = scratch.appendingPathComponent("no-such-model").path
        XCTAssertThrowsError(try TopicModel.tag(model: missing, inputs: ["/no/such/input.jsonl"], to: path)) { error in
            XCTAssertTrue(error is ModelBundleError, "\(error)")
        }
        XCTAssertThrowsError(try TopicModel.tag(model: StreamingTests.defaultModel, inputs: ["/no/such/input.jsonl"], to: path)) { error in
            XCTAssertTrue(error is CorpusError, "\(error)")
        }
    }

    func testTagReadsStandardInput() throws {
        let generated = try generatedJSONLines(count: 300)
        let model = try TopicModel.load(from: StreamingTests.defaultModel)
        let expected = try wholeOutput(model, [generated], format: .jsonl)
        let process = Process()
        process.executableURL = Bundle.main.bundleURL.appendingPathComponent("topics")
        process.arguments = ["tag", "-", "--model", StreamingTests.defaultModel]
        let outURL = scratch.appendingPathComponent("stdout.jsonl")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        process.standardInput = FileHandle(forReadingAtPath: generated)
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(Array(try Data(contentsOf: outURL)), expected)
    }

    /// The formatter `topics tag` used before the byte formatter: the reference for `appendFixed`.
    func referenceFixed(_ value: Float, digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "Infinity" : "-Infinity") }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (Double(value) * scale).rounded()
        let magnitude = UInt64(abs(scaled)), unit = UInt64(scale)
        var fraction = String(magnitude % unit)
        if fraction.count < digits { fraction = String(repeating: "0", count: digits - fraction.count) + fraction }
        let text = digits > 0 ? "\(magnitude / unit).\(fraction)" : "\(magnitude / unit)"
        return scaled < 0 && magnitude != 0 ? "-" + text : text
    }

    func testFixedFormatterMatchesReference() {
        var rng = SeededGenerator(seed: 3)
        var values: [Float] = [0, -0, 0.00005, -0.00005, 0.99995, 1, -1, 0.5, 123456.789, -0.000049, .nan, .infinity, -.infinity]
        for _ in 0..<20_000 { values.append((rng.nextUnitFloat() - 0.5) * Float(1 << (rng.next() % 20))) }
        for _ in 0..<20_000 { values.append(rng.nextUnitFloat()) }
        for v in values {
            for digits in [0, 2, 4] {
                var out: [UInt8] = []
                PaperResultWriter.appendFixed(v, digits: digits, to: &out)
                XCTAssertEqual(String(decoding: out, as: UTF8.self), referenceFixed(v, digits: digits), "\(v) \(digits)")
            }
        }
        XCTAssertEqual(PaperResultWriter.fixed(0.12345, digits: 4), "0.1235")
        XCTAssertEqual(PaperResultWriter.fixed(-0.00004, digits: 4), "0.0000")
    }

    func testVocabularyFileParsesAndNamesProblemLines() throws {
        var rng = SeededGenerator(seed: 11)
        var terms = Set<String>()
        while terms.count < 5000 {
            let n = 1 + Int(rng.next() % 3)
            terms.insert((0..<n).map { _ in String((0..<(2 + Int(rng.next() % 8))).map { _ in "abcdéfghij"[Int(rng.next() % 10)] }) }
                .joined(separator: " "))
        }
        let list = terms.sorted()
        let bytes = Array(list.map { $0 + "\n" }.joined().utf8)
        XCTAssertEqual(try VocabularyFile.parse(bytes, path: "v"), list)
        XCTAssertEqual(try VocabularyFile.parse([], path: "v"), [])
        func reason(_ text: String) -> String {
            do { _ = try VocabularyFile.parse(Array(text.utf8), path: "v"); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(reason("a\nb\nc\nb\n").contains("line 4 repeats the term \"b\" of line 2"), reason("a\nb\nc\nb\n"))
        XCTAssertTrue(reason("a\n\nb\n").contains("line 2: empty term"))
        XCTAssertTrue(reason("a\nb\r\n").contains("line 2"))
        XCTAssertTrue(reason("a\nb").contains("no newline"))
        XCTAssertThrowsError(try VocabularyFile.parse([0x61, 0x0A, 0xFF, 0x0A], path: "v")) { error in
            XCTAssertTrue("\(error)".contains("UTF-8"), "\(error)")
        }
    }
}

private extension String {
    subscript(i: Int) -> Character { self[index(startIndex, offsetBy: i)] }
}

extension StreamingTests {
    /// Scoring while rows are built (padded weights, idf read from the weight rows, SIMD accumulators) gives the
    /// bits of the plain path: the assembled TF-IDF matrix, then bias + Σ value · weight in column order and
    /// the logistic function, one scalar at a time. Tag counts cover one and two 16-float vectors, a count
    /// with no padding (16) and the general path (40).
    func testScoresWhileBuildingRowsEqualPlainScalarScores() throws {
        let papers = try PaperReader.read(StreamingTests.dumps).papers
        let v = try TfidfVectorizer.fit(papers, options: TfidfOptions(ngramRange: 1...2, stopWords: .english, titleWeight: 2))
        let x = v.transform(papers)
        var g = SeededGenerator(seed: 9)
        for tagCount in [3, 16, 26, 40] {
            let weights = (0..<(v.featureCount * tagCount)).map { _ in g.nextGaussian() * 3 }
            let biases = (0..<tagCount).map { _ in g.nextGaussian() }
            let tagger = try Tagger(tags: (0..<tagCount).map { "t\($0)" }, vectorizer: v, weights: weights, biases: biases,
                                    thresholds: [Float](repeating: 0.5, count: tagCount))
            var expected = [Float](repeating: 0, count: papers.count * tagCount)
            for i in 0..<papers.count {
                for t in 0..<tagCount {
                    var z = biases[t]
                    for k in x.rowPointers[i]..<x.rowPointers[i + 1] {
                        z += x.values[k] * weights[Int(x.columnIndices[k]) * tagCount + t]
                    }
                    expected[i * tagCount + t] = 1 / (1 + expf(-z))
                }
            }
            XCTAssertEqual(tagger.probabilities(papers).map(\.bitPattern), expected.map(\.bitPattern), "\(tagCount) tags")
            XCTAssertEqual(tagger.scoreMatrix(x).map(\.bitPattern), expected.map(\.bitPattern), "\(tagCount) tags")
        }
        XCTAssertGreaterThan(papers.count, 400)
    }
}
