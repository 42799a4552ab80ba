#if canImport(Glibc)
import Glibc
#endif

/// Reads JSON Lines: blocks of whole lines parsed in parallel, papers kept in input order.
///
/// Each block is cut into pieces at line ends by `Parallel.chunks`, which depends on the block
/// size only, so the result is identical for every thread count.
enum JSONLinesReader {
    private struct Piece {
        var papers: [Paper] = []
        var lines = 0
        var failures: [(line: Int, failure: JSONLineParser.Failure)] = []
    }

    static func read(first: LineBlock, rest reader: inout LineBlockReader, path: String,
                     skipBad: Bool) throws -> (papers: [Paper], skipped: Int) {
        var papers: [Paper] = []
        var skipped = 0
        var block: LineBlock? = first
        while let current = block {
            let pieces = parse(current.bytes, stopAtFirstFailure: !skipBad)
            var line = current.firstLine
            for piece in pieces {
                if let (local, failure) = piece.failures.first, !skipBad {
                    throw error(failure, path: path, line: line + local)
                }
                skipped += piece.failures.count
                papers.append(contentsOf: piece.papers)
                line += piece.lines
            }
            block = try reader.next()
        }
        return (papers, skipped + reader.skippedLongLines)
    }

    /// Parses one block (the streaming entry point): its papers in order and how many bad records were
    /// skipped; without `skipBad` the first bad record throws, naming its line.
    static func parseBlock(_ block: LineBlock, path: String, skipBad: Bool) throws -> (papers: [Paper], skipped: Int) {
        var papers: [Paper] = []
        var skipped = 0
        var line = block.firstLine
        for piece in parse(block.bytes, stopAtFirstFailure: !skipBad) {
            if let (local, failure) = piece.failures.first, !skipBad {
                throw error(failure, path: path, line: line + local)
            }
            skipped += piece.failures.count
            papers.append(contentsOf: piece.papers)
            line += piece.lines
        }
        return (papers, skipped)
    }

    static func error(_ failure: JSONLineParser.Failure, path: String, line: Int) -> CorpusError {
        switch failure {
        case let .syntax(reason): return .malformedRecord(path: path, line: line, reason: reason)
        case let .missing(field): return .missingField(path: path, line: line, field: field)
        case .invalidUTF8: return .invalidUTF8(path: path, line: line)
        }
    }

    private static func parse(_ bytes: [UInt8], stopAtFirstFailure: Bool) -> [Piece] {
        bytes.withUnsafeBufferPointer { all -> [Piece] in
            let ranges = pieceRanges(all)
            return Parallel.mapChunks(ranges) { range -> Piece in
                var parser = JSONLineParser()
                parser.reserve(1 << 14)
                var piece = Piece()
                var start = range.lowerBound
                while start < range.upperBound {
                    var end = range.upperBound
                    if let hit = memchr(all.baseAddress! + start, 0x0A, range.upperBound - start) {
                        end = all.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    }
                    switch parser.parse(UnsafeBufferPointer(rebasing: all[start..<end])) {
                    case let .paper(paper): piece.papers.append(paper)
                    case .blank: break
                    case let .failure(failure):
                        piece.failures.append((piece.lines, failure))
                    }
                    piece.lines += 1
                    start = end + 1
                    if stopAtFirstFailure && !piece.failures.isEmpty { break }
                }
                return piece
            }
        }
    }

    /// Byte ranges of about 1 MiB (at most 16 per block) that start and end at line boundaries.
    private static func pieceRanges(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        let chunks = Parallel.chunks(count: bytes.count, minimumChunk: 1 << 20, maximumChunks: 16)
        var bounds = [0]
        for chunk in chunks.dropFirst() {
            var b = max(chunk.lowerBound, bounds[bounds.count - 1])
            while b < bytes.count && bytes[b - 1] != 0x0A { b += 1 }
            bounds.append(b)
        }
        bounds.append(bytes.count)
        return (0..<(bounds.count - 1)).map { bounds[$0]..<bounds[$0 + 1] }.filter { !$0.isEmpty }
    }
}
