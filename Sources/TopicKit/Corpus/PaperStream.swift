/// Reads papers input by input, block by block, de-duplicated across all inputs: the streaming form of
/// `PaperReader.read`, for inputs of any size.
///
/// JSON Lines inputs are parsed one line block at a time, so memory is bounded by the block sizes;
/// dumps, CSV and TSV are read whole (they are small in practice) and then handed out in blocks.
/// The papers, their order, ids and the counts equal those of `PaperReader.read` on the same inputs.
public struct PaperStream {
    /// Papers handed out so far.
    public private(set) var papersRead = 0
    /// Bad records skipped so far (only with `ReadOptions.skipBad`).
    public private(set) var recordsSkipped = 0
    /// Duplicates dropped so far.
    public var duplicatesDropped: Int { deduplicator.dropped }

    private let inputs: [String]
    private let options: ReadOptions
    private let blockSize: Int
    private let lineBlockBytes: Int
    private var nextInput = 0
    private var current: (reader: LineBlockReader, name: String, papers: Int, skipped: Int)?
    private var pending: [Paper] = []
    private var deduplicator = PaperDeduplicator()

    /// Streams `inputs` ("-" is standard input) in order, at most `blockSize` papers per block.
    public init(_ inputs: [String], options: ReadOptions = .init(), blockSize: Int = 16_384) {
        self.init(inputs, options: options, blockSize: blockSize, lineBlockBytes: 8 << 20)
    }

    init(_ inputs: [String], options: ReadOptions, blockSize: Int, lineBlockBytes: Int) {
        self.inputs = inputs
        self.options = options
        self.blockSize = max(1, blockSize)
        self.lineBlockBytes = lineBlockBytes
    }

    /// The next block of unique papers (1 to `blockSize`), or nil when every input is read.
    /// Throws `CorpusError` like `PaperReader.read`, when the stream reaches the problem.
    public mutating func next() throws -> [Paper]? {
        while pending.count < blockSize {
            guard try fill() else { break }
        }
        if pending.isEmpty { return nil }
        let block: [Paper]
        if pending.count <= blockSize {
            block = pending
            pending = []
        } else {
            block = Array(pending[..<blockSize])
            pending.removeFirst(blockSize)
        }
        papersRead += block.count
        return block
    }

    /// Adds the papers of the next line block (or next input) to `pending`; false at the end of all inputs.
    private mutating func fill() throws -> Bool {
        if current == nil {
            guard nextInput < inputs.count else { return false }
            let path = inputs[nextInput]
            nextInput += 1
            try open(path)
            return true
        }
        guard var input = current else { return false }
        current = nil  // so the reader's buffer is not shared (and copied) while it is advanced
        if let block = try input.reader.next() {
            let (papers, skipped) = try JSONLinesReader.parseBlock(block, path: input.name, skipBad: options.skipBad)
            input.papers += papers.count
            input.skipped += skipped
            current = input
            admit(papers)
            recordsSkipped += skipped
            return true
        }
        input.skipped += input.reader.skippedLongLines
        recordsSkipped += input.reader.skippedLongLines
        if input.papers == 0 && input.skipped == 0 { throw CorpusError.noPapers(path: input.name) }
        return true
    }

    /// Opens `path`: JSON Lines continue block by block through `current`; other formats are read whole.
    private mutating func open(_ path: String) throws {
        var input = try PaperReader.OpenedInput(path, options: options, blockBytes: lineBlockBytes)
        if input.format == .jsonl {
            let result = try JSONLinesReader.parseBlock(input.first, path: input.name, skipBad: options.skipBad)
            current = (input.reader, input.name, result.papers.count, result.skipped)
            admit(result.papers)
            recordsSkipped += result.skipped
            return
        }
        let result = try PaperReader.readWhole(&input, options: options)
        admit(result.papers)
        recordsSkipped += result.skipped
    }

    private mutating func admit(_ papers: [Paper]) {
        for var paper in papers where deduplicator.admit(&paper) { pending.append(paper) }
    }
}
