#if canImport(Glibc)
import Glibc
#endif

/// Parses vocab.txt straight from its bytes: lines found with memchr, duplicates found by a byte hash
/// table (no String hashing), one String made per term only after the whole file checked out.
enum VocabularyFile {
    /// The terms of `bytes` (vocab.txt at `path`): UTF-8, one non-empty unique term per line, each line
    /// ending with a newline, no carriage returns.
    static func parse(_ bytes: [UInt8], path: String) throws -> [String] {
        if bytes.isEmpty { return [] }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw ModelBundleError.invalidVocabulary(path: path, reason: "not valid UTF-8")
        }
        guard bytes.last == 0x0A else {
            throw ModelBundleError.invalidVocabulary(path: path, reason: "the last line has no newline (file truncated?)")
        }
        return try bytes.withUnsafeBufferPointer { all -> [String] in
            let base = all.baseAddress!
            var ends: [Int] = []
            ends.reserveCapacity(all.count / 12)
            var start = 0
            while start < all.count, let hit = memchr(base + start, 0x0A, all.count - start) {
                let end = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                ends.append(end)
                start = end + 1
            }
            // TopicKit writes terms sorted by their bytes (as scikit-learn does): strictly increasing lines have
            // no duplicates, checked with one comparison per line instead of a hash table.
            let unique = VocabularyFile.strictlyIncreasing(all, ends)
            var table = ByteTermTable(capacity: unique ? 16 : ends.count)
            start = 0
            for (i, end) in ends.enumerated() {
                let line = UnsafeBufferPointer(rebasing: all[start..<end])
                if line.isEmpty {
                    throw ModelBundleError.invalidVocabulary(path: path, reason: "line \(i + 1): empty term")
                }
                if memchr(line.baseAddress!, 0x0D, line.count) != nil {
                    let term = String(decoding: line, as: UTF8.self)
                    throw ModelBundleError.invalidVocabulary(
                        path: path, reason: "line \(i + 1): term \(term.debugDescription) contains a line break")
                }
                let before = table.count
                let id = unique ? 0 : table.intern(line)
                if !unique && table.count == before {
                    // Every earlier line was new, so a term's id is its line index.
                    let term = String(decoding: line, as: UTF8.self)
                    throw ModelBundleError.invalidVocabulary(
                        path: path, reason: "line \(i + 1) repeats the term \"\(term)\" of line \(Int(id) + 1)")
                }
                start = end + 1
            }
            let chunks = Parallel.chunks(count: ends.count, minimumChunk: 1 << 14, maximumChunks: 16)
            return Parallel.mapChunks(chunks) { range -> [String] in
                var start = range.lowerBound == 0 ? 0 : ends[range.lowerBound - 1] + 1
                var terms: [String] = []
                terms.reserveCapacity(range.count)
                for k in range {
                    terms.append(String(decoding: UnsafeBufferPointer(rebasing: all[start..<ends[k]]), as: UTF8.self))
                    start = ends[k] + 1
                }
                return terms
            }.flatMap { $0 }
        }
    }

    /// Whether the lines ending at `ends` are in strictly increasing byte order (so no two are equal).
    static func strictlyIncreasing(_ all: UnsafeBufferPointer<UInt8>, _ ends: [Int]) -> Bool {
        guard let base = all.baseAddress else { return true }
        var previous = 0..<0
        var start = 0
        for (i, end) in ends.enumerated() {
            if i > 0 {
                let common = min(previous.count, end - start)
                let order = common == 0 ? 0 : memcmp(base + previous.lowerBound, base + start, common)
                if order > 0 || (order == 0 && previous.count >= end - start) { return false }
            }
            previous = start..<end
            start = end + 1
        }
        return true
    }
}
