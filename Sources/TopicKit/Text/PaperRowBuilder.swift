#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Builds the TF-IDF rows of papers for a fitted vectorizer: the hot path of `transform(_ papers:)`.
///
/// Words of up to 16 bytes are found in the `WordTable` (which also gives their unigram column), n-grams in
/// the `ColumnTable`. The tables and the count array are far larger than the caches, so each text goes
/// through them in batches: first every lookup's home slot is prefetched (the cache misses overlap), then the
/// lookups are resolved from cache. Repeated terms of a row are merged in a
/// vocabulary-sized array of (count, idf) (counts zero between rows), and the row's distinct columns are marked in a
/// two-level bitmap that hands them back in increasing order (no sort).
/// The rows equal those of the sort-based path bit for bit.
struct PaperRowBuilder {
    private let vectorizer: TfidfVectorizer
    private let scratch: RowScratch
    /// Rows of a consumer's per-column data (a linear model's weights) prefetched for every term found.
    private let consumerRows: RowPrefetcher?

    init(_ vectorizer: TfidfVectorizer, scratch: RowScratch, prefetching consumerRows: RowPrefetcher? = nil) {
        self.vectorizer = vectorizer
        self.scratch = scratch
        self.consumerRows = consumerRows
    }

    /// The rows of `papers[range]`.
    mutating func rows(_ papers: [Paper], _ range: Range<Int>) -> RowBlock {
        var block = RowBlock()
        block.lengths.reserveCapacity(range.count)
        block.cols.reserveCapacity(range.count * 96)
        block.vals.reserveCapacity(range.count * 96)
        var bytes = scratch.bytes
        scratch.bytes = []
        for i in range {
            addPaper(papers[i], bytes: &bytes)
            finishRow(into: &block)
        }
        scratch.bytes = bytes
        return block
    }

    /// Calls `body(i, columns, values)` with the row of each paper of `papers[range]`, in order, right after it
    /// is built (while it and the prefetched consumer rows are in cache); the row's buffers are reused.
    mutating func forEachRow(_ papers: [Paper], _ range: Range<Int>,
                             _ body: (Int, UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Float>) -> Void) {
        var block = RowBlock()
        block.lengths.reserveCapacity(1)
        block.cols.reserveCapacity(512)
        block.vals.reserveCapacity(512)
        var bytes = scratch.bytes
        scratch.bytes = []
        for i in range {
            addPaper(papers[i], bytes: &bytes)
            finishRow(into: &block)
            block.cols.withUnsafeBufferPointer { c in block.vals.withUnsafeBufferPointer { v in body(i, c, v) } }
            block.lengths.removeAll(keepingCapacity: true)
            block.cols.removeAll(keepingCapacity: true)
            block.vals.removeAll(keepingCapacity: true)
        }
        scratch.bytes = bytes
    }

    @inline(__always)
    private mutating func addPaper(_ paper: Paper, bytes: inout [UInt8]) {
        let titleWeight = Int32(clamping: vectorizer.options.titleWeight)
        if titleWeight > 0 { add(paper.title, weight: titleWeight, bytes: &bytes) }
        add(paper.abstract, weight: 1, bytes: &bytes)
    }

    /// Counts the n-grams of one text (n-grams never span two texts), `weight` times each.
    @inline(__always)
    private mutating func add(_ text: String, weight: Int32, bytes: inout [UInt8]) {
        Tokenizer.lowercasedBytes(text, into: &bytes)
        let n = bytes.count
        // WordTable reads 16 bytes from a token's start.
        bytes.append(contentsOf: repeatElement(0, count: WordTable.maximumLength))
        let v = vectorizer
        let range = v.options.ngramRange
        let s = scratch
        s.reserve(tokens: n / 2 + 2, ngrams: range.upperBound)
        let starts = s.starts, ends = s.ends, homes = s.homes, ids = s.ids, unigrams = s.unigrams
        var tokens = 0
        bytes.withUnsafeBufferPointer { all in
            let base = all.baseAddress!
            v.options.tokenizer.forEachToken(in: UnsafeBufferPointer(rebasing: all[0..<n])) { s, e in
                starts[tokens] = s
                ends[tokens] = e
                tokens += 1
            }
            // Home slots of the words first (their misses overlap), then the lookups.
            for k in 0..<tokens {
                let length = ends[k] - starts[k]
                if length <= WordTable.maximumLength {
                    let (w0, w1) = WordTable.words(base + starts[k], length: length)
                    let h = v.words.home(w0, w1, length: length)
                    homes[k] = h
                    v.words.prefetch(h)
                } else {
                    homes[k] = -1
                }
            }
            var kept = 0
            for k in 0..<tokens {
                var id: Int32, column: Int32
                if homes[k] >= 0 {
                    let length = ends[k] - starts[k]
                    let (w0, w1) = WordTable.words(base + starts[k], length: length)
                    (id, column) = v.words.find(w0, w1, length: length, from: homes[k])
                } else {
                    let t = v.tokens.find(UnsafeBufferPointer(rebasing: all[starts[k]..<ends[k]]))
                    id = t < 0 ? -1 : (t >= v.stopStart ? -2 : t)
                    column = id >= 0 ? v.columns.find(UInt64(id + 1)) : -1
                }
                if id != -2 {
                    ids[kept] = id
                    unigrams[kept] = column
                    kept += 1
                }
            }
            tokens = kept
        }
        // N-grams: unigram columns are known; longer keys are collected, their home slots prefetched, then found.
        let keys = s.keys, keyHomes = s.keyHomes, hits = s.hits
        let lower = range.lowerBound, upper = range.upperBound
        let bits = UInt64(v.packer.bits)
        var hitCount = 0, keyCount = 0
        for i in 0..<tokens {
            let id = ids[i]
            if id < 0 { continue }
            if lower <= 1 {
                let c = unigrams[i]
                if c >= 0 { hits[hitCount] = c; hitCount += 1 }
            }
            var key = UInt64(id + 1)
            var length = 1
            while length < upper && i + length < tokens {
                let next = ids[i + length]
                if next < 0 { break }
                key = key << bits | UInt64(next + 1)
                length += 1
                if length >= lower {
                    let h = v.columns.home(key)
                    keys[keyCount] = key
                    keyHomes[keyCount] = h
                    keyCount += 1
                    v.columns.prefetch(h)
                }
            }
        }
        for k in 0..<keyCount {
            let c = v.columns.find(keys[k], from: keyHomes[k])
            if c >= 0 { hits[hitCount] = c; hitCount += 1 }
        }
        // Counts: prefetch every entry (and the consumer's rows) first, then count.
        let terms = s.terms, marks = s.marks, summary = s.summary
        if let rows = consumerRows {
            for k in 0..<hitCount {
                let c = Int(hits[k])
                Prefetch.read(terms + c)
                rows.prefetch(c)
            }
        } else {
            for k in 0..<hitCount { Prefetch.read(terms + Int(hits[k])) }
        }
        for k in 0..<hitCount {
            let c = Int(hits[k])
            if terms[c].count == 0 {
                marks[c >> 6] |= 1 << UInt64(c & 63)
                summary[c >> 12] |= 1 << UInt64((c >> 6) & 63)
            }
            terms[c].count &+= weight
        }
    }

    /// Turns the counted terms into a TF-IDF row (columns increasing, normalised) and clears counts and marks.
    @inline(__always)
    private func finishRow(into block: inout RowBlock) {
        let start = block.cols.count
        let sublinear = vectorizer.options.sublinearTF, useIDF = vectorizer.options.useIDF
        let terms = scratch.terms, marks = scratch.marks, summary = scratch.summary
        do {
            for s in 0..<scratch.summaryWords {
                var top = summary[s]
                if top == 0 { continue }
                summary[s] = 0
                while top != 0 {
                    let w = s << 6 | top.trailingZeroBitCount
                    top &= top &- 1
                    var bits = marks[w]
                    marks[w] = 0
                    while bits != 0 {
                        let c = w << 6 | bits.trailingZeroBitCount
                        bits &= bits &- 1
                        let term = terms[c]
                        terms[c].count = 0
                        let tf = Float(term.count)
                        let x = sublinear ? 1 + logf(tf) : tf
                        block.cols.append(Int32(truncatingIfNeeded: c))
                        block.vals.append(useIDF ? x * term.idf : x)
                    }
                }
            }
        }
        TfidfVectorizer.normalize(&block.vals[start...], vectorizer.options.norm)
        block.lengths.append(block.cols.count - start)
    }
}

/// The rows of a dense row-major matrix with one row per column of the vocabulary (a linear model's weights,
/// feature-major), to prefetch as terms are found.
struct RowPrefetcher {
    let base: UnsafeRawPointer
    /// Bytes per row.
    let stride: Int

    /// Starts loading every cache line of row `row`.
    @inline(__always)
    func prefetch(_ row: Int) {
        let p = base + row &* stride
        var offset = 0
        while offset < stride {
            Prefetch.read(p + offset)
            offset &+= 64
        }
        if stride & 63 != 0 { Prefetch.read(p + (stride &- 1)) }
    }
}

/// A column's TF in the current row next to its idf, so counting brings both into cache with one miss.
struct TermSlot {
    var count: Int32
    var idf: Float
}

/// One thread's buffers for `PaperRowBuilder`: the vocabulary-sized term array and bitmaps (allocated once
/// per thread and run, not per chunk; counts zero between rows) and per-text token buffers, grown as texts need.
final class RowScratch {
    /// TF (zero between rows) and idf per column.
    let terms: UnsafeMutablePointer<TermSlot>
    /// Bit c: column c occurs in the current row; `summary` bit w: `marks[w]` is not zero.
    let marks: UnsafeMutablePointer<UInt64>
    let summary: UnsafeMutablePointer<UInt64>
    let summaryWords: Int
    private let columns: Int
    var bytes: [UInt8] = []
    /// Per token: byte range, word table home slot (-1: looked up in the byte table), id, unigram column.
    private(set) var starts: UnsafeMutablePointer<Int>
    private(set) var ends: UnsafeMutablePointer<Int>
    private(set) var homes: UnsafeMutablePointer<Int>
    private(set) var ids: UnsafeMutablePointer<Int32>
    private(set) var unigrams: UnsafeMutablePointer<Int32>
    /// Per n-gram of two or more words: packed key, home slot; per found term: its column.
    private(set) var keys: UnsafeMutablePointer<UInt64>
    private(set) var keyHomes: UnsafeMutablePointer<Int>
    private(set) var hits: UnsafeMutablePointer<Int32>
    private var tokenCapacity = 0
    private var ngramCapacity = 0

    init(idf: [Float]) {
        columns = max(1, idf.count)
        let markWords = (columns + 63) / 64
        summaryWords = (markWords + 63) / 64
        terms = .allocate(capacity: columns)
        terms.initialize(repeating: TermSlot(count: 0, idf: 0), count: columns)
        for (c, x) in idf.enumerated() { terms[c].idf = x }
        marks = .allocate(capacity: markWords)
        marks.initialize(repeating: 0, count: markWords)
        summary = .allocate(capacity: summaryWords)
        summary.initialize(repeating: 0, count: summaryWords)
        starts = .allocate(capacity: 0)
        ends = .allocate(capacity: 0)
        homes = .allocate(capacity: 0)
        ids = .allocate(capacity: 0)
        unigrams = .allocate(capacity: 0)
        keys = .allocate(capacity: 0)
        keyHomes = .allocate(capacity: 0)
        hits = .allocate(capacity: 0)
    }

    /// Room for `tokens` tokens and their n-grams of up to `ngrams` words.
    func reserve(tokens: Int, ngrams: Int) {
        if tokens > tokenCapacity {
            let t = max(tokens, 2 * tokenCapacity, 256)
            for p in [starts, ends, homes] as [UnsafeMutablePointer<Int>] { p.deallocate() }
            ids.deallocate()
            unigrams.deallocate()
            starts = .allocate(capacity: t)
            ends = .allocate(capacity: t)
            homes = .allocate(capacity: t)
            ids = .allocate(capacity: t)
            unigrams = .allocate(capacity: t)
            tokenCapacity = t
        }
        let g = tokenCapacity * max(1, ngrams)
        if g > ngramCapacity {
            keys.deallocate()
            keyHomes.deallocate()
            hits.deallocate()
            keys = .allocate(capacity: g)
            keyHomes = .allocate(capacity: g)
            hits = .allocate(capacity: g)
            ngramCapacity = g
        }
    }

    deinit {
        terms.deallocate()
        marks.deallocate()
        summary.deallocate()
        for p in [starts, ends, homes, keyHomes] as [UnsafeMutablePointer<Int>] { p.deallocate() }
        ids.deallocate()
        unigrams.deallocate()
        keys.deallocate()
        hits.deallocate()
    }
}

/// Hands `RowScratch`es to the chunks of one parallel run: at most one per thread is ever created.
final class RowScratchPool: @unchecked Sendable {
    private let idf: [Float]
    private var free: [RowScratch] = []
    private let lock = DispatchSemaphore(value: 1)

    init(idf: [Float]) { self.idf = idf }

    func with<T>(_ body: (RowScratch) -> T) -> T {
        lock.wait()
        let scratch = free.popLast() ?? RowScratch(idf: idf)
        lock.signal()
        defer {
            lock.wait()
            free.append(scratch)
            lock.signal()
        }
        return body(scratch)
    }
}
