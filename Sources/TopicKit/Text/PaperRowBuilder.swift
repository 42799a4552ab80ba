#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Builds the TF-IDF rows of papers for a fitted vectorizer: the hot path of `transform(_ papers:)`.
///
/// Words of up to 16 bytes are found in the `WordTable` (which also gives their unigram column), n-grams in
/// the `ColumnTable`. The tables and the count array are far larger than the caches, so each text goes
/// through them in batches: first every lookup's home slot is prefetched (the cache misses overlap), then the
/// lookups are resolved from cache. Repeated terms of a row are merged in a small per-row count table (a few
/// KB, in L1, instead of a vocabulary-sized array whose entries miss the caches), and the row's distinct
/// columns are marked in a two-level bitmap that hands them back in increasing order (no sort); each distinct
/// column's idf is read once, from the idf array or, when scoring, from the padding of its weight row, which
/// the scorer loads anyway.
/// The rows equal those of the sort-based path bit for bit.
struct PaperRowBuilder {
    private let vectorizer: TfidfVectorizer
    private let scratch: RowScratch
    /// Rows of a consumer's per-column data (a linear model's weights) prefetched for every term found.
    private let consumerRows: RowPrefetcher?
    /// idf of column c at `idf[c * idfStride]`.
    private let idf: UnsafePointer<Float>
    private let idfStride: Int

    /// `idf` (with `idfStride`) must stay valid while the builder is used: the vectorizer's idf array, or a
    /// consumer's copy of it (the padding of its rows).
    init(_ vectorizer: TfidfVectorizer, scratch: RowScratch, idf: UnsafePointer<Float>, idfStride: Int = 1,
         prefetching consumerRows: RowPrefetcher? = nil) {
        self.vectorizer = vectorizer
        self.scratch = scratch
        self.idf = idf
        self.idfStride = idfStride
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
        // Counts: the consumer's rows and the idf of every term are prefetched, then the terms counted.
        if let rows = consumerRows {
            for k in 0..<hitCount { rows.prefetch(Int(hits[k])) }
        } else {
            for k in 0..<hitCount { Prefetch.read(idf + Int(hits[k]) &* idfStride) }
        }
        s.count(hits, hitCount, weight: weight)
    }

    /// Turns the counted terms into a TF-IDF row (columns increasing, normalised) and clears counts and marks.
    @inline(__always)
    private func finishRow(into block: inout RowBlock) {
        scratch.finishRow(into: &block, idf: idf, idfStride: idfStride, options: vectorizer.options)
    }
}

/// The rows of a dense row-major matrix with one row per column of the vocabulary (a linear model's weights,
/// feature-major), to prefetch as terms are found.
struct RowPrefetcher {
    let base: UnsafeRawPointer
    /// Bytes per row (a multiple of 4).
    let stride: Int
    /// Byte offset in each row of a Float copy of the column's idf, if the rows hold one.
    var idfOffset: Int? = nil

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

/// One thread's buffers for `PaperRowBuilder`: the vocabulary-sized bitmaps (allocated once per thread and
/// run, not per chunk; zero between rows), the current row's count table and per-text token buffers, grown as
/// texts need.
final class RowScratch {
    /// The current row's TF per column: open addressing, `(column + 1) << 32 | count`, 0 = empty; at most half
    /// full. Empty between rows.
    private(set) var counts: UnsafeMutablePointer<UInt64>
    private(set) var countMask: Int
    /// Entries of `counts`.
    var distinct = 0
    private static let smallCountTable = 512
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

    init(columns: Int) {
        self.columns = max(1, columns)
        let markWords = (self.columns + 63) / 64
        summaryWords = (markWords + 63) / 64
        counts = .allocate(capacity: RowScratch.smallCountTable)
        counts.initialize(repeating: 0, count: RowScratch.smallCountTable)
        countMask = RowScratch.smallCountTable - 1
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

    /// The first slot of column `c` in `counts` (before masking).
    @inline(__always)
    static func countHome(_ c: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(truncatingIfNeeded: c) &* 0x9E37_79B9_7F4A_7C15) >> 32)
    }

    /// Grows `counts` (keeping its entries) so that `entries` entries leave it at most half full.
    func reserveCounts(_ entries: Int) {
        guard entries * 2 > countMask + 1 else { return }
        var size = countMask + 1
        while entries * 2 > size { size <<= 1 }
        let old = counts, oldSize = countMask + 1
        counts = .allocate(capacity: size)
        counts.initialize(repeating: 0, count: size)
        countMask = size - 1
        for k in 0..<oldSize where old[k] != 0 {
            var i = RowScratch.countHome(Int(old[k] >> 32) - 1) & countMask
            while counts[i] != 0 { i = (i &+ 1) & countMask }
            counts[i] = old[k]
        }
        old.deallocate()
    }

    /// Ends a row whose count slots were emptied as they were read (back to the small table after an unusually
    /// long paper).
    @inline(__always)
    func clearCounts() {
        guard distinct > 0 else { return }
        distinct = 0
        if countMask + 1 > 8 * RowScratch.smallCountTable {
            counts.deallocate()
            counts = .allocate(capacity: RowScratch.smallCountTable)
            countMask = RowScratch.smallCountTable - 1
            counts.initialize(repeating: 0, count: countMask + 1)
        }
    }

    /// Adds `weight` to the count of each of the `n` columns in `hits`, marking columns seen for the first time.
    @inline(__always)
    func count(_ hits: UnsafePointer<Int32>, _ n: Int, weight: Int32) {
        reserveCounts(distinct + n)
        let counts = self.counts, countMask = self.countMask, marks = self.marks, summary = self.summary
        var distinct = self.distinct
        for k in 0..<n {
            let c = Int(hits[k])
            let tag = UInt64(UInt32(truncatingIfNeeded: c &+ 1)) << 32
            var i = RowScratch.countHome(c) & countMask
            while true {
                let slot = counts[i]
                if slot == 0 {
                    counts[i] = tag | UInt64(UInt32(bitPattern: weight))
                    distinct += 1
                    marks[c >> 6] |= 1 << UInt64(c & 63)
                    summary[c >> 12] |= 1 << UInt64((c >> 6) & 63)
                    break
                }
                if slot & 0xFFFF_FFFF_0000_0000 == tag {
                    counts[i] = tag | UInt64(UInt32(truncatingIfNeeded: slot) &+ UInt32(bitPattern: weight))
                    break
                }
                i = (i &+ 1) & countMask
            }
        }
        self.distinct = distinct
    }

    /// Appends the counted terms as a TF-IDF row (columns increasing, normalised; the idf of column c at
    /// `idf[c * idfStride]`) and clears the counts and marks for the next row.
    @inline(__always)
    func finishRow(into block: inout RowBlock, idf: UnsafePointer<Float>, idfStride: Int, options: TfidfOptions) {
        let start = block.cols.count
        let sublinear = options.sublinearTF, useIDF = options.useIDF
        let counts = self.counts, countMask = self.countMask, marks = self.marks, summary = self.summary
        for s in 0..<summaryWords {
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
                    let tag = UInt64(UInt32(truncatingIfNeeded: c &+ 1)) << 32
                    var i = RowScratch.countHome(c) & countMask
                    // Slots emptied before this one do not end the probe: every marked column is in the table.
                    while counts[i] & 0xFFFF_FFFF_0000_0000 != tag { i = (i &+ 1) & countMask }
                    let tf = Float(Int32(truncatingIfNeeded: counts[i]))
                    counts[i] = 0
                    let x = sublinear ? 1 + logf(tf) : tf
                    block.cols.append(Int32(truncatingIfNeeded: c))
                    block.vals.append(useIDF ? x * idf[c &* idfStride] : x)
                }
            }
        }
        clearCounts()
        TfidfVectorizer.normalize(&block.vals[start...], options.norm)
        block.lengths.append(block.cols.count - start)
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
        counts.deallocate()
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
    private let columns: Int
    private var free: [RowScratch] = []
    private let lock = DispatchSemaphore(value: 1)

    init(columns: Int) { self.columns = columns }

    func with<T>(_ body: (RowScratch) -> T) -> T {
        lock.wait()
        let scratch = free.popLast() ?? RowScratch(columns: columns)
        lock.signal()
        defer {
            lock.wait()
            free.append(scratch)
            lock.signal()
        }
        return body(scratch)
    }
}
