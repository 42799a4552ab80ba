#if canImport(Glibc)
import Glibc
#endif

/// A run of whole lines read from an input, and the 1-based number of its first line.
struct LineBlock {
    var bytes: [UInt8]
    var firstLine: Int
}

/// Reads an input in blocks of about `blockBytes` that end at a line end, so blocks can be parsed
/// independently while memory stays bounded by the block size, not the file size.
///
/// A line longer than `ReadLimits.maximumRecordBytes` is refused (`CorpusError.recordTooLong`) after
/// at most that many bytes were buffered, or skipped to its end when `skipLongLines` is set.
struct LineBlockReader {
    let source: CorpusInput
    let blockBytes: Int
    let skipLongLines: Bool
    private(set) var skippedLongLines = 0
    private var pending: [UInt8] = []
    private var atEnd = false
    private var nextLine = 1

    init(source: CorpusInput, blockBytes: Int = 8 << 20, skipLongLines: Bool = false) {
        self.source = source
        self.blockBytes = max(1, min(blockBytes, ReadLimits.maximumRecordBytes))
        self.skipLongLines = skipLongLines
    }

    /// The next block of whole lines (the last may lack its line end), or nil at end of input.
    mutating func next() throws -> LineBlock? {
        while true {
            let limit = ReadLimits.maximumRecordBytes
            try fill(upTo: blockBytes)
            if pending.isEmpty { return nil }
            if let last = Self.lastNewline(in: pending) {
                var block = pending
                pending = Array(block[(last + 1)...])
                block.removeLast(block.count - last - 1)
                return emit(block)
            }
            if atEnd {
                let block = pending
                pending = []
                return emit(block)
            }
            // No line end yet: keep reading up to the limit before giving up on this line.
            while !atEnd && pending.count <= limit && Self.firstNewline(in: pending) == nil {
                try fill(upTo: min(pending.count + (1 << 20), limit + 1))
            }
            if let first = Self.firstNewline(in: pending) {
                if first <= limit { continue }
            } else if pending.count <= limit {
                continue
            }
            guard skipLongLines else {
                throw CorpusError.recordTooLong(path: source.name, line: nextLine, limit: limit)
            }
            try discardRestOfLine()
            skippedLongLines += 1
            nextLine += 1
        }
    }

    /// Reads until `pending` holds `target` bytes or the input ends, straight into a new buffer
    /// (no intermediate copy of the data read).
    private mutating func fill(upTo target: Int) throws {
        guard !atEnd && pending.count < target else { return }
        let carry = pending
        var ended = false
        let source = self.source
        pending = try [UInt8](unsafeUninitializedCapacity: target) { buffer, count in
            count = 0
            carry.withUnsafeBufferPointer { c in
                if let from = c.baseAddress { buffer.baseAddress!.initialize(from: from, count: c.count) }
            }
            count = carry.count
            while count < target {
                let n = try source.read(into: UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[count..<target])))
                if n == 0 { ended = true; break }
                count += n
            }
        }
        if ended { atEnd = true }
    }

    private mutating func emit(_ block: [UInt8]) -> LineBlock {
        let first = nextLine
        nextLine += Self.countNewlines(block)
        return LineBlock(bytes: block, firstLine: first)
    }

    /// Drops bytes up to and including the next line end; keeps what follows it.
    private mutating func discardRestOfLine() throws {
        while true {
            if let i = Self.firstNewline(in: pending) {
                pending = Array(pending[(i + 1)...])
                return
            }
            pending.removeAll(keepingCapacity: true)
            if atEnd { return }
            if try source.read(appendingTo: &pending, count: 1 << 20) == 0 { atEnd = true }
        }
    }

    static func firstNewline(in bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBytes { raw -> Int? in
            guard let base = raw.baseAddress, let hit = memchr(base, 0x0A, raw.count) else { return nil }
            return base.distance(to: UnsafeRawPointer(hit))
        }
    }

    static func lastNewline(in bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { p -> Int? in
            var i = p.count - 1
            while i >= 0 && p[i] != 0x0A { i -= 1 }
            return i >= 0 ? i : nil
        }
    }

    static func countNewlines(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { raw -> Int in
            guard var p = raw.baseAddress else { return 0 }
            let end = p + raw.count
            var n = 0
            while p < end, let hit = memchr(p, 0x0A, end - p) {
                n += 1
                p = UnsafeRawPointer(hit) + 1
            }
            return n
        }
    }

    static func containsNUL(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in raw.baseAddress.map { memchr($0, 0, raw.count) != nil } ?? false }
    }
}
