import Foundation
import XCTest
@testable import TopicKit

final class CorpusTests: XCTestCase {
    private var dir: URL!

    private static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    private static func data(_ path: String) -> String { repo.appendingPathComponent("Data/\(path)").path }
    private static var dumps: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: data("dumps"))) ?? []
        return names.filter { $0.hasSuffix(".txt") }.sorted().map { data("dumps/\($0)") }
    }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    @discardableResult
    private func file(_ name: String, _ text: String) throws -> String {
        try file(name, bytes: Array(text.utf8))
    }

    @discardableResult
    private func file(_ name: String, bytes: [UInt8]) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func assertError(_ expected: CorpusError, _ body: () throws -> Void, file: StaticString = #filePath,
                             line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual(error as? CorpusError, expected, "\(error)", file: file, line: line)
        }
    }

    // MARK: Listing dumps

    func testDumpsGiveExactlyTheLabeledPapers() throws {
        let dumps = Self.dumps
        XCTAssertEqual(dumps.count, 3)
        let perDump = try dumps.map { try PaperReader.read([$0]).papers.count }
        XCTAssertEqual(perDump, [219, 213, 109])

        let result = try PaperReader.read(dumps)
        XCTAssertEqual(result.papers.count, 499)
        XCTAssertEqual(result.duplicatesDropped, 219 + 213 + 109 - 499)
        XCTAssertEqual(result.recordsSkipped, 0)

        let labels = try LabelTable.read(path: Self.data("labels.tsv"))
        XCTAssertEqual(labels.entries.count, 499)
        XCTAssertEqual(Set(result.papers.map { TitleKey.normalize($0.title) }),
                       Set(labels.entries.map { TitleKey.normalize($0.title) }))
        let join = labels.join(result.papers)
        XCTAssertEqual(join.unmatchedTitles, [])
        XCTAssertTrue(join.labels.allSatisfy { $0 != nil })

        let chrome = ["Subscribe", "Get trending", "Daily Papers", "research community", " authors"]
        for paper in result.papers {
            XCTAssertGreaterThan(paper.abstract.count, 300, paper.title)
            XCTAssertLessThan(paper.title.count, 200, paper.title)
            for phrase in chrome {
                XCTAssertFalse(paper.title.contains(phrase), paper.title)
                XCTAssertFalse(paper.abstract.hasPrefix(phrase), paper.title)
            }
            XCTAssertEqual(paper.id.count, 16)
            XCTAssertEqual(paper.id, PaperID.forTitle(paper.title))
        }
        XCTAssertEqual(Set(result.papers.map(\.id)).count, 499)
        XCTAssertEqual(result.papers.first?.title, "DenseNets Reloaded: Paradigm Shift Beyond ResNets and ViTs")
    }

    func testSpacedDumpKeepsMetadata() throws {
        let papers = try PaperReader.read([Self.dumps[2]]).papers
        XCTAssertEqual(papers.filter { $0.authorCount != nil }.count, 105)
        XCTAssertEqual(papers.filter { $0.date != nil }.count, 106)
        XCTAssertEqual(papers.filter { $0.upvotes != nil }.count, 10)
        XCTAssertFalse(papers.contains { $0.title.contains("Dracodes") })
        let resnets = try XCTUnwrap(papers.first { $0.title == "Revisiting ResNets: Improved Training and Scaling Strategies" })
        XCTAssertEqual(resnets.authorCount, 8)
        XCTAssertEqual(resnets.date, "Mar 12, 2021")
        XCTAssertNil(resnets.upvotes)
        let dual = try XCTUnwrap(papers.first { $0.title.hasPrefix("DualToken-ViT") })
        XCTAssertEqual(dual.date, "Sep 21, 2023")
        XCTAssertEqual(dual.upvotes, 2)
        let service = try XCTUnwrap(papers.first { $0.title == "AI for Service: Proactive Assistance with AI Glasses" })
        XCTAssertNil(service.authorCount)
        XCTAssertNil(service.date)
    }

    private let abstractA = "We study a new method for sparse attention. It reduces memory by half and keeps accuracy on every benchmark we tried."
    private let abstractB = "Key-value caches grow with context length. We compress them with learned quantization and show large savings in practice."

    func testNewSpacedDumpWithUnseenMetadataShapes() throws {
        let text = """
            new

            Get trending papers in your email inbox!

            Subscribe

            Daily Papers

            byAK and the research community

            Dec 1

            Sparse Attention at Scale

            \(abstractA)

              • 1 author
            ·
            Jan 3, 2025

            17

            Compressed Caches

            \(abstractB)

            Jane Doe
            ·
            Feb 9 5

            No Authors Line

            \(abstractA) Again.

            ·
            Mar 3

            """
        let papers = try PaperReader.read([try file("new.txt", text)]).papers
        XCTAssertEqual(papers.map(\.title), ["Sparse Attention at Scale", "Compressed Caches", "No Authors Line"])
        XCTAssertEqual(papers.map(\.abstract), [abstractA, abstractB, abstractA + " Again."])
        XCTAssertEqual(papers[2].date, "Mar 3")
        XCTAssertEqual(papers[0].authorCount, 1)
        XCTAssertEqual(papers[0].date, "Jan 3, 2025")
        XCTAssertEqual(papers[0].upvotes, 17)
        XCTAssertNil(papers[1].authorCount)
        XCTAssertEqual(papers[1].date, "Feb 9")
        XCTAssertEqual(papers[1].upvotes, 5)
    }

    func testCompactDumpTitleWithoutAbstract() throws {
        let text = "Get trending papers in your email inbox once a day!\nSubscribeSparse Attention at Scale\n\(abstractA)\n"
            + "Lonely Title\nCompressed Caches\n\(abstractB)"
        let path = try file("compact.txt", text)
        assertError(.titleWithoutAbstract(path: path, line: 4, title: "Lonely Title")) {
            _ = try PaperReader.read([path])
        }
        let result = try PaperReader.read([path], options: ReadOptions(skipBad: true))
        XCTAssertEqual(result.papers.map(\.title), ["Sparse Attention at Scale", "Compressed Caches"])
        XCTAssertEqual(result.recordsSkipped, 1)

        let glued = try file("glued.txt", "Get trending papers in your email inbox!\nSubscribevLLM Serving\n\(abstractA)\n"
            + "Subscriber Churn Prediction\n\(abstractB)\n")
        XCTAssertEqual(try PaperReader.read([glued]).papers.map(\.title), ["vLLM Serving", "Subscriber Churn Prediction"])

        let last = try file("last.txt", "Sparse Attention at Scale\n\(abstractA)\nTrailing Title\n")
        assertError(.titleWithoutAbstract(path: last, line: 3, title: "Trailing Title")) { _ = try PaperReader.read([last]) }
    }

    // MARK: JSON Lines

    func testJSONLinesFieldsAndNormalisation() throws {
        let lines = [
            #"{"id": "2401.00001", "title": "A  Title\nwith breaks", "abstract": "Cafe\u0301 \"quoted\" \ud83d\ude00 text.", "tags": ["nas", "compression"], "categories": "cs.LG stat.ML", "doi": null, "versions": [{"v": 1}], "score": 1.5e3}"#,
            #"{"title": "Second", "summary": "Only a summary.", "tags": "kv-cache, transformers", "categories": ["cs.CL"]}"#,
            "",
            #"  {"id": 12, "title": "Third", "abstract": "Numeric id.", "author_count": 3, "upvotes": 4, "date": "Mar 1"}  "#,
        ]
        let path = try file("papers.data", lines.joined(separator: "\n"))
        let papers = try PaperReader.read([path]).papers
        XCTAssertEqual(papers.count, 3)
        XCTAssertEqual(papers[0].id, "2401.00001")
        XCTAssertEqual(papers[0].title, "A Title with breaks")
        XCTAssertEqual(papers[0].abstract, "Caf\u{E9} \"quoted\" \u{1F600} text.")
        XCTAssertEqual(papers[0].tags, ["nas", "compression"])
        XCTAssertEqual(papers[0].categories, ["cs.LG", "stat.ML"])
        XCTAssertEqual(papers[0].extra, ["doi": "null", "versions": #"[{"v": 1}]"#, "score": "1.5e3"])
        XCTAssertEqual(papers[1].abstract, "Only a summary.")
        XCTAssertEqual(papers[1].tags, ["kv-cache", "transformers"])
        XCTAssertEqual(papers[1].categories, ["cs.CL"])
        XCTAssertEqual(papers[1].id, PaperID.forTitle("Second"))
        XCTAssertEqual(papers[2].id, "12")
        XCTAssertEqual(papers[2].authorCount, 3)
        XCTAssertEqual(papers[2].upvotes, 4)
        XCTAssertEqual(papers[2].date, "Mar 1")
    }

    func testJSONLinesBadRecords() throws {
        let good = #"{"title": "Good", "abstract": "Fine."}"#
        let truncated = try file("t.jsonl", good + "\n" + #"{"title": "Cut", "abstr"# + "\n" + good.replacingOccurrences(of: "Good", with: "Other"))
        assertError(.malformedRecord(path: truncated, line: 2, reason: "unexpected end of line (truncated record?)")) {
            _ = try PaperReader.read([truncated])
        }
        let skipped = try PaperReader.read([truncated], options: ReadOptions(skipBad: true))
        XCTAssertEqual(skipped.papers.map(\.title), ["Good", "Other"])
        XCTAssertEqual(skipped.recordsSkipped, 1)

        let noAbstract = try file("n.jsonl", good + "\n" + #"{"title": "No abstract", "abstract": ""}"#)
        assertError(.missingField(path: noAbstract, line: 2, field: "abstract")) { _ = try PaperReader.read([noAbstract]) }
        let noTitle = try file("m.jsonl", #"{"abstract": "x"}"#)
        assertError(.missingField(path: noTitle, line: 1, field: "title")) { _ = try PaperReader.read([noTitle]) }

        let badUTF8 = try file("u.jsonl", bytes: Array((good + "\n" + good + "\n").utf8) + Array(#"{"title": "Bad "#.utf8)
            + [0xC3, 0x28] + Array(#"", "abstract": "x"}"#.utf8))
        assertError(.invalidUTF8(path: badUTF8, line: 3)) { _ = try PaperReader.read([badUTF8]) }
        XCTAssertEqual(try PaperReader.read([badUTF8], options: ReadOptions(skipBad: true)).recordsSkipped, 1)

        let trailing = try file("x.jsonl", good + " x")
        XCTAssertThrowsError(try PaperReader.read([trailing]))
    }

    /// Blocks are cut into pieces parsed on several threads: results and error lines must not depend on it.
    func testJSONLinesAreIdenticalForAnyThreadCountAndErrorLinesAreExact() throws {
        var rng = SeededGenerator(seed: 7)
        var lines: [String] = []
        for i in 0..<3000 {
            let words = (0..<(100 + Int(rng.next() % 100))).map { _ in String(rng.next() % 100_000) }
            lines.append(#"{"id": "p\#(i)", "title": "Paper \#(i)", "abstract": "\#(words.joined(separator: " "))"}"#)
        }
        let path = try file("big.jsonl", lines.joined(separator: "\n") + "\n")
        XCTAssertGreaterThan(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0, 2 << 20)
        setenv("TOPICKIT_THREADS", "1", 1)
        let one = try PaperReader.read([path]).papers
        setenv("TOPICKIT_THREADS", "2", 1)
        let two = try PaperReader.read([path]).papers
        unsetenv("TOPICKIT_THREADS")
        XCTAssertEqual(one.count, 3000)
        XCTAssertEqual(one, two)
        XCTAssertEqual(one.map(\.id), (0..<3000).map { "p\($0)" })

        lines[2876] = #"{"id": "broken", "title": "#
        let broken = try file("broken.jsonl", lines.joined(separator: "\n"))
        assertError(.malformedRecord(path: broken, line: 2877, reason: "unexpected end of line (truncated record?)")) {
            _ = try PaperReader.read([broken])
        }
    }

    // MARK: CSV and TSV

    func testCSVQuotingAndColumnsByName() throws {
        let csv = "ID,Title,Summary,Tags,Venue\r\n"
            + "1,\"Commas, and \"\"quotes\"\"\",\"A line\nbreak inside.\",\"nas,compression\",ICML\r\n"
            + "2,Plain,Plain abstract.,,\n"
        let path = try file("papers.csv", csv)
        let papers = try PaperReader.read([path]).papers
        XCTAssertEqual(papers.count, 2)
        XCTAssertEqual(papers[0].id, "1")
        XCTAssertEqual(papers[0].title, "Commas, and \"quotes\"")
        XCTAssertEqual(papers[0].abstract, "A line break inside.")
        XCTAssertEqual(papers[0].tags, ["nas", "compression"])
        XCTAssertEqual(papers[0].extra, ["Venue": "\"ICML\""])
        XCTAssertNil(papers[1].tags)
        XCTAssertEqual(papers[1].extra, [:])

        let tsv = try file("noext", "title\tabstract\tcategories\nT1\tA1.\tcs.LG cs.AI\n")
        let t = try PaperReader.read([tsv]).papers
        XCTAssertEqual(t.map(\.title), ["T1"])
        XCTAssertEqual(t[0].categories, ["cs.LG", "cs.AI"])
    }

    func testCSVBadInputs() throws {
        let noTitle = try file("no-title.csv", "name,abstract\nx,y\n")
        assertError(.missingColumn(path: noTitle, column: "title", header: ["name", "abstract"])) {
            _ = try PaperReader.read([noTitle])
        }
        let unterminated = try file("open.csv", "title,abstract\nA,\"never closed\nB,b\n")
        assertError(.malformedRecord(path: unterminated, line: 2, reason: "unterminated quoted field (missing closing \")")) {
            _ = try PaperReader.read([unterminated])
        }
        let missing = try file("missing.csv", "title,abstract\nA,a.\nB,\nC,c.\n")
        assertError(.missingField(path: missing, line: 3, field: "abstract")) { _ = try PaperReader.read([missing]) }
        let result = try PaperReader.read([missing], options: ReadOptions(skipBad: true))
        XCTAssertEqual(result.papers.map(\.title), ["A", "C"])
        XCTAssertEqual(result.recordsSkipped, 1)
        let long = try file("long.csv", "title,abstract\nT,\"" + String(repeating: "word\n", count: 2_000_000) + "\"\nU,u.\n")
        assertError(.recordTooLong(path: long, line: 2, limit: ReadLimits.maximumRecordBytes)) { _ = try PaperReader.read([long]) }
        let afterLong = try PaperReader.read([long], options: ReadOptions(skipBad: true))
        XCTAssertEqual(afterLong.papers.map(\.title), ["U"])
        XCTAssertEqual(afterLong.recordsSkipped, 1)
        let wide = try file("wide.csv", "title,abstract\nA,a.,extra\n")
        assertError(.malformedRecord(path: wide, line: 2, reason: "3 fields but the header has 2")) { _ = try PaperReader.read([wide]) }
    }

    // MARK: Detection and bad files

    func testDetectionByContentAndForcedFormat() throws {
        let jsonInTxt = try file("a.txt", #"{"title": "T", "abstract": "A."}"#)
        XCTAssertEqual(try PaperReader.read([jsonInTxt]).papers.map(\.title), ["T"])
        let csvNoExt = try file("b", "title,abstract\nT2,A2.\n")
        XCTAssertEqual(try PaperReader.read([csvNoExt]).papers.map(\.title), ["T2"])
        XCTAssertEqual(InputFormatDetector.detect(Array("Some Title\nSome abstract.".utf8), path: "x.csv"), .csv)
        XCTAssertEqual(InputFormatDetector.detect(Array("Some Title\nSome abstract.".utf8), path: "x"), .dump)
        let forced = try file("c.csv", "Sparse Attention at Scale\n\(abstractA)\n")
        XCTAssertEqual(try PaperReader.read([forced], options: ReadOptions(format: .dump)).papers.count, 1)
        XCTAssertThrowsError(try PaperReader.read([forced]))
    }

    func testBadFilesGiveTypedErrors() throws {
        let empty = try file("empty.jsonl", "")
        assertError(.emptyInput(path: empty)) { _ = try PaperReader.read([empty]) }
        let blank = try file("blank.txt", "  \n\n \n")
        assertError(.emptyInput(path: blank)) { _ = try PaperReader.read([blank]) }
        let binary = try file("binary.bin", bytes: [0x7F, 0x45, 0x4C, 0x46, 0, 0, 1, 2, 0x0A, 0x41])
        assertError(.binaryInput(path: binary)) { _ = try PaperReader.read([binary]) }
        let missing = dir.appendingPathComponent("nope.jsonl").path
        assertError(.fileNotFound(path: missing)) { _ = try PaperReader.read([missing]) }
        assertError(.notARegularFile(path: dir.path)) { _ = try PaperReader.read([dir.path]) }
        let latin1 = try file("latin1.txt", bytes: Array("Title\n".utf8) + [0x43, 0x61, 0x66, 0xE9] + Array(" abstract.\n".utf8))
        assertError(.invalidUTF8(path: latin1, line: 2)) { _ = try PaperReader.read([latin1]) }
        for error in [CorpusError.emptyInput(path: empty), .invalidUTF8(path: latin1, line: 2)] {
            XCTAssertTrue(error.description.hasPrefix(error == .emptyInput(path: empty) ? empty : latin1 + ":2:"))
        }
    }

    func testHundredMegabyteLineIsRefusedWithoutReadingItWhole() throws {
        let path = dir.appendingPathComponent("huge.jsonl").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        handle.write(Data(#"{"title": "Fine", "abstract": "Ok."}"#.utf8 + [0x0A]))
        handle.write(Data(#"{"title": "Huge", "abstract": ""#.utf8))
        let chunk = Data(repeating: UInt8(ascii: "a"), count: 1 << 20)
        for _ in 0..<100 { handle.write(chunk) }
        handle.write(Data(#""}"#.utf8 + [0x0A]))
        handle.write(Data(#"{"title": "After", "abstract": "Ok."}"#.utf8))
        try handle.close()
        assertError(.recordTooLong(path: path, line: 2, limit: ReadLimits.maximumRecordBytes)) { _ = try PaperReader.read([path]) }
        let result = try PaperReader.read([path], options: ReadOptions(skipBad: true))
        XCTAssertEqual(result.papers.map(\.title), ["Fine", "After"])
        XCTAssertEqual(result.recordsSkipped, 1)
    }

    func testLineBlocksCoverTheInputWithCorrectLineNumbers() throws {
        var rng = SeededGenerator(seed: 3)
        var text = ""
        for i in 0..<500 { text += String(repeating: "x", count: Int(rng.next() % 40)) + "line\(i)\n" }
        text += "last"
        let path = try file("lines.txt", text)
        var reader = LineBlockReader(source: try CorpusInput(path: path), blockBytes: 97)
        var all: [UInt8] = []
        var expectedLine = 1
        while let block = try reader.next() {
            XCTAssertEqual(block.firstLine, expectedLine)
            expectedLine += LineBlockReader.countNewlines(block.bytes)
            XCTAssertTrue(block.bytes.last == 0x0A || block.bytes.last == UInt8(ascii: "t"))
            all += block.bytes
        }
        XCTAssertEqual(all, Array(text.utf8))
    }

    // MARK: De-duplication and ids

    func testDeduplicationAcrossInputsAndStableIds() throws {
        let a = try file("a.jsonl", """
            {"id": "2401.1", "title": "Same Id", "abstract": "First."}
            {"title": "Attention Is All You Need", "abstract": "Original."}
            """)
        let b = try file("b.jsonl", """
            {"id": "2401.1", "title": "Same Id Other Title", "abstract": "Second."}
            {"title": "attention is all you need!", "abstract": "Copy."}
            {"id": "2401.2", "title": "Attention Is All You Need", "abstract": "Has an id."}
            """)
        let result = try PaperReader.read([a, b])
        XCTAssertEqual(result.papers.map(\.abstract), ["First.", "Original.", "Has an id."])
        XCTAssertEqual(result.duplicatesDropped, 2)
        XCTAssertEqual(result.papers[1].id, "2a3b4fae3eda2ccf")
        XCTAssertEqual(PaperID.forTitle("Attention Is All You Need"), "2a3b4fae3eda2ccf")
        XCTAssertEqual(TitleKey.normalize("  Attention: Is ALL you need?! "), "attentionisallyouneed")
        XCTAssertEqual(TitleKey.normalize("Cafe\u{301} Ünïcode 2"), "caféünïcode2")
    }

    // MARK: Labels

    func testLabelTableAndJoin() throws {
        let table = try LabelTable.read(path: Self.data("labels.tsv"))
        XCTAssertEqual(table.entries.filter(\.tags.isEmpty).count, 212)
        XCTAssertEqual(table.entries.filter { $0.tags.contains("kv-cache") }.count, 18)
        XCTAssertEqual(table.entries[3].title, "Learning Transferable Architectures for Scalable Image Recognition")
        XCTAssertEqual(table.entries[3].tags, ["nas"])

        let path = try file("labels.tsv", "A Paper\tnas, compression\nOther Paper\t-\n\nMissing Paper\ttransformers\n")
        let labels = try LabelTable.read(path: path)
        let papers = [Paper(id: "1", title: "a paper", abstract: "x"), Paper(id: "2", title: "Unlabeled", abstract: "y"),
                      Paper(id: "3", title: "OTHER PAPER.", abstract: "z")]
        let join = labels.join(papers)
        XCTAssertEqual(join.labels[0], ["nas", "compression"])
        XCTAssertNil(join.labels[1])
        XCTAssertEqual(join.labels[2], [])
        XCTAssertEqual(join.unmatchedTitles, ["Missing Paper"])

        let bad = try file("bad.tsv", "title\ttags\nA\tnas\nNo tab here\n")
        assertError(.badLabel(path: bad, line: 3, reason: "expected 'title<TAB>tags' (2 columns), found 1")) {
            _ = try LabelTable.read(path: bad)
        }
        let conflict = try file("conflict.tsv", "A\tnas\na\tcompression\n")
        assertError(.badLabel(path: conflict, line: 2, reason: "title repeats line 1 with different tags")) {
            _ = try LabelTable.read(path: conflict)
        }
    }

    func testLabelsFromFields() {
        let paper = Paper(id: "1", title: "t", abstract: "a", tags: ["nas"], categories: ["cs.LG"],
                          extra: ["topics": #"["x", "y"]"#, "kw": #""a, b""#, "cats": #""cs.AI cs.CL""#, "n": "3"])
        XCTAssertEqual(paper.labels(field: "tags"), ["nas"])
        XCTAssertEqual(paper.labels(field: "categories"), ["cs.LG"])
        XCTAssertEqual(paper.labels(field: "topics"), ["x", "y"])
        XCTAssertEqual(paper.labels(field: "kw"), ["a", "b"])
        XCTAssertEqual(paper.labels(field: "cats"), ["cs.AI", "cs.CL"])
        XCTAssertNil(paper.labels(field: "n"))
        XCTAssertNil(paper.labels(field: "absent"))
    }

    // MARK: Writing

    func testJSONTextQuoted() {
        XCTAssertEqual(JSONText.quoted("plain"), #""plain""#)
        XCTAssertEqual(JSONText.quoted("a\"b\\c\nd\te\u{1}"), #""a\"b\\c\nd\te\u0001""#)
        XCTAssertEqual(JSONText.quoted("é😀"), "\"é😀\"")
    }

    func testWriteAndReadBackEveryFormat() throws {
        var rng = SeededGenerator(seed: 11)
        let alphabet = Array("abcdefghij KLMN,;\"'\\\t/é😀ü")
        func text(_ n: Int) -> String {
            CorpusText.clean(String((0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }))
        }
        var papers: [Paper] = []
        for i in 0..<200 {
            var p = Paper(id: "id\(i)", title: "T\(i) " + text(20), abstract: "A " + text(200))
            if i % 3 == 0 { p.tags = ["nas", "kv-cache"] }
            if i % 4 == 0 { p.categories = ["cs.LG", "cs.CL"] }
            if i % 5 == 0 { p.authorCount = i; p.upvotes = i + 1; p.date = "Mar \(i % 28 + 1), 2021" }
            if i % 2 == 0 { p.extra["venue"] = JSONText.quoted("v" + text(10)) }
            papers.append(p)
        }
        for format in OutputFormat.allCases {
            let path = dir.appendingPathComponent("out.\(format.rawValue)").path
            try PaperWriter.write(papers, format: format, to: path)
            let back = try PaperReader.read([path]).papers
            XCTAssertEqual(back.count, papers.count, "\(format)")
            let firstDifference = papers.indices.first { $0 < back.count && back[$0] != papers[$0] }
            XCTAssertNil(firstDifference, "\(format): \(firstDifference.map { "\(back[$0]) != \(papers[$0])" } ?? "")")
        }
        var json = papers
        json[1].extra["nested"] = #"{"a": [1, 2.5, true, null]}"#
        let path = dir.appendingPathComponent("nested.jsonl").path
        try PaperWriter.write(json, format: .jsonl, to: path)
        XCTAssertEqual(try PaperReader.read([path]).papers, json)
    }

    func testWriterLeavesNoPartialFileAndWritesDevices() throws {
        let target = dir.appendingPathComponent("missing-dir/out.jsonl").path
        XCTAssertThrowsError(try PaperWriter.write([Paper(id: "1", title: "t", abstract: "a")], format: .jsonl, to: target))
        XCTAssertFalse(FileManager.default.fileExists(atPath: target))
        try PaperWriter.write([Paper(id: "1", title: "t", abstract: "a")], format: .csv, to: "/dev/null")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }
}
