/// A document-frequency bound as scikit-learn takes it: an absolute document count or a proportion of documents.
public enum DocumentFrequency: Codable, Equatable, Sendable {
    /// At least / at most this many documents.
    case count(Int)
    /// This proportion of the documents, in [0, 1].
    case proportion(Double)

    /// The bound in documents for a corpus of `documents` documents.
    func documents(of documents: Int) -> Double {
        switch self {
        case .count(let c): return Double(c)
        case .proportion(let p): return p * Double(documents)
        }
    }
}

/// Which stop words to drop before n-grams are formed (as scikit-learn's `stop_words`).
public enum StopWordList: Codable, Equatable, Sendable {
    case none
    /// scikit-learn's English list (`StopWords.english`).
    case english
    case custom([String])

    public var words: Set<String> {
        switch self {
        case .none: return []
        case .english: return StopWords.english
        case .custom(let list): return Set(list.map { $0.lowercased() })
        }
    }
}

/// Row normalisation of the TF-IDF matrix.
public enum VectorNorm: String, Codable, Equatable, Sendable {
    case l2, l1, none
}

/// Settings of `TfidfVectorizer`, named as in scikit-learn's `TfidfVectorizer`.
///
/// The defaults are the ones nested cross-validation chose for the tagger on Data/: 1–2-grams, no stop-word
/// list (scikit-learn's default; removing English stop words cost about 0.02 F1), sublinear tf, smooth idf,
/// l2 norm, titles counted twice.
public struct TfidfOptions: Codable, Equatable, Sendable {
    /// Smallest and largest n-gram length in words (scikit-learn `ngram_range`), 1...3.
    public var ngramRange: ClosedRange<Int>
    public var stopWords: StopWordList
    /// Drop terms in fewer documents than this (`min_df`).
    public var minDF: DocumentFrequency
    /// Drop terms in more documents than this (`max_df`).
    public var maxDF: DocumentFrequency
    /// Keep only the this many terms with the highest corpus counts (`max_features`), after min/max_df.
    public var maxFeatures: Int?
    /// Replace a count tf by 1 + ln(tf) (`sublinear_tf`).
    public var sublinearTF: Bool
    /// Multiply by idf (`use_idf`).
    public var useIDF: Bool
    /// idf = ln((1 + n) / (1 + df)) + 1 when true, ln(n / df) + 1 when false (`smooth_idf`).
    public var smoothIDF: Bool
    public var norm: VectorNorm
    /// Each title occurrence counts this many times (0 ignores titles); abstracts count once.
    public var titleWeight: Int
    /// Minimum token length in characters (scikit-learn's pattern: 2).
    public var minimumTokenLength: Int
    /// Keep "kv-cache" as one token instead of "kv", "cache".
    public var joinHyphens: Bool

    public init(ngramRange: ClosedRange<Int> = 1...2, stopWords: StopWordList = .none,
                minDF: DocumentFrequency = .count(1), maxDF: DocumentFrequency = .proportion(1.0),
                maxFeatures: Int? = nil, sublinearTF: Bool = true, useIDF: Bool = true, smoothIDF: Bool = true,
                norm: VectorNorm = .l2, titleWeight: Int = 2, minimumTokenLength: Int = 2,
                joinHyphens: Bool = false) {
        self.ngramRange = ngramRange
        self.stopWords = stopWords
        self.minDF = minDF
        self.maxDF = maxDF
        self.maxFeatures = maxFeatures
        self.sublinearTF = sublinearTF
        self.useIDF = useIDF
        self.smoothIDF = smoothIDF
        self.norm = norm
        self.titleWeight = titleWeight
        self.minimumTokenLength = minimumTokenLength
        self.joinHyphens = joinHyphens
    }

    /// Checks every setting; throws `TextError.invalidOption` naming the bad one.
    public func validate() throws {
        guard ngramRange.lowerBound >= 1, ngramRange.upperBound <= 3 else {
            throw TextError.invalidOption("ngramRange must lie within 1...3, got \(ngramRange)")
        }
        for (name, bound) in [("minDF", minDF), ("maxDF", maxDF)] {
            switch bound {
            case .count(let c) where c < 0:
                throw TextError.invalidOption("\(name) count must be ≥ 0, got \(c)")
            case .proportion(let p) where !(p >= 0 && p <= 1):
                throw TextError.invalidOption("\(name) proportion must be in [0, 1], got \(p)")
            default: break
            }
        }
        if let m = maxFeatures, m < 1 { throw TextError.invalidOption("maxFeatures must be ≥ 1, got \(m)") }
        guard titleWeight >= 0 else { throw TextError.invalidOption("titleWeight must be ≥ 0, got \(titleWeight)") }
        guard minimumTokenLength >= 1 else {
            throw TextError.invalidOption("minimumTokenLength must be ≥ 1, got \(minimumTokenLength)")
        }
    }

    var tokenizer: Tokenizer { Tokenizer(minimumLength: minimumTokenLength, joinHyphens: joinHyphens) }
}

/// Errors of the text stage.
public enum TextError: Error, CustomStringConvertible, Equatable {
    case invalidOption(String)
    case emptyCorpus
    case noTermsRemain(String)
    case invalidVocabulary(String)

    public var description: String {
        switch self {
        case .invalidOption(let m): return "invalid TF-IDF option: \(m)"
        case .emptyCorpus: return "cannot fit TF-IDF on an empty corpus: give at least one paper"
        case .noTermsRemain(let m): return "no terms remain after pruning: \(m); lower minDF or raise maxDF"
        case .invalidVocabulary(let m): return "invalid stored vocabulary: \(m)"
        }
    }
}
