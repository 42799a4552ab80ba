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
    let columns: KeyTable

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
        let stopWords = options.stopWords.words
        var table = ByteTermTable(capacity: vocabulary.count)
        var termTokens: [[Int32]] = []
        termTokens.reserveCapacity(vocabulary.count)
        for (j, term) in vocabulary.enumerated() {
            let words = term.split(separator: " ", omittingEmptySubsequences: false)
            guard options.ngramRange.contains(words.count), !words.contains(where: { $0.isEmpty }) else {
                throw TextError.invalidVocabulary(
                    "term \(j) \"\(term)\" is not \(options.ngramRange) words separated by single spaces")
            }
            var ids: [Int32] = []
            for w in words {
                if stopWords.contains(String(w)) {
                    throw TextError.invalidVocabulary("term \(j) \"\(term)\" contains the stop word \"\(w)\"")
                }
                var s = String(w)
                ids.append(s.withUTF8 { table.intern($0) })
            }
            termTokens.append(ids)
        }
        let stopStart = Int32(table.count)
        for w in stopWords.sorted() {
            var s = w
            _ = s.withUTF8 { table.intern($0) }
        }
        guard let packer = NgramPacker(tokenCount: table.count, range: options.ngramRange) else {
            throw TextError.invalidVocabulary("\(table.count) distinct words are too many for \(options.ngramRange)-grams")
        }
        var columns = KeyTable(capacity: vocabulary.count)
        for (j, ids) in termTokens.enumerated() {
            var key: UInt64 = 0
            for id in ids { key = key << UInt64(packer.bits) | UInt64(id + 1) }
            if columns.insert(key) != j {
                throw TextError.invalidVocabulary("term \(j) \"\(vocabulary[j])\" appears twice")
            }
        }
        self.options = options
        self.vocabulary = vocabulary
        self.idf = idf
        self.tokens = table
        self.stopStart = stopStart
        self.packer = packer
        self.columns = columns
    }

    /// Number of features (columns).
    public var featureCount: Int { vocabulary.count }

    /// The TF-IDF matrix of `papers`: one row per paper, columns in vocabulary order, sorted within a row.
    /// Runs on all cores; the result does not depend on the thread count.
    public func transform(_ papers: [Paper]) -> SparseMatrix {
        let chunks = Parallel.chunks(count: papers.count, minimumChunk: 256, maximumChunks: 64)
        let parts = Parallel.mapChunks(chunks) { range in transformRows(papers, range) }
        var pointers = [Int](repeating: 0, count: papers.count + 1)
        var total = 0
        for p in parts { total += p.cols.count }
        var cols = [Int32](); cols.reserveCapacity(total)
        var vals = [Float](); vals.reserveCapacity(total)
        var row = 0
        for p in parts {
            for len in p.lengths {
                pointers[row + 1] = pointers[row] + len
                row += 1
            }
            cols.append(contentsOf: p.cols)
            vals.append(contentsOf: p.vals)
        }
        return SparseMatrix(rows: papers.count, columns: vocabulary.count, rowPointers: pointers,
                            columnIndices: cols, values: vals)
    }

    /// The TF-IDF row of one paper as (column, value) pairs, columns increasing.
    public func transform(_ paper: Paper) -> [(column: Int, value: Float)] {
        let r = transformRows([paper], 0..<1)
        return zip(r.cols, r.vals).map { (Int($0), $1) }
    }

    private func transformRows(_ papers: [Paper], _ range: Range<Int>) -> (lengths: [Int], cols: [Int32], vals: [Float]) {
        var lengths: [Int] = []
        lengths.reserveCapacity(range.count)
        var cols: [Int32] = [], vals: [Float] = []
        var bytes: [UInt8] = [], ids: [Int32] = [], hits: [Int32] = []
        let tokenizer = options.tokenizer
        for i in range {
            hits.removeAll(keepingCapacity: true)
            for (text, weight) in [(papers[i].title, options.titleWeight), (papers[i].abstract, 1)] where weight > 0 {
                DocumentTokens.ids(text, tokenizer: tokenizer, bytes: &bytes, ids: &ids) { tok in
                    let id = tokens.find(tok)
                    return id < 0 ? -1 : (id >= stopStart ? -2 : id)
                }
                ids.withUnsafeBufferPointer { buf in
                    packer.forEachNgram(buf) { key in
                        let c = columns.find(key)
                        if c >= 0 { for _ in 0..<weight { hits.append(c) } }
                    }
                }
            }
            hits.sort()
            let start = cols.count
            var k = 0
            while k < hits.count {
                var e = k + 1
                while e < hits.count && hits[e] == hits[k] { e += 1 }
                let tf = Float(e - k)
                let w = options.sublinearTF ? 1 + logf(tf) : tf
                cols.append(hits[k])
                vals.append(options.useIDF ? w * idf[Int(hits[k])] : w)
                k = e
            }
            TfidfVectorizer.normalize(&vals[start...], options.norm)
            lengths.append(cols.count - start)
        }
        return (lengths, cols, vals)
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
