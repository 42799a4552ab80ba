#if canImport(Glibc)
import Glibc
#endif

extension TfidfVectorizer {
    /// Learns the vocabulary and idf from `papers` (scikit-learn's `fit`): tokenises and counts on all cores,
    /// prunes by `minDF`, `maxDF`, `maxFeatures`, sorts the terms. Same result for any thread count.
    public static func fit(_ papers: [Paper], options: TfidfOptions) throws -> TfidfVectorizer {
        try papers.withUnsafeBufferPointer { buffer in
            try fitCounting(count: buffer.count, texts: { (buffer[$0].title, buffer[$0].abstract) },
                            options: options, tokenized: nil).vectorizer
        }
    }

    /// A fit and what the matrix of its papers is built from: per chunk the n-gram occurrences, and the column
    /// of every entry of the corpus sums.
    struct CountedFit {
        var vectorizer: TfidfVectorizer
        var ngrams: [ChunkNgrams]
        var columns: SumColumns
    }

    /// The fit on `count` papers whose (title, abstract) `texts(i)` gives; `tokenized(range)` is called, from the
    /// chunk's thread, once the papers in `range` are tokenised and their text is no longer read.
    static func fitCounting(count n: Int, texts: (Int) -> (title: String, abstract: String), options: TfidfOptions,
                            tokenized released: ((Range<Int>) -> Void)?) throws
        -> CountedFit {
        try options.validate()
        guard n > 0 else { throw TextError.emptyCorpus }
        let maxDocs = options.maxDF.documents(of: n)
        let minDocs = options.minDF.documents(of: n)
        guard maxDocs >= minDocs else {
            throw TextError.invalidOption("maxDF (\(maxDocs) documents) is below minDF (\(minDocs) documents)")
        }
        let tokenizer = options.tokenizer
        let chunks = Parallel.chunks(count: n, minimumChunk: 256, maximumChunks: 64)
        let stopWords = options.stopWords.words.sorted()

        // 1. Tokens of each chunk, interned per chunk. Each chunk table starts with the stop words (in the order
        // of the global table below), so stop words are recognised by their id and never stored.
        let stopCount = Int32(stopWords.count)
        var tokenized = Parallel.mapChunks(chunks) { range -> ChunkTokens in
            let c = ChunkTokens(range, texts: texts, tokenizer: tokenizer, titleWeight: options.titleWeight,
                                stopWords: stopWords)
            released?(range)
            return c
        }
        MemoryLog.stage("tfidf tokenised")

        // 2. One token id space, stop words first; per chunk a local → global map (-2 = stop word).
        var global = ByteTermTable(capacity: 1 << 16)
        for w in stopWords { var s = w; _ = s.withUTF8 { global.intern($0) } }
        var maps: [[Int32]] = []
        for c in tokenized {
            var map = [Int32](repeating: -2, count: c.table.count)
            c.table.arena.withUnsafeBufferPointer { arena in
                for id in Int(stopCount)..<c.table.count {
                    map[id] = global.intern(UnsafeBufferPointer(rebasing: arena[c.table.offsets[id]..<c.table.offsets[id + 1]]))
                }
            }
            maps.append(map)
        }
        guard let packer = NgramPacker(tokenCount: global.count, range: options.ngramRange) else {
            throw TextError.invalidOption("\(global.count) distinct words are too many for \(options.ngramRange)-grams")
        }
        MemoryLog.stage("tfidf token ids merged")

        // 3. Document and total counts of every n-gram: a few chunks at a time (as many as there are threads)
        // are counted, and their distinct n-grams added to the running sums of 16 hash partitions; each chunk
        // keeps its occurrences and learns where its n-grams went, for the matrix.
        let partitionCount = 16
        var sums = (0..<partitionCount).map { _ in TermCountsAccumulator() }
        var ngrams: [ChunkNgrams] = []
        ngrams.reserveCapacity(tokenized.count)
        let wave = max(2, Parallel.threadCount)
        var first = 0
        while first < tokenized.count {
            let last = min(tokenized.count, first + wave)
            let counted = tokenized.withUnsafeMutableBufferPointer { box in
                Parallel.mapChunks((first..<last).map { $0..<($0 + 1) }) { r -> (ChunkNgrams, [Int32], [Int]) in
                    let i = r.lowerBound
                    var chunk = ChunkNgrams(box[i], map: maps[i], packer: packer)
                    box[i] = ChunkTokens(table: ByteTermTable(capacity: 1))
                    chunk.corpusIndices = CorpusIndices(count: chunk.keys.count)
                    let (order, starts) = chunk.partitionOrder(partitions: partitionCount)
                    return (chunk, order, starts)
                }
            }
            sums.withUnsafeMutableBufferPointer { box in
                let sums = box
                Parallel.forEachChunk((0..<partitionCount).map { $0..<($0 + 1) }) { _, r in
                    let p = r.lowerBound
                    for (chunk, order, starts) in counted {
                        order.withUnsafeBufferPointer { o in
                            sums[p].add(chunk, order: UnsafeBufferPointer(rebasing: o[starts[p]..<starts[p + 1]]),
                                        partition: p)
                        }
                    }
                }
            }
            var settled = counted.map(\.0)
            settled.withUnsafeMutableBufferPointer { box in
                let box = box
                Parallel.forEachChunk(box.indices.map { $0..<($0 + 1) }) { i, _ in box[i].settle() }
            }
            ngrams += settled
            first = last
        }
        if let largest = sums.map(\.count).max(), largest > CorpusIndices.maximumIndex {
            throw TextError.invalidOption("\(largest) distinct n-grams in one partition are too many to count")
        }
        MemoryLog.stage("tfidf n-grams counted")

        // 4. Terms within the df bounds, with where each sits in the sums.
        var keys: [UInt64] = [], df: [Int32] = [], tf: [Int64] = [], entries: [(partition: Int32, index: Int32)] = []
        var starts = [0]
        for p in sums.indices { starts.append(starts[p] + sums[p].count) }
        var columns = [Int32](repeating: -1, count: starts[sums.count])
        for p in sums.indices {
            let (s, indices) = sums[p].kept(minDocs: minDocs, maxDocs: maxDocs)
            sums[p] = TermCountsAccumulator(capacity: 1)
            keys += s.keys; df += s.df; tf += s.tf
            entries += indices.map { (Int32(p), $0) }
        }
        guard !keys.isEmpty else {
            throw TextError.noTermsRemain("\(n) documents, minDF \(options.minDF), maxDF \(options.maxDF)")
        }
        MemoryLog.stage("tfidf counts merged")

        // 5. max_features (highest counts, ties by term), sorted vocabulary, idf: ordered by integer sort keys
        // (`TermOrder`), strings built only for the kept terms.
        let sortKeys = TermOrder.sortKeys(keys, packer: packer, words: global)
        var order = Array(keys.indices)
        if let limit = options.maxFeatures, limit < order.count {
            order.sort { a, b in tf[a] != tf[b] ? tf[a] > tf[b] : sortKeys[a] < sortKeys[b] }
            order = Array(order.prefix(limit))
        }
        order.sort { sortKeys[$0] < sortKeys[$1] }
        var term: [UInt8] = []
        let vocabulary = order.map { i -> String in
            term.removeAll(keepingCapacity: true)
            for (k, id) in packer.ids(keys[i]).enumerated() {
                if k > 0 { term.append(0x20) }
                term += global.bytes(id)
            }
            return String(decoding: term, as: UTF8.self)
        }
        let idf: [Float] = order.map { i in
            let d = Double(df[i]), m = Double(n)
            return Float(options.smoothIDF ? log((1 + m) / (1 + d)) + 1 : log(m / d) + 1)
        }
        for (column, i) in order.enumerated() {
            columns[starts[Int(entries[i].partition)] + Int(entries[i].index)] = Int32(column)
        }
        let vectorizer = try TfidfVectorizer(options: options, vocabulary: vocabulary, idf: idf)
        return CountedFit(vectorizer: vectorizer, ngrams: ngrams, columns: SumColumns(columns: columns, starts: starts))
    }

    /// `fit` then `transform` on the same papers (the same matrix), tokenising each paper once.
    public static func fitTransform(_ papers: [Paper], options: TfidfOptions) throws -> (TfidfVectorizer, SparseMatrix) {
        var fit = try papers.withUnsafeBufferPointer { buffer in
            try fitCounting(count: buffer.count, texts: { (buffer[$0].title, buffer[$0].abstract) },
                            options: options, tokenized: nil)
        }
        return transformFitted(&fit, rows: papers.count)
    }

    /// `fitTransform` for large corpora: once a paper is tokenised its abstract is emptied and its tags,
    /// categories and extra fields dropped, so the texts never coexist with the token tables and the matrix.
    /// Afterwards the papers keep their id, title and the reader's numeric fields (enough to report results).
    public static func fitTransform(releasingTextOf papers: inout [Paper], options: TfidfOptions) throws
        -> (TfidfVectorizer, SparseMatrix) {
        let rows = papers.count
        FreedMemory.unmapLargeBlocksWhenFreed()
        MemoryLog.stage("papers read")
        var fit = try papers.withUnsafeMutableBufferPointer { papersBuffer in
            let buffer = papersBuffer
            return try fitCounting(count: buffer.count, texts: { (buffer[$0].title, buffer[$0].abstract) },
                                   options: options, tokenized: { range in
                for i in range {
                    buffer[i].abstract = ""
                    buffer[i].tags = nil
                    buffer[i].categories = nil
                    buffer[i].extra = [:]
                }
                // The texts were read on one thread and are freed on this one: glibc keeps them in the reader's
                // arena unless told, and the tokens (allocated here) cannot reuse them.
                FreedMemory.release()
            })
        }
        // The reader allocated each paper's strings side by side on its threads, so the freed texts leave holes
        // between the kept ids and titles and no page is wholly free. Copied here, on one thread, the kept
        // strings sit together, and the reader's pages can go back to the system.
        for i in papers.indices {
            papers[i].id = Self.freshCopy(papers[i].id)
            papers[i].title = Self.freshCopy(papers[i].title)
            papers[i].date = papers[i].date.map(Self.freshCopy)
        }
        FreedMemory.release()
        MemoryLog.stage("tfidf fitted")
        let result = transformFitted(&fit, rows: rows)
        MemoryLog.stage("tfidf matrix")
        FreedMemory.release()
        return result
    }

    /// The matrix of the papers a fit counted, from their kept n-gram occurrences (taken, so each chunk's
    /// occurrences are freed as soon as its rows exist and never coexist with the whole matrix).
    private static func transformFitted(_ fit: inout CountedFit, rows: Int) -> (TfidfVectorizer, SparseMatrix) {
        let v = fit.vectorizer
        let columns = fit.columns
        var ngrams: [ChunkNgrams?] = fit.ngrams.map { $0 }
        fit.ngrams = []
        fit.columns = SumColumns(columns: [], starts: [])
        let pool = RowScratchPool(columns: v.featureCount)
        var parts = ngrams.withUnsafeMutableBufferPointer { box in
            Parallel.mapChunks(box.indices.map { $0..<($0 + 1) }) { r -> RowBlock in
                let chunk = box[r.lowerBound]!
                box[r.lowerBound] = nil
                return pool.with { v.transformRows(chunk, columns: columns, scratch: $0) }
            }
        }
        return (v, v.assemble(&parts, rows: rows))
    }

    /// The same text in storage of its own (never shared with the original).
    private static func freshCopy(_ text: String) -> String {
        var text = text
        return text.withUTF8 { String(decoding: $0, as: UTF8.self) }
    }
}

/// Tokens of a chunk of documents: ids into the chunk's own table, segments (title, abstract) per document.
struct ChunkTokens {
    var table = ByteTermTable(capacity: 4096)
    var ids: [Int32] = []
    var segmentEnds: [Int] = []
    var segmentWeights: [Int32] = []
    var documentEnds: [Int] = []

    /// The tokens of documents `range`, whose (title, abstract) `texts(i)` gives, as the fit counts them: the
    /// table starts with `stopWords` (sorted, as in the fit's global table), so a stop word is recognised by its
    /// id and dropped, never stored; a segment of weight 0 (the title at `titleWeight` 0) is left out.
    init(_ range: Range<Int>, texts: (Int) -> (title: String, abstract: String), tokenizer: Tokenizer,
         titleWeight: Int, stopWords: [String]) {
        for w in stopWords { var s = w; _ = s.withUTF8 { table.intern($0) } }
        let stopCount = Int32(stopWords.count)
        var bytes: [UInt8] = [], ids: [Int32] = []
        for i in range {
            let (title, abstract) = texts(i)
            for (text, weight) in [(title, titleWeight), (abstract, 1)] where weight > 0 {
                DocumentTokens.ids(text, tokenizer: tokenizer, bytes: &bytes, ids: &ids) { token in
                    let id = table.intern(token)
                    return id < stopCount ? -2 : id
                }
                self.ids.append(contentsOf: ids)
                segmentEnds.append(self.ids.count)
                segmentWeights.append(Int32(weight))
            }
            documentEnds.append(segmentEnds.count)
        }
    }

    init(table: ByteTermTable) { self.table = table }
}
