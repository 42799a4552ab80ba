#if canImport(Glibc)
import Glibc
#endif

extension TfidfVectorizer {
    /// Learns the vocabulary and idf from `papers` (scikit-learn's `fit`): tokenises and counts on all cores,
    /// prunes by `minDF`, `maxDF`, `maxFeatures`, sorts the terms. Same result for any thread count.
    public static func fit(_ papers: [Paper], options: TfidfOptions) throws -> TfidfVectorizer {
        try fitKeepingTokens(papers, options: options).vectorizer
    }

    /// `fit`, also returning the tokens of each chunk of papers so `fitTransform` need not tokenise twice.
    static func fitKeepingTokens(_ papers: [Paper], options: TfidfOptions) throws
        -> (vectorizer: TfidfVectorizer, tokens: [ChunkTokens]) {
        try papers.withUnsafeBufferPointer { buffer in
            try fitKeepingTokens(count: buffer.count, texts: { (buffer[$0].title, buffer[$0].abstract) },
                                 options: options, tokenized: nil)
        }
    }

    /// The fit on `count` papers whose (title, abstract) `texts(i)` gives; `tokenized(range)` is called, from the
    /// chunk's thread, once the papers in `range` are tokenised and their text is no longer read.
    static func fitKeepingTokens(count n: Int, texts: (Int) -> (title: String, abstract: String), options: TfidfOptions,
                                 tokenized released: ((Range<Int>) -> Void)?) throws
        -> (vectorizer: TfidfVectorizer, tokens: [ChunkTokens]) {
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
        let tokenized = Parallel.mapChunks(chunks) { range -> ChunkTokens in
            var c = ChunkTokens()
            for w in stopWords { var s = w; _ = s.withUTF8 { c.table.intern($0) } }
            var bytes: [UInt8] = [], ids: [Int32] = []
            for i in range {
                let (title, abstract) = texts(i)
                for (text, weight) in [(title, options.titleWeight), (abstract, 1)] where weight > 0 {
                    DocumentTokens.ids(text, tokenizer: tokenizer, bytes: &bytes, ids: &ids) { token in
                        let id = c.table.intern(token)
                        return id < stopCount ? -2 : id
                    }
                    c.ids.append(contentsOf: ids)
                    c.segmentEnds.append(c.ids.count)
                    c.segmentWeights.append(Int32(weight))
                }
                c.documentEnds.append(c.segmentEnds.count)
            }
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
        // are counted, split into hash partitions and added to the partitions' running sums.
        let partitionCount = 16
        var sums = [TermCountsAccumulator](repeating: TermCountsAccumulator(), count: partitionCount)
        let wave = max(2, Parallel.threadCount)
        var first = 0
        while first < tokenized.count {
            let last = min(tokenized.count, first + wave)
            let counted = Parallel.mapChunks((first..<last).map { $0..<($0 + 1) }) { r -> [TermCounts] in
                Self.countNgrams(tokenized[r.lowerBound], map: maps[r.lowerBound], packer: packer,
                                 partitions: partitionCount)
            }
            sums.withUnsafeMutableBufferPointer { box in
                let sums = box
                Parallel.forEachChunk((0..<partitionCount).map { $0..<($0 + 1) }) { _, r in
                    for chunk in counted { sums[r.lowerBound].add(chunk[r.lowerBound]) }
                }
            }
            first = last
        }
        MemoryLog.stage("tfidf n-grams counted")

        // 4. Terms within the df bounds.
        var keys: [UInt64] = [], df: [Int32] = [], tf: [Int64] = []
        for p in sums.indices {
            let s = sums[p].within(minDocs: minDocs, maxDocs: maxDocs)
            sums[p] = TermCountsAccumulator(capacity: 1)
            keys += s.keys; df += s.df; tf += s.tf
        }
        guard !keys.isEmpty else {
            throw TextError.noTermsRemain("\(n) documents, minDF \(options.minDF), maxDF \(options.maxDF)")
        }
        MemoryLog.stage("tfidf counts merged")

        // 5. Term strings (in one byte arena), max_features (highest counts, ties by term), sorted vocabulary, idf.
        var arena: [UInt8] = [], offsets: [Int] = [0]
        arena.reserveCapacity(keys.count * 12)
        offsets.reserveCapacity(keys.count + 1)
        for key in keys {
            for (i, id) in packer.ids(key).enumerated() {
                if i > 0 { arena.append(0x20) }
                arena += global.bytes(id)
            }
            offsets.append(arena.count)
        }
        var order = Array(keys.indices)
        arena.withUnsafeBufferPointer { a in
            let base = a.baseAddress
            func precedes(_ x: Int, _ y: Int) -> Bool {
                let xs = offsets[x], xn = offsets[x + 1] - xs, ys = offsets[y], yn = offsets[y + 1] - ys
                let c = memcmp(base! + xs, base! + ys, min(xn, yn))
                return c != 0 ? c < 0 : xn < yn
            }
            if let limit = options.maxFeatures, limit < order.count {
                order.sort { a, b in tf[a] != tf[b] ? tf[a] > tf[b] : precedes(a, b) }
                order = Array(order.prefix(limit))
            }
            order.sort(by: precedes)
        }
        let vocabulary = order.map { String(decoding: arena[offsets[$0]..<offsets[$0 + 1]], as: UTF8.self) }
        let idf: [Float] = order.map { i in
            let d = Double(df[i]), m = Double(n)
            return Float(options.smoothIDF ? log((1 + m) / (1 + d)) + 1 : log(m / d) + 1)
        }
        return (try TfidfVectorizer(options: options, vocabulary: vocabulary, idf: idf), tokenized)
    }

    /// `fit` then `transform` on the same papers (the same matrix), tokenising each paper once.
    public static func fitTransform(_ papers: [Paper], options: TfidfOptions) throws -> (TfidfVectorizer, SparseMatrix) {
        var fit = try fitKeepingTokens(papers, options: options)
        return transformFitted(fit.vectorizer, tokens: &fit.tokens, rows: papers.count)
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
            return try fitKeepingTokens(count: buffer.count, texts: { (buffer[$0].title, buffer[$0].abstract) },
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
        let result = transformFitted(fit.vectorizer, tokens: &fit.tokens, rows: rows)
        MemoryLog.stage("tfidf matrix")
        FreedMemory.release()
        return result
    }

    /// The matrix of the papers `fitKeepingTokens` tokenised, from their kept tokens (taken, so each chunk's
    /// tokens can be freed as soon as its rows exist).
    private static func transformFitted(_ v: TfidfVectorizer, tokens fitted: inout [ChunkTokens], rows: Int)
        -> (TfidfVectorizer, SparseMatrix) {
        // Each chunk's tokens are released as soon as its rows exist, so they never coexist with the whole matrix.
        var tokens: [ChunkTokens?] = fitted.map { $0 }
        fitted = []
        var parts = tokens.withUnsafeMutableBufferPointer { box in
            Parallel.mapChunks(box.indices.map { $0..<($0 + 1) }) { r -> RowBlock in
                let chunk = box[r.lowerBound]!
                box[r.lowerBound] = nil
                return v.transformRows(chunk)
            }
        }
        return (v, v.assemble(&parts, rows: rows))
    }

    /// The same text in storage of its own (never shared with the original).
    private static func freshCopy(_ text: String) -> String {
        var text = text
        return text.withUTF8 { String(decoding: $0, as: UTF8.self) }
    }

    /// Document and total counts of every n-gram of one chunk's documents, split into `partitions` hash
    /// partitions (`TermCounts.partition`); `map` turns chunk token ids into global ones (-2 = stop word).
    static func countNgrams(_ c: ChunkTokens, map: [Int32], packer: NgramPacker, partitions: Int) -> [TermCounts] {
        // Distinct n-grams of a chunk run at about half its tokens: size for that, so the table rarely grows.
        var table = KeyTable(capacity: max(4096, c.ids.count / 2))
        var df: [Int32] = [], tf: [Int64] = []
        // The last document that counted each n-gram: document frequency without sorting each document.
        var lastDocument: [Int32] = []
        var seg: [Int32] = [], found: [Int32] = []
        var segment = 0, position = 0
        for (document, docEnd) in c.documentEnds.enumerated() {
            let doc = Int32(document)
            while segment < docEnd {
                seg.removeAll(keepingCapacity: true)
                found.removeAll(keepingCapacity: true)
                for k in position..<c.segmentEnds[segment] {
                    let g = map[Int(c.ids[k])]
                    if g != -2 { seg.append(g) }
                }
                seg.withUnsafeBufferPointer { buf in
                    packer.forEachNgram(buf) { key in found.append(Int32(truncatingIfNeeded: table.insert(key))) }
                }
                if df.count < table.count {
                    let more = table.count - df.count
                    df.append(contentsOf: repeatElement(0, count: more))
                    tf.append(contentsOf: repeatElement(0, count: more))
                    lastDocument.append(contentsOf: repeatElement(-1, count: more))
                }
                let weight = Int64(c.segmentWeights[segment])
                df.withUnsafeMutableBufferPointer { d in
                tf.withUnsafeMutableBufferPointer { t in
                lastDocument.withUnsafeMutableBufferPointer { last in
                    for i in found {
                        let idx = Int(i)
                        if last[idx] != doc { last[idx] = doc; d[idx] += 1 }
                        t[idx] += weight
                    }
                }}}
                position = c.segmentEnds[segment]
                segment += 1
            }
        }
        var parts = [TermCounts](repeating: TermCounts(), count: partitions)
        for (idx, key) in table.keys.enumerated() {
            let p = TermCounts.partition(key, partitions)
            parts[p].keys.append(key); parts[p].df.append(df[idx]); parts[p].tf.append(tf[idx])
        }
        return parts
    }
}

/// Tokens of a chunk of documents: ids into the chunk's own table, segments (title, abstract) per document.
struct ChunkTokens {
    var table = ByteTermTable(capacity: 4096)
    var ids: [Int32] = []
    var segmentEnds: [Int] = []
    var segmentWeights: [Int32] = []
    var documentEnds: [Int] = []
}
