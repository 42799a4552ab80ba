import XCTest
import Foundation
@testable import TopicKit
#if canImport(Glibc)
import Glibc
#endif

final class TextTests: XCTestCase {
    func paper(_ abstract: String, title: String = "") -> Paper {
        Paper(id: abstract, title: title, abstract: abstract)
    }

    let fruit = ["apple banana apple", "banana cherry", "apple cherry cherry date"]

    func options(_ change: (inout TfidfOptions) -> Void = { _ in }) -> TfidfOptions {
        var o = TfidfOptions(ngramRange: 1...1, stopWords: .none, sublinearTF: false, titleWeight: 0)
        change(&o)
        return o
    }

    func testTokenizerMatchesScikitLearnPattern() {
        // Python: re.findall(r'(?u)\b\w\w+\b', text.lower())
        let text = "Hello, World! a KV-cache x_y 3D é 日本 Ünïcode naïve"
        XCTAssertEqual(Tokenizer().tokens(text), ["hello", "world", "kv", "cache", "x_y", "3d", "日本", "ünïcode", "naïve"])
        XCTAssertEqual(Tokenizer(joinHyphens: true).tokens("KV-cache and kv--cache -x- a-b"),
                       ["kv-cache", "and", "kv", "cache", "a-b"])
        XCTAssertEqual(Tokenizer().tokens(""), [])
    }

    func testStopWordsAreScikitLearnsList() {
        XCTAssertEqual(StopWords.english.count, 318)
        XCTAssertTrue(StopWords.english.isSuperset(of: ["the", "amoungst", "system", "bill", "yourselves"]))
        XCTAssertFalse(StopWords.english.contains("transformer"))
    }

    func testIdfAndL2NormByHand() throws {
        let (v, x) = try TfidfVectorizer.fitTransform(fruit.map { paper($0) }, options: options())
        XCTAssertEqual(v.vocabulary, ["apple", "banana", "cherry", "date"])
        // idf = ln((1 + 3) / (1 + df)) + 1: df 2 → 1.287682, df 1 → 1.693147
        XCTAssertEqual(v.idf[0], Float(log(4.0 / 3.0) + 1), accuracy: 1e-6)
        XCTAssertEqual(v.idf[3], Float(log(2.0) + 1), accuracy: 1e-6)
        let expected: [Float] = [0.89442719, 0.4472136, 0, 0,
                                 0, 0.70710678, 0.70710678, 0,
                                 0.38550292, 0, 0.77100584, 0.50689001]
        for (a, b) in zip(x.toDense(), expected) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        XCTAssertEqual(x.rowPointers, [0, 2, 4, 7])
    }

    func testSublinearTFAndNonSmoothIdf() throws {
        let x = try TfidfVectorizer.fitTransform(fruit.map { paper($0) }, options: options { $0.sublinearTF = true }).1
        let expected: [Float] = [0.861037, 0.50854232, 0, 0, 0, 0.70710678, 0.70710678, 0, 0.42274111, 0, 0.71576292, 0.55585376]
        for (a, b) in zip(x.toDense(), expected) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        let v = try TfidfVectorizer.fit(fruit.map { paper($0) }, options: options { $0.smoothIDF = false; $0.norm = .none })
        XCTAssertEqual(v.idf[0], Float(log(3.0 / 2.0) + 1), accuracy: 1e-6)
        XCTAssertEqual(v.idf[3], Float(log(3.0) + 1), accuracy: 1e-6)
        XCTAssertEqual(v.transform(paper("apple apple"))[0].value, 2 * v.idf[0], accuracy: 1e-6)
    }

    func testPruningByDocumentFrequencyAndMaxFeatures() throws {
        let papers = fruit.map { paper($0) }
        XCTAssertEqual(try TfidfVectorizer.fit(papers, options: options { $0.minDF = .count(2) }).vocabulary,
                       ["apple", "banana", "cherry"])
        XCTAssertEqual(try TfidfVectorizer.fit(papers, options: options { $0.maxDF = .count(1) }).vocabulary, ["date"])
        XCTAssertEqual(try TfidfVectorizer.fit(papers, options: options { $0.maxDF = .proportion(0.5) }).vocabulary, ["date"])
        XCTAssertEqual(try TfidfVectorizer.fit(papers, options: options { $0.minDF = .proportion(0.5) }).vocabulary.count, 3)
        // Corpus counts: apple 3, cherry 3, banana 2, date 1.
        XCTAssertEqual(try TfidfVectorizer.fit(papers, options: options { $0.maxFeatures = 2 }).vocabulary, ["apple", "cherry"])
        XCTAssertThrowsError(try TfidfVectorizer.fit(papers, options: options { $0.minDF = .count(3) })) { error in
            guard case TextError.noTermsRemain = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try TfidfVectorizer.fit([], options: options())) { XCTAssertEqual($0 as? TextError, .emptyCorpus) }
    }

    func testBigramsFormAfterStopWordRemoval() throws {
        let o = options { $0.ngramRange = 1...2; $0.stopWords = .english }
        let v = try TfidfVectorizer.fit([paper("the apple and the banana"), paper("banana is not cherry")], options: o)
        XCTAssertEqual(v.vocabulary, ["apple", "apple banana", "banana", "banana cherry", "cherry"])
        // An unknown word breaks n-grams at transform time, as in scikit-learn (its n-grams are out of vocabulary).
        let row = v.transform(paper("apple zebra banana"))
        XCTAssertEqual(row.map(\.column), [0, 2])
        let only2 = try TfidfVectorizer.fit([paper("a b c d e f alpha beta gamma")], options: options { $0.ngramRange = 2...3 })
        XCTAssertEqual(only2.vocabulary, ["alpha beta", "alpha beta gamma", "beta gamma"])
    }

    func testTitleWeightCountsTitleOccurrences() throws {
        let o = options { $0.titleWeight = 3; $0.norm = .none; $0.useIDF = false }
        let v = try TfidfVectorizer.fit([paper("apple banana", title: "Apple pie")], options: o)
        XCTAssertEqual(v.vocabulary, ["apple", "banana", "pie"])
        XCTAssertEqual(v.transform(paper("apple banana", title: "Apple pie")).map(\.value), [4, 1, 3])
        // Title and abstract are separate segments: no bigram spans them.
        let b = try TfidfVectorizer.fit([paper("banana", title: "apple")], options: options { $0.ngramRange = 1...2; $0.titleWeight = 1 })
        XCTAssertEqual(b.vocabulary, ["apple", "banana"])
    }

    func testRebuiltFromStoredPartsTransformsIdentically() throws {
        let papers = randomPapers(count: 120, seed: 3)
        let o = TfidfOptions()
        let (v, x) = try TfidfVectorizer.fitTransform(papers, options: o)
        let rebuilt = try TfidfVectorizer(options: o, vocabulary: v.vocabulary, idf: v.idf)
        XCTAssertEqual(rebuilt.transform(papers), x)
        XCTAssertThrowsError(try TfidfVectorizer(options: o, vocabulary: ["a"], idf: [1, 2]))
        XCTAssertThrowsError(try TfidfVectorizer(options: o, vocabulary: ["alpha", "alpha"], idf: [1, 1]))
        XCTAssertThrowsError(try TfidfVectorizer(options: TfidfOptions(stopWords: .english), vocabulary: ["the cat"], idf: [1]))
        XCTAssertThrowsError(try TfidfVectorizer(options: o, vocabulary: ["a  b"], idf: [1]))
    }

    func testColumnsSortedAndRowsUnitLength() throws {
        let x = try TfidfVectorizer.fitTransform(randomPapers(count: 100, seed: 5), options: TfidfOptions()).1
        for i in 0..<x.rows {
            let r = x.rowPointers[i]..<x.rowPointers[i + 1]
            XCTAssertTrue(zip(x.columnIndices[r].dropLast(), x.columnIndices[r].dropFirst()).allSatisfy { $0 < $1 })
            let norm = x.values[r].reduce(0) { $0 + $1 * $1 }
            if !r.isEmpty { XCTAssertEqual(norm, 1, accuracy: 1e-5) }
        }
    }

    func testIdenticalForOneAndTwoThreads() throws {
        let papers = randomPapers(count: 1100, seed: 11)
        let o = TfidfOptions(ngramRange: 1...3, minDF: .count(2))
        setenv("TOPICKIT_THREADS", "1", 1)
        let (v1, x1) = try TfidfVectorizer.fitTransform(papers, options: o)
        setenv("TOPICKIT_THREADS", "2", 1)
        let (v2, x2) = try TfidfVectorizer.fitTransform(papers, options: o)
        unsetenv("TOPICKIT_THREADS")
        XCTAssertGreaterThan(Parallel.chunks(count: papers.count, minimumChunk: 256).count, 4)
        XCTAssertEqual(v1.vocabulary, v2.vocabulary)
        XCTAssertEqual(v1.idf, v2.idf)
        XCTAssertEqual(x1, x2)
        XCTAssertGreaterThan(v1.featureCount, 500)
    }

    func testFitTransformEqualsFitThenTransformOnRealDumps() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dumps = ["000_cf9603b38fab2277.txt", "001_d00b677fa77ecfd9.txt", "002_b40d90b5f4122fd8.txt"]
        let papers = try PaperReader.read(dumps.map { root.path + "/Data/dumps/" + $0 }).papers
        for o in [TfidfOptions(), TfidfOptions(ngramRange: 1...3, stopWords: .english, minDF: .count(2), titleWeight: 3)] {
            let (v, x) = try TfidfVectorizer.fitTransform(papers, options: o)
            XCTAssertEqual(try TfidfVectorizer.fit(papers, options: o).vocabulary, v.vocabulary)
            XCTAssertEqual(v.transform(papers), x)
            XCTAssertEqual(x.rows, papers.count)
            XCTAssertGreaterThan(x.nonZeroCount, 10 * papers.count)
        }
    }

    func testLowercasedBytesEqualStringLowercased() {
        var rng = SeededGenerator(seed: 23)
        let alphabet = Array("aZ09 -_.ÉéÀßẞİIıΣσςДдǅǈ日本ﬁ𝐀🙂ΑΒΓ\u{0301}\u{0130}ÖÜ".unicodeScalars)
        for trial in 0..<2000 {
            let length = trial % 40
            var text = String.UnicodeScalarView()
            for _ in 0..<length { text.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            let s = String(text)
            var bytes: [UInt8] = []
            Tokenizer.lowercasedBytes(s, into: &bytes)
            XCTAssertEqual(bytes, Array(s.lowercased().utf8), s)
        }
    }

    func testColumnSortMatchesStandardSort() {
        var rng = SeededGenerator(seed: 19)
        for trial in 0..<400 {
            let n = trial < 40 ? trial : Int(rng.next() % 3000)
            let range = UInt64(1 + (trial % 4 == 0 ? 5 : 300_000))
            var a = (0..<n).map { _ in Int32(truncatingIfNeeded: rng.next() % range) }
            if trial % 7 == 0 { a.sort(by: >) }
            let expected = a.sorted()
            a.withUnsafeMutableBufferPointer { ColumnSort.sort($0) }
            XCTAssertEqual(a, expected, "trial \(trial), \(n) items")
        }
    }

    func testByteTermTableFindsEveryKeyAfterGrowing() {
        var table = ByteTermTable(capacity: 4)
        let words = (0..<20_000).map { "w\($0 * 7919 % 100_003)-" + String(repeating: "x", count: $0 % 13) }
        for (i, w) in words.enumerated() {
            var s = w
            XCTAssertEqual(s.withUTF8 { table.intern($0) }, Int32(i))
        }
        for (i, w) in words.enumerated() {
            var s = w
            XCTAssertEqual(s.withUTF8 { table.find($0) }, Int32(i))
            var t = w + "?"
            XCTAssertEqual(t.withUTF8 { table.find($0) }, -1)
        }
        XCTAssertEqual(table.string(123), words[123])
    }

    func testOptionsRoundTripThroughReadableJSON() throws {
        let o = TfidfOptions(ngramRange: 1...3, stopWords: .custom(["foo"]), minDF: .count(2), maxDF: .proportion(0.5),
                             maxFeatures: 100, titleWeight: 3)
        let data = try JSONEncoder().encode(o)
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains("\"minDF\":{\"count\":2}"), text)
        XCTAssertTrue(text.contains("\"stopWords\":[\"foo\"]"), text)
        XCTAssertEqual(try JSONDecoder().decode(TfidfOptions.self, from: data), o)
        let english = try JSONEncoder().encode(TfidfOptions(stopWords: .english))
        XCTAssertTrue(String(decoding: english, as: UTF8.self).contains("\"stopWords\":\"english\""))
        XCTAssertEqual(try JSONDecoder().decode(TfidfOptions.self, from: english).stopWords, .english)
        XCTAssertThrowsError(try JSONDecoder().decode(StopWordList.self, from: Data("\"french\"".utf8)))
    }

    /// Papers of random words from a small Zipf-like lexicon (seeded).
    /// The batch path (word table, count array, distinct columns sorted) against the one-paper path (hits
    /// sorted): equal bit for bit, with words over 16 bytes, non-ASCII words, stop words, unknown words that
    /// break n-grams, bigrams whose words are pruned as unigrams (max_df), title weights and n-gram ranges.
    func testBatchRowsEqualOnePaperRows() throws {
        var g = SeededGenerator(seed: 21)
        let lexicon = (0..<300).map { "w\($0)" } + ["the", "and", "of", "Transformer", "naïve", "kv-cache",
            "Straße", "ÉCOLE", "x", "sixteen-bytes-ab", "seventeen-bytes-a", "electroencephalographically",
            "a_very_long_identifier_over_sixteen", "common", "common", "common", "common"]
        func words(_ n: Int) -> String {
            (0..<n).map { _ in
                let u = g.nextUnitFloat()
                return lexicon[min(lexicon.count - 1, Int(u * u * Float(lexicon.count)))]
            }.joined(separator: g.nextUnitFloat() < 0.1 ? ", " : " ")
        }
        let papers = (0..<300).map { Paper(id: "p\($0)", title: words(5), abstract: words(40)) }
        let unseen = (0..<80).map { Paper(id: "u\($0)", title: words(4) + " zz\($0)", abstract: "zz\($0) " + words(30)) }
        for o in [TfidfOptions(), TfidfOptions(ngramRange: 1...3, stopWords: .english, minDF: .count(2), maxDF: .proportion(0.4), titleWeight: 3, joinHyphens: true),
                  TfidfOptions(ngramRange: 2...3, stopWords: .english, sublinearTF: false, titleWeight: 0),
                  TfidfOptions(ngramRange: 1...2, minDF: .count(3), maxDF: .proportion(0.3), maxFeatures: 400, useIDF: false, norm: .l1)] {
            let v = try TfidfVectorizer.fit(papers, options: o)
            let all = papers + unseen
            let x = v.transform(all)
            var checked = 0
            for (i, p) in all.enumerated() {
                let r = x.rowPointers[i]..<x.rowPointers[i + 1]
                let one = v.transform(p)
                XCTAssertEqual(one.map(\.column), x.columnIndices[r].map(Int.init), "\(o) paper \(i)")
                XCTAssertEqual(one.map(\.value.bitPattern), x.values[r].map(\.bitPattern), "\(o) paper \(i)")
                checked += one.count
            }
            XCTAssertGreaterThan(checked, 10 * all.count)
        }
        // A bigram stays a feature while one of its words is pruned as a unigram (max_df): it is still found.
        let o = TfidfOptions(ngramRange: 1...2, stopWords: .none, maxDF: .proportion(0.6), sublinearTF: false, titleWeight: 0)
        let pruned = [paper("common alpha"), paper("common alpha"), paper("common beta"), paper("gamma")]
        let v = try TfidfVectorizer.fit(pruned, options: o)
        XCTAssertFalse(v.vocabulary.contains("common"))
        XCTAssertTrue(v.vocabulary.contains("common alpha"))
        let row = v.transform([paper("common alpha common alpha")])
        XCTAssertEqual(row.columnIndices.map { v.vocabulary[Int($0)] }, ["alpha", "common alpha"])
    }

    /// The sorted-vocabulary fast path of vocab.txt parsing agrees with sorting by bytes and de-duplicating.
    func testVocabularyOrderCheckMatchesSortedUnique() throws {
        var g = SeededGenerator(seed: 8)
        let alphabet = ["a", "b", "é", "ab", " ", "z", "ä"]
        for trial in 0..<300 {
            let terms = (0..<Int(g.next() % 6)).map { _ in
                (0..<(1 + Int(g.next() % 3))).map { _ in alphabet[Int(g.next() % UInt64(alphabet.count))] }.joined()
            }
            let bytes = terms.map { Array($0.utf8) }
            var ends: [Int] = [], all: [UInt8] = []
            for b in bytes { all += b; ends.append(all.count); all.append(0x0A) }
            let increasing = all.withUnsafeBufferPointer { VocabularyFile.strictlyIncreasing($0, ends) }
            let expected = zip(bytes, bytes.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) }
            XCTAssertEqual(increasing, expected, "trial \(trial): \(terms)")
        }
        let sorted = Array("alpha\nbeta\nbeta gamma\nüber\n".utf8)
        XCTAssertEqual(try VocabularyFile.parse(sorted, path: "v"), ["alpha", "beta", "beta gamma", "über"])
        XCTAssertEqual(try VocabularyFile.parse(Array("beta\nalpha\n".utf8), path: "v"), ["beta", "alpha"])
        XCTAssertThrowsError(try VocabularyFile.parse(Array("beta\nalpha\nbeta\n".utf8), path: "v")) { error in
            XCTAssertTrue("\(error)".contains("line 3 repeats the term \"beta\" of line 1"), "\(error)")
        }
    }

    func randomPapers(count: Int, seed: UInt64) -> [Paper] {
        var g = SeededGenerator(seed: seed)
        let lexicon = (0..<400).map { "w\($0)" } + ["the", "and", "of", "Transformer", "naïve", "kv-cache"]
        func words(_ n: Int) -> String {
            (0..<n).map { _ in
                let u = g.nextUnitFloat()
                return lexicon[min(lexicon.count - 1, Int(u * u * Float(lexicon.count)))]
            }.joined(separator: " ")
        }
        return (0..<count).map { Paper(id: "p\($0)", title: words(6), abstract: words(40)) }
    }
}

/// The large-corpus fit (partitioned count sums, stop words dropped while tokenising) against plain counting.
extension TextTests {
    private func realDumps() throws -> [Paper] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dumps = ["000_cf9603b38fab2277.txt", "001_d00b677fa77ecfd9.txt", "002_b40d90b5f4122fd8.txt"]
        return try PaperReader.read(dumps.map { root.path + "/Data/dumps/" + $0 }).papers
    }

    /// Document frequencies by a dictionary over n-gram strings give the fitted vocabulary and idf exactly.
    func testFitEqualsDictionaryCountingOnRealDumps() throws {
        // Three copies: enough chunks for several waves of counting.
        let dumps = try realDumps()
        let papers = dumps + dumps + dumps
        let o = TfidfOptions(ngramRange: 1...2, stopWords: .english, minDF: .count(3), maxDF: .proportion(0.3), titleWeight: 1)
        let stop = o.stopWords.words
        var df: [String: Int] = [:]
        for p in papers {
            var seen = Set<String>()
            for text in [p.title, p.abstract] {
                let words = o.tokenizer.tokens(text).filter { !stop.contains($0) }
                for (i, w) in words.enumerated() {
                    seen.insert(w)
                    if i + 1 < words.count { seen.insert(w + " " + words[i + 1]) }
                }
            }
            for t in seen { df[t, default: 0] += 1 }
        }
        let n = Double(papers.count)
        let expected = df.filter { Double($0.value) >= 3 && Double($0.value) <= o.maxDF.documents(of: papers.count) }
            .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        XCTAssertGreaterThan(Parallel.chunks(count: papers.count, minimumChunk: 256).count, 4)
        let v = try TfidfVectorizer.fit(papers, options: o)
        XCTAssertGreaterThan(expected.count, 1000)
        XCTAssertEqual(v.vocabulary, expected.map(\.key))
        XCTAssertEqual(v.idf, expected.map { Float(log((1 + n) / (1 + Double($0.value))) + 1) })
    }

    /// Chunks of papers counted as the fit counts them and added to the partitioned sums in different orders
    /// give the same sums (a dictionary's), each chunk's n-grams point at their own entries, and the df bounds
    /// of `kept` are inclusive.
    func testCountSumsDoNotDependOnTheOrderChunksAreAdded() throws {
        let papers = Array(try realDumps().prefix(400))
        let o = TfidfOptions(ngramRange: 1...2, stopWords: .english, titleWeight: 2)
        let stopWords = o.stopWords.words.sorted()
        let ranges = [0..<90, 90..<200, 200..<260, 260..<400]
        let tokens = ranges.map {
            ChunkTokens($0, texts: { (papers[$0].title, papers[$0].abstract) }, tokenizer: o.tokenizer,
                        titleWeight: o.titleWeight, stopWords: stopWords)
        }
        // One token id space for all chunks, stop words first (as the fit builds it).
        var global = ByteTermTable(capacity: 1 << 12)
        for w in stopWords { var s = w; _ = s.withUTF8 { global.intern($0) } }
        var maps: [[Int32]] = []
        for c in tokens {
            var map = [Int32](repeating: -2, count: c.table.count)
            for id in stopWords.count..<c.table.count { map[id] = c.table.bytes(id).withUnsafeBufferPointer { global.intern($0) } }
            maps.append(map)
        }
        let packer = try XCTUnwrap(NgramPacker(tokenCount: global.count, range: o.ngramRange))
        let chunks = tokens.indices.map { ChunkNgrams(tokens[$0], map: maps[$0], packer: packer) }
        var df: [UInt64: Int32] = [:], tf: [UInt64: Int64] = [:]
        for c in chunks {
            for i in c.keys.indices { df[c.keys[i], default: 0] += c.df[i]; tf[c.keys[i], default: 0] += c.tf[i] }
        }
        XCTAssertGreaterThan(df.count, 20_000)
        // Many n-grams occur in several chunks, so their sums add counts from different chunks.
        XCTAssertLessThan(df.count, chunks.map(\.keys.count).reduce(0, +) - 5000)
        let partitions = 3
        for order in [[0, 1, 2, 3], [3, 1, 0, 2]] {
            var sums = (0..<partitions).map { _ in TermCountsAccumulator(capacity: 16) }
            var placed: [[UInt32]] = Array(repeating: [], count: chunks.count)
            for c in order {
                var chunk = chunks[c]
                chunk.corpusIndices = CorpusIndices(count: chunk.keys.count)
                let (keyOrder, starts) = chunk.partitionOrder(partitions: partitions)
                keyOrder.withUnsafeBufferPointer { o in
                    for p in 0..<partitions {
                        sums[p].add(chunk, order: UnsafeBufferPointer(rebasing: o[starts[p]..<starts[p + 1]]), partition: p)
                    }
                }
                placed[c] = Array(UnsafeBufferPointer(start: chunk.corpusIndices!.values, count: chunk.keys.count))
            }
            var summed: [UInt64: (df: Int32, tf: Int64)] = [:]
            for p in 0..<partitions {
                let all = sums[p].kept(minDocs: 0, maxDocs: .infinity)
                XCTAssertEqual(all.indices, (0..<Int32(sums[p].count)).map { $0 })
                for (j, key) in all.counts.keys.enumerated() {
                    XCTAssertEqual(TermCounts.partition(key, partitions), p)
                    summed[key] = (all.counts.df[j], all.counts.tf[j])
                }
                // Each chunk n-gram's place holds that n-gram.
                for c in chunks.indices {
                    for (k, packed) in placed[c].enumerated() where Int(packed >> UInt32(CorpusIndices.indexBits)) == p {
                        XCTAssertEqual(all.counts.keys[Int(packed) & CorpusIndices.maximumIndex], chunks[c].keys[k])
                    }
                }
                let kept = sums[p].kept(minDocs: 2, maxDocs: 5)
                let expected = all.counts.keys.indices.filter { (2...5).contains(all.counts.df[$0]) }
                XCTAssertEqual(kept.indices, expected.map(Int32.init))
                XCTAssertEqual(kept.counts.keys, expected.map { all.counts.keys[$0] })
                XCTAssertFalse(kept.counts.keys.isEmpty)
            }
            XCTAssertEqual(summed.count, df.count)
            XCTAssertEqual(summed.filter { df[$0.key] != $0.value.df || tf[$0.key] != $0.value.tf }.count, 0)
        }
    }

    /// A chunk's tokens, as the fit reads them, are every token of its papers but the stop words (never stored),
    /// and the fitted vocabulary forms n-grams across a dropped stop word.
    func testChunkTokensAreEveryTokenButTheStopWords() throws {
        let papers = try realDumps()
        let o = TfidfOptions(stopWords: .english, titleWeight: 1)
        let stop = o.stopWords.words
        let c = ChunkTokens(papers.indices, texts: { (papers[$0].title, papers[$0].abstract) }, tokenizer: o.tokenizer,
                            titleWeight: o.titleWeight, stopWords: stop.sorted())
        let kept = c.ids.map { c.table.string(Int($0)) }
        let expected = papers.flatMap { o.tokenizer.tokens($0.title) + o.tokenizer.tokens($0.abstract) }.filter { !stop.contains($0) }
        XCTAssertEqual(kept, expected)
        XCTAssertGreaterThan(expected.count, 50_000)
        XCTAssertEqual(c.documentEnds, papers.indices.map { 2 * $0 + 2 })
        XCTAssertEqual(c.segmentWeights, Array(repeating: 1, count: 2 * papers.count))

        let bigrams = TfidfOptions(ngramRange: 1...2, stopWords: .english, titleWeight: 0)
        let v = try TfidfVectorizer.fit([Paper(id: "a", title: "the title is ignored", abstract: "Models of the cache. Models cache!")],
                                        options: bigrams)
        XCTAssertEqual(v.vocabulary, ["cache", "cache models", "models", "models cache"])
        XCTAssertEqual(v.transform(Paper(id: "b", title: "", abstract: "models of cache")).map(\.column), [0, 2, 3])
    }

    /// Rows with more distinct terms than the per-row count table first holds (it grows mid-row, then shrinks
    /// back) equal the sort-based one-paper rows, and so do the short rows built after them with the same buffers.
    func testLongRowsEqualOnePaperRows() throws {
        let words = (0..<3000).map { "t\($0)" }
        var g = SeededGenerator(seed: 5)
        func text(_ n: Int, from range: Range<Int>) -> String {
            (0..<n).map { _ in words[range.lowerBound + Int(g.next() % UInt64(range.count))] }.joined(separator: " ")
        }
        let training = (0..<40).map { Paper(id: "f\($0)", title: text(20, from: 0..<3000), abstract: text(400, from: 0..<3000)) }
        let v = try TfidfVectorizer.fit(training, options: TfidfOptions(ngramRange: 1...2, stopWords: .none, titleWeight: 2))
        XCTAssertGreaterThan(v.featureCount, 3000)
        // One chunk: the long papers and the short ones after them share one builder.
        var papers: [Paper] = []
        for i in 0..<12 {
            let long = i % 4 == 0
            papers.append(Paper(id: "p\(i)", title: text(long ? 900 : 6, from: 0..<3000),
                                abstract: text(long ? 5000 : 60, from: 0..<3000)))
        }
        let x = v.transform(papers)
        var maximum = 0
        for (i, p) in papers.enumerated() {
            let r = x.rowPointers[i]..<x.rowPointers[i + 1]
            let one = v.transform(p)
            XCTAssertEqual(one.map(\.column), x.columnIndices[r].map(Int.init), "paper \(i)")
            XCTAssertEqual(one.map(\.value.bitPattern), x.values[r].map(\.bitPattern), "paper \(i)")
            maximum = max(maximum, one.count)
        }
        XCTAssertGreaterThan(maximum, 2000)
    }

    /// Integer sort keys of packed n-grams order them as their joined strings' bytes, even where one word is a
    /// prefix of another, words hold `-`, `_`, digits or non-ASCII letters, and n-grams have different lengths.
    func testTermOrderKeysSortLikeJoinedTermBytes() throws {
        let words = ["a", "ab", "abc", "a-b", "ab_", "a0", "b", "ba", "é", "éa", "z9", "日本", "ab-c", "abd"]
        var table = ByteTermTable(capacity: 16)
        for w in words { var s = w; _ = s.withUTF8 { table.intern($0) } }
        let packer = try XCTUnwrap(NgramPacker(tokenCount: table.count, range: 1...3))
        var rng = SeededGenerator(seed: 5)
        var keys = Set<UInt64>()
        while keys.count < 600 {
            let n = Int(rng.next() % 3) + 1
            var key: UInt64 = 0
            for _ in 0..<n { key = key << UInt64(packer.bits) | (rng.next() % UInt64(words.count) + 1) }
            keys.insert(key)
        }
        let list = Array(keys)
        let terms = list.map { packer.ids($0).map { words[$0] }.joined(separator: " ") }
        let sortKeys = TermOrder.sortKeys(list, packer: packer, words: table)
        let byKeys = list.indices.sorted { sortKeys[$0] < sortKeys[$1] }.map { terms[$0] }
        let byBytes = terms.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        XCTAssertEqual(byKeys, byBytes)
        XCTAssertEqual(Set(sortKeys).count, list.count)
    }

    /// A chunk's counted n-grams give back every n-gram occurrence of its kept tokens, with document and total
    /// counts equal to a dictionary's; added to partitioned sums, each distinct n-gram points at its own entry.
    func testChunkNgramsKeepEveryOccurrenceAndFindTheirSums() throws {
        let papers = Array(try realDumps().prefix(300))
        let o = TfidfOptions(ngramRange: 1...2, stopWords: .english, titleWeight: 3)
        let tokens = ChunkTokens(papers.indices, texts: { (papers[$0].title, papers[$0].abstract) }, tokenizer: o.tokenizer,
                                 titleWeight: o.titleWeight, stopWords: o.stopWords.words.sorted())
        let stopCount = o.stopWords.words.count
        let map = (0..<tokens.table.count).map { Int32($0 < stopCount ? -2 : $0) }
        let packer = try XCTUnwrap(NgramPacker(tokenCount: tokens.table.count, range: o.ngramRange))
        let chunk = ChunkNgrams(tokens, map: map, packer: packer)
        // Expected occurrences, document and total counts, by forming the n-grams of each segment again.
        var expected: [UInt64] = [], df: [UInt64: Int32] = [:], tf: [UInt64: Int64] = [:]
        var segment = 0, position = 0
        for docEnd in tokens.documentEnds {
            var seen = Set<UInt64>()
            while segment < docEnd {
                let ids = tokens.ids[position..<tokens.segmentEnds[segment]].filter { $0 >= stopCount }
                ids.withUnsafeBufferPointer { packer.forEachNgram($0) { key in
                    expected.append(key)
                    seen.insert(key)
                    tf[key, default: 0] += Int64(tokens.segmentWeights[segment])
                } }
                position = tokens.segmentEnds[segment]
                segment += 1
            }
            for key in seen { df[key, default: 0] += 1 }
        }
        XCTAssertEqual(chunk.occurrences.map { chunk.keys[Int($0)] }, expected)
        XCTAssertEqual(chunk.keys.count, df.count)
        XCTAssertEqual(chunk.keys.indices.filter { chunk.df[$0] != df[chunk.keys[$0]] || chunk.tf[$0] != tf[chunk.keys[$0]] }, [])
        XCTAssertGreaterThan(expected.count, 20_000)

        var counted = chunk
        counted.corpusIndices = CorpusIndices(count: chunk.keys.count)
        let (order, starts) = counted.partitionOrder(partitions: 4)
        var sums = (0..<4).map { _ in TermCountsAccumulator(capacity: 16) }
        order.withUnsafeBufferPointer { o in
            for p in 0..<4 {
                sums[p].add(counted, order: UnsafeBufferPointer(rebasing: o[starts[p]..<starts[p + 1]]), partition: p)
            }
        }
        let entries = sums.map { $0.kept(minDocs: 0, maxDocs: .infinity) }
        let positions = entries.map { e in Dictionary(uniqueKeysWithValues: e.indices.enumerated().map { ($1, $0) }) }
        var wrong = 0
        for k in chunk.keys.indices {
            let packed = counted.corpusIndices!.values[k]
            let p = Int(packed >> UInt32(CorpusIndices.indexBits)), i = Int(packed) & CorpusIndices.maximumIndex
            XCTAssertEqual(TermCounts.partition(chunk.keys[k], 4), p)
            let e = entries[p]
            guard let j = positions[p][Int32(i)] else { wrong += 1; continue }
            if e.counts.keys[j] != chunk.keys[k] || e.counts.df[j] != chunk.df[k] || e.counts.tf[j] != chunk.tf[k] { wrong += 1 }
        }
        XCTAssertEqual(wrong, 0)
        // Settled, every occurrence is its n-gram's place in the sums.
        counted.settle()
        let keyAt = { (place: Int32) -> UInt64? in
            let packed = UInt32(bitPattern: place)
            let p = Int(packed >> UInt32(CorpusIndices.indexBits)), i = Int(packed) & CorpusIndices.maximumIndex
            return positions[p][Int32(i)].map { entries[p].counts.keys[$0] }
        }
        XCTAssertEqual(counted.occurrences.map { keyAt($0) ?? 0 }, expected)
        XCTAssertNil(counted.corpusIndices)
    }
}
