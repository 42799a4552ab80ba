/// Input formats `PaperReader` understands.
public enum InputFormat: String, CaseIterable, Sendable {
    /// A listing-page dump (text saved from a "trending papers" page), either layout.
    case dump
    /// JSON Lines: one object per line with `title` and `abstract` (or `summary`).
    case jsonl
    /// Comma-separated values with a header row.
    case csv
    /// Tab-separated values with a header row.
    case tsv
}

/// How `PaperReader` reads its inputs.
public struct ReadOptions: Sendable {
    /// Format of every input; nil detects it per input from the content (then the extension).
    public var format: InputFormat?
    /// Skip bad records (counted in `ReadResult.recordsSkipped`) instead of failing on the first one.
    public var skipBad: Bool

    public init(format: InputFormat? = nil, skipBad: Bool = false) {
        self.format = format
        self.skipBad = skipBad
    }
}

/// Papers read from one or more inputs, de-duplicated.
public struct ReadResult: Sendable {
    /// Clean papers in input order; for duplicates the first occurrence wins.
    public var papers: [Paper]
    /// Papers dropped because an earlier one had the same arXiv id (or, without id, the same title key).
    public var duplicatesDropped: Int
    /// Bad records skipped (only with `ReadOptions.skipBad`).
    public var recordsSkipped: Int

    public init(papers: [Paper], duplicatesDropped: Int, recordsSkipped: Int) {
        self.papers = papers
        self.duplicatesDropped = duplicatesDropped
        self.recordsSkipped = recordsSkipped
    }
}

/// The one entry point for reading papers: dumps, JSON Lines, CSV and TSV, from files or stdin.
public enum PaperReader {
    /// Reads every input ("-" is standard input) in order, normalises text (NFC, whitespace collapsed),
    /// assigns ids (arXiv id, else 16 hex digits of FNV-1a 64 of the title key) and drops duplicates.
    /// Throws `CorpusError` naming the input and line of the first problem.
    public static func read(_ inputs: [String], options: ReadOptions = .init()) throws -> ReadResult {
        var papers: [Paper] = []
        var skipped = 0
        for input in inputs {
            let (more, bad) = try readOne(input, options: options)
            papers.append(contentsOf: more)
            skipped += bad
        }
        let (unique, dropped) = deduplicate(papers)
        return ReadResult(papers: unique, duplicatesDropped: dropped, recordsSkipped: skipped)
    }

    /// Reads one input without de-duplication.
    static func readOne(_ path: String, options: ReadOptions) throws -> (papers: [Paper], skipped: Int) {
        var input = try OpenedInput(path, options: options)
        return try readWhole(&input, options: options)
    }

    /// An input opened for reading: its line reader, first non-blank block (byte-order mark removed) and format.
    struct OpenedInput {
        let name: String
        var reader: LineBlockReader
        let first: LineBlock
        let format: InputFormat

        init(_ path: String, options: ReadOptions, blockBytes: Int = 8 << 20) throws {
            let source = try CorpusInput(path: path)
            var reader = LineBlockReader(source: source, blockBytes: blockBytes, skipLongLines: options.skipBad)
            guard var first = try reader.next() else { throw CorpusError.emptyInput(path: source.name) }
            if first.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { first.bytes.removeFirst(3) }
            if LineBlockReader.containsNUL(first.bytes) { throw CorpusError.binaryInput(path: source.name) }
            if first.bytes.allSatisfy(CorpusText.isASCIISpace) {
                guard let next = try reader.next() else { throw CorpusError.emptyInput(path: source.name) }
                first = next
            }
            self.name = source.name
            self.reader = reader
            self.first = first
            self.format = options.format ?? InputFormatDetector.detect(first.bytes, path: path)
        }
    }

    /// Reads all of an opened input; an input without papers or skipped records is an error.
    static func readWhole(_ input: inout OpenedInput, options: ReadOptions) throws -> (papers: [Paper], skipped: Int) {
        let result: (papers: [Paper], skipped: Int)
        switch input.format {
        case .jsonl:
            result = try JSONLinesReader.read(first: input.first, rest: &input.reader, path: input.name, skipBad: options.skipBad)
        case .csv:
            result = try DelimitedReader.read(first: input.first, rest: &input.reader, path: input.name,
                                              delimiter: UInt8(ascii: ","), skipBad: options.skipBad)
        case .tsv:
            result = try DelimitedReader.read(first: input.first, rest: &input.reader, path: input.name,
                                              delimiter: 0x09, skipBad: options.skipBad)
        case .dump:
            result = try readDump(first: input.first, rest: &input.reader, path: input.name, skipBad: options.skipBad)
        }
        if result.papers.isEmpty && result.skipped == 0 { throw CorpusError.noPapers(path: input.name) }
        return result
    }

    static func readDump(first: LineBlock, rest reader: inout LineBlockReader, path: String,
                                 skipBad: Bool) throws -> (papers: [Paper], skipped: Int) {
        var lines: [(number: Int, text: String)] = []
        var skipped = 0
        var block: LineBlock? = first
        while let current = block {
            if LineBlockReader.containsNUL(current.bytes) { throw CorpusError.binaryInput(path: path) }
            var number = current.firstLine
            for raw in current.bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
                defer { number += 1 }
                if let text = String(validating: raw, as: UTF8.self) {
                    lines.append((number, text))
                } else if skipBad {
                    skipped += 1
                } else {
                    throw CorpusError.invalidUTF8(path: path, line: number)
                }
            }
            // split() yields an empty tail after a final line end; it is not a line.
            if current.bytes.last == 0x0A, let last = lines.last, last.number == number - 1, last.text.isEmpty {
                lines.removeLast()
            }
            block = try reader.next()
        }
        let (entries, failures) = ListingDumpParser.parse(lines)
        if let failure = failures.first, !skipBad {
            switch failure {
            case let .titleWithoutAbstract(line, title):
                throw CorpusError.titleWithoutAbstract(path: path, line: line, title: title)
            case let .textWithoutTitle(line):
                throw CorpusError.malformedRecord(path: path, line: line,
                                                  reason: "long text where a title was expected (abstract without a title?)")
            }
        }
        return (entries.map(\.paper), skipped + failures.count + reader.skippedLongLines)
    }

    /// Gives every paper its id and drops repeats: key = arXiv id when present, else the title key.
    static func deduplicate(_ papers: [Paper]) -> (papers: [Paper], dropped: Int) {
        var deduplicator = PaperDeduplicator()
        var unique: [Paper] = []
        unique.reserveCapacity(papers.count)
        for var paper in papers {
            if deduplicator.admit(&paper) { unique.append(paper) }
        }
        return (unique, deduplicator.dropped)
    }
}
