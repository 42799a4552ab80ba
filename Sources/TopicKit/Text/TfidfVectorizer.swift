#if canImport(Glibc)
import Glibc
#endif

/// TF-IDF features of papers (title and abstract), as scikit-learn's `TfidfVectorizer` computes them.
///
/// Fitted parts are plain arrays so a model bundle can store and reload them: `vocabulary[j]` is the
/// term of column `j` (n-gram words joined by one space, sorted by UTF-8 bytes like scikit-learn),
/// `idf[j]` its inverse document frequency.
public struct TfidfVectorizer: Sendable {
    public let options: TfidfOptions
    public let vocabulary: [String]
    public let idf: [Float]

    /// Tokens of the vocabulary's terms, then the stop words.
    let tokens: ByteTermTable
    /// Token ids at or above this are stop words.
    let stopStart: Int32
    let packer: NgramPacker
    /// Packed n-gram key → column (insertion order is column order).
    let columns: ColumnTable
    /// Words of up to 16 bytes → (token id or -2 for a stop word, unigram column): the batch path's lookup.
    let words: WordTable

    /// Rebuilds a fitted vectorizer from its stored parts; checks sizes and terms.
    public init(options: TfidfOptions, vocabulary: [String], idf: [Float]) throws {
        try options.validate()
        guard !vocabulary.isEmpty else { throw TextError.invalidVocabulary("the vocabulary is empty") }
        guard vocabulary.count == idf.count else {
            throw TextError.invalidVocabulary("\(vocabulary.count) terms but \(idf.count) idf values")
        }
        if let bad = idf.firstIndex(where: { !$0.isFinite || $0 <= 0 }) {
            throw TextError.invalidVocabulary("idf[\(bad)] = \(idf[bad]) is not a positive finite number")
        }
        // Terms are split on their UTF-8 bytes: no per-word String, no per-term array.
        let stopWords = options.stopWords.words.sorted()
        var stopTable = ByteTermTable(capacity: stopWords.count)
        for w in stopWords { var s = w; _ = s.withUTF8 { stopTable.intern($0) } }
        // Sized for the words (about a tenth of the terms with bigrams), not the terms: it grows when needed,
        // and a small table stays in cache while every term's words are interned.
        var table = ByteTermTable(capacity: max(1024, min(vocabulary.count, 1 << 20) / 8))
        // First pass: every word gets a token id; each term's ids are kept flat (at most 3 per term).
        let maxWords = options.ngramRange.upperBound
        var termIds = [Int32](repeating: 0, count: vocabulary.count * maxWords)
        var wordCounts = [UInt8](repeating: 0, count: vocabulary.count)
        for j in vocabulary.indices {
            var term = vocabulary[j]
            let problem: String? = term.withUTF8 { bytes -> String? in
                var start = 0, words = 0
                var i = 0
                while i <= bytes.count {
                    if i == bytes.count || bytes[i] == 0x20 {
                        let word = UnsafeBufferPointer(rebasing: bytes[start..<i])
                        if word.isEmpty || words == maxWords { return "" }
                        if stopTable.find(word) >= 0 { return String(decoding: word, as: UTF8.self) }
                        termIds[j * maxWords + words] = table.intern(word)
                        words += 1
                        start = i + 1
                    }
                    i += 1
                }
                wordCounts[j] = UInt8(words)
                return options.ngramRange.contains(words) ? nil : ""
            }
            if let problem {
                if problem.isEmpty {
                    throw TextError.invalidVocabulary(
                        "term \(j) \"\(vocabulary[j])\" is not \(options.ngramRange) words separated by single spaces")
                }
                throw TextError.invalidVocabulary("term \(j) \"\(vocabulary[j])\" contains the stop word \"\(problem)\"")
            }
        }
        let stopStart = Int32(table.count)
        for w in stopWords {
            var s = w
            _ = s.withUTF8 { table.intern($0) }
        }
        guard let packer = NgramPacker(tokenCount: table.count, range: options.ngramRange) else {
            throw TextError.invalidVocabulary("\(table.count) distinct words are too many for \(options.ngramRange)-grams")
        }
        var columns = ColumnTable(capacity: vocabulary.count)
        for j in vocabulary.indices {
            var key: UInt64 = 0
            for k in 0..<Int(wordCounts[j]) { key = key << UInt64(packer.bits) | UInt64(termIds[j * maxWords + k] + 1) }
            if columns.insert(key) != j {
                throw TextError.invalidVocabulary("term \(j) \"\(vocabulary[j])\" appears twice")
            }
        }
        var words = WordTable(capacity: table.count)
        table.arena.withUnsafeBufferPointer { arena in
            for id in 0..<table.count {
                let word = UnsafeBufferPointer(rebasing: arena[table.offsets[id]..<table.offsets[id + 1]])
                guard word.count <= WordTable.maximumLength else { continue }
                let stop = id >= Int(stopStart)
                words.insert(word, id: stop ? -2 : Int32(id),
                             column: stop ? -1 : columns.find(UInt64(id + 1)))
            }
        }
        self.options = options
        self.vocabulary = vocabulary
        self.idf = idf
        self.tokens = table
        self.stopStart = stopStart
        self.packer = packer
        self.columns = columns
        self.words = words
    }

    /// Number of features (columns).
    public var featureCount: Int { vocabulary.count }

    /// The TF-IDF matrix of `papers`: one row per paper, columns in vocabulary order, sorted within a row.
    /// Runs on all cores; the result does not depend on the thread count.
    public func transform(_ papers: [Paper]) -> SparseMatrix {
        let pool = RowScratchPool(columns: featureCount)
        var parts = Parallel.mapChunks(rowChunks(papers.count)) { range in rowBlock(papers, range, pool: pool) }
        return assemble(&parts, rows: papers.count)
    }

    /// The chunks `transform` and `forEachRow` cut `count` papers into.
    func rowChunks(_ count: Int) -> [Range<Int>] {
        Parallel.chunks(count: count, minimumChunk: 256, maximumChunks: 64)
    }

    /// Calls `body(i, columns, values)` with the TF-IDF row of every paper right after it is built, on all
    /// cores (chunk by chunk, rows of a chunk in order; the buffers are valid during the call only). For every
    /// term found, the `consumerRows` row of its column is prefetched, so a consumer reading one row of a
    /// large per-column table per entry (a linear model's weights) finds it in cache. When the consumer's rows
    /// hold a copy of the idf (`consumerRows.idfOffset`), it is read from there (one cache line fewer a term).
    func forEachRow(_ papers: [Paper], prefetching consumerRows: RowPrefetcher? = nil,
                    _ body: (Int, UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Float>) -> Void) {
        let pool = RowScratchPool(columns: featureCount)
        idf.withUnsafeBufferPointer { idfBuffer in
            var idfBase = idfBuffer.baseAddress!, idfStride = 1
            if let rows = consumerRows, let offset = rows.idfOffset {
                idfBase = (rows.base + offset).assumingMemoryBound(to: Float.self)
                idfStride = rows.stride / MemoryLayout<Float>.stride
            }
            Parallel.forEachChunk(rowChunks(papers.count)) { _, range in
                pool.with { scratch in
                    var builder = PaperRowBuilder(self, scratch: scratch, idf: idfBase, idfStride: idfStride,
                                                  prefetching: consumerRows)
                    builder.forEachRow(papers, range, body)
                }
            }
        }
    }

    private func rowBlock(_ papers: [Paper], _ range: Range<Int>, pool: RowScratchPool) -> RowBlock {
        pool.with { scratch in
            idf.withUnsafeBufferPointer { idfBuffer in
                var builder = PaperRowBuilder(self, scratch: scratch, idf: idfBuffer.baseAddress!)
                return builder.rows(papers, range)
            }
        }
    }

    /// One CSR matrix from per-chunk rows, in chunk order; each part is released once copied, so the peak is
    /// about one matrix, not two.
    func assemble(_ parts: inout [RowBlock], rows: Int) -> SparseMatrix {
        var pointers = [Int](repeating: 0, count: rows + 1)
        var total = 0
        for p in parts { total += p.cols.count }
        var cols = [Int32](); cols.reserveCapacity(total)
        var vals = [Float](); vals.reserveCapacity(total)
        var row = 0
        for i in parts.indices {
            for len in parts[i].lengths {
                pointers[row + 1] = pointers[row] + len
                row += 1
            }
            cols.append(contentsOf: parts[i].cols)
            vals.append(contentsOf: parts[i].vals)
            parts[i] = RowBlock()
        }
        return SparseMatrix(rows: rows, columns: vocabulary.count, rowPointers: pointers,
                            columnIndices: cols, values: vals)
    }

    /// The TF-IDF row of one paper as (column, value) pairs, columns increasing. Sorts the row's hits instead of
    /// counting them in a vocabulary-sized array, which suits one paper (`--explain`) better than the batch path.
    public func transform(_ paper: Paper) -> [(column: Int, value: Float)] {
        let r = transformRows([paper], 0..<1)
        return zip(r.cols, r.vals).map { (Int($0), $1) }
    }

    private func transformRows(_ papers: [Paper], _ range: Range<Int>) -> RowBlock {
        var block = RowBlock()
        block.lengths.reserveCapacity(range.count)
        var bytes: [UInt8] = [], ids: [Int32] = [], hits: [Int32] = []
        let tokenizer = options.tokenizer
        for i in range {
            hits.removeAll(keepingCapacity: true)
            for (text, weight) in [(papers[i].title, options.titleWeight), (papers[i].abstract, 1)] where weight > 0 {
                DocumentTokens.ids(text, tokenizer: tokenizer, bytes: &bytes, ids: &ids) { tok in
                    let id = tokens.find(tok)
                    return id < 0 ? -1 : (id >= stopStart ? -2 : id)
                }
                collectColumns(ids, weight: weight, into: &hits)
            }
            finishRow(&hits, into: &block)
        }
        return block
    }

    /// Appends the column of every n-gram of `ids` in the vocabulary, `weight` times.
    @inline(__always)
    private func collectColumns(_ ids: [Int32], weight: Int, into hits: inout [Int32]) {
        ids.withUnsafeBufferPointer { buf in
            packer.forEachNgram(buf) { key in
                let c = columns.find(key)
                if c >= 0 { for _ in 0..<weight { hits.append(c) } }
            }
        }
    }

    /// Turns a document's column hits into its TF-IDF row (columns increasing, normalised).
    @inline(__always)
    private func finishRow(_ hits: inout [Int32], into block: inout RowBlock) {
        hits.withUnsafeMutableBufferPointer { ColumnSort.sort($0) }
        let start = block.cols.count
        var k = 0
        while k < hits.count {
            var e = k + 1
            while e < hits.count && hits[e] == hits[k] { e += 1 }
            let tf = Float(e - k)
            let w = options.sublinearTF ? 1 + logf(tf) : tf
            block.cols.append(hits[k])
            block.vals.append(options.useIDF ? w * idf[Int(hits[k])] : w)
            k = e
        }
        TfidfVectorizer.normalize(&block.vals[start...], options.norm)
        block.lengths.append(block.cols.count - start)
    }

    static func normalize(_ v: inout ArraySlice<Float>, _ norm: VectorNorm) {
        var s: Float = 0
        switch norm {
        case .none: return
        case .l2: for x in v { s += x * x }; s = s.squareRoot()
        case .l1: for x in v { s += abs(x) }
        }
        guard s > 0 else { return }
        let inv = 1 / s
        for k in v.indices { v[k] *= inv }
    }
}

/// Sorts column indices: insertion sort for short runs, median-of-three quicksort above (no allocation;
/// the standard library's stable sort costs more than tokenising for rows this short).
enum ColumnSort {
    static func sort(_ a: UnsafeMutableBufferPointer<Int32>) {
        guard a.count > 1 else { return }
        quicksort(a.baseAddress!, 0, a.count - 1)
    }

    private static func quicksort(_ a: UnsafeMutablePointer<Int32>, _ low: Int, _ high: Int) {
        var lo = low, hi = high
        while hi - lo > 16 {
            let mid = lo + (hi - lo) / 2
            if a[mid] < a[lo] { a.swapAt(mid, lo) }
            if a[hi] < a[lo] { a.swapAt(hi, lo) }
            if a[hi] < a[mid] { a.swapAt(hi, mid) }
            let pivot = a[mid]
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
            }
            // Recurse into the smaller side, loop on the larger: stack depth stays logarithmic.
            if j - lo < hi - i {
                if lo < j { quicksort(a, lo, j) }
                lo = i
            } else {
                if i < hi { quicksort(a, i, hi) }
                hi = j
            }
        }
        if hi > lo {
            for k in (lo + 1)...hi {
                let x = a[k]
                var m = k - 1
                while m >= lo && a[m] > x { a[m + 1] = a[m]; m -= 1 }
                a[m + 1] = x
            }
        }
    }
}

extension UnsafeMutablePointer where Pointee == Int32 {
    @inline(__always)
    fileprivate func swapAt(_ i: Int, _ j: Int) { let t = self[i]; self[i] = self[j]; self[j] = t }
}

/// TF-IDF rows of a run of documents: entries per row, then all columns and values.
struct RowBlock {
    var lengths: [Int] = []
    var cols: [Int32] = []
    var vals: [Float] = []
}

/// Turns one text into token ids for n-gram formation.
enum DocumentTokens {
    /// Fills `ids` with `lookup(token)` for each token of `text`: ids ≥ 0 are kept, -1 (unknown) is kept as an
    /// n-gram breaker, -2 (stop word) is dropped before n-grams are formed, as scikit-learn does.
    @inline(__always)
    static func ids(_ text: String, tokenizer: Tokenizer, bytes: inout [UInt8], ids: inout [Int32],
                    lookup: (UnsafeBufferPointer<UInt8>) -> Int32) {
        ids.removeAll(keepingCapacity: true)
        Tokenizer.lowercasedBytes(text, into: &bytes)
        bytes.withUnsafeBufferPointer { buf in
            tokenizer.forEachToken(in: buf) { s, e in
                let id = lookup(UnsafeBufferPointer(rebasing: buf[s..<e]))
                if id != -2 { ids.append(id) }
            }
        }
    }
}
