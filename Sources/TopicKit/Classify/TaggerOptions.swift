/// How examples of the two classes of a tag are weighted in its logistic loss.
public enum ClassWeight: String, Codable, Equatable, Sendable {
    /// Every example weighs 1.
    case none
    /// scikit-learn's "balanced": n / (2 · n_pos) for positives, n / (2 · n_neg) for negatives.
    case balanced
}

/// Whether to apply learned tag implications ("every kv-cache paper is also a transformers paper").
public enum ImplicationMode: String, Codable, Equatable, Sendable {
    case off, on
    /// Apply them only when they raise the cross-validated micro + macro F1.
    case auto
}

/// Settings of `Tagger.train`. Defaults are the ones chosen by nested cross-validation on Data/.
public struct TaggerOptions: Codable, Equatable, Sendable {
    /// Inverse regularisation strength (LIBLINEAR/scikit-learn `C`).
    public var c: Float
    public var classWeight: ClassWeight
    /// Folds of the cross-validation that picks the decision thresholds; below 2 keeps `defaultThreshold`.
    public var cvFolds: Int
    /// Stop when ‖∇f‖ ≤ tolerance · min(n₊, n₋)/n · ‖∇f(0)‖, LIBLINEAR's rule (its default tolerance is 0.01).
    public var tolerance: Double
    /// Tolerance of the models trained inside the threshold cross-validation (looser is faster; on Data/ 0.1
    /// picked thresholds as good as 0.01: nested-CV micro/macro F1 0.854/0.870 against 0.853/0.868).
    public var cvTolerance: Double
    /// Newton iterations per tag.
    public var maxIterations: Int
    /// Seeds the fold assignment.
    public var seed: UInt64
    /// Probability threshold when no cross-validation runs.
    public var defaultThreshold: Float
    public var implications: ImplicationMode
    /// An implication A ⇒ B is learned only when A has at least this many training papers, all also B.
    public var minimumImplicationSupport: Int
    /// Fit TF-IDF anew inside every cross-validation fold (honest out-of-fold scores); false reuses the
    /// vectorizer fitted on all papers (faster, but its held-out scores run low and so do the thresholds).
    public var refitVectorizerInFolds: Bool

    public init(c: Float = 100, classWeight: ClassWeight = .balanced, cvFolds: Int = 5, tolerance: Double = 1e-2,
                cvTolerance: Double = 1e-1, maxIterations: Int = 100, seed: UInt64 = 42,
                defaultThreshold: Float = 0.5, implications: ImplicationMode = .auto,
                minimumImplicationSupport: Int = 5, refitVectorizerInFolds: Bool = true) {
        self.c = c
        self.classWeight = classWeight
        self.cvFolds = cvFolds
        self.tolerance = tolerance
        self.cvTolerance = cvTolerance
        self.maxIterations = maxIterations
        self.seed = seed
        self.defaultThreshold = defaultThreshold
        self.implications = implications
        self.minimumImplicationSupport = minimumImplicationSupport
        self.refitVectorizerInFolds = refitVectorizerInFolds
    }

    /// Checks every setting; throws `ClassifyError.invalidOption` naming the bad one.
    public func validate() throws {
        guard c > 0, c.isFinite else { throw ClassifyError.invalidOption("c must be a positive number, got \(c)") }
        guard tolerance > 0, cvTolerance > 0 else { throw ClassifyError.invalidOption("tolerances must be positive") }
        guard maxIterations >= 1 else { throw ClassifyError.invalidOption("maxIterations must be ≥ 1, got \(maxIterations)") }
        guard cvFolds >= 0 else { throw ClassifyError.invalidOption("cvFolds must be ≥ 0, got \(cvFolds)") }
        guard defaultThreshold > 0, defaultThreshold < 1 else {
            throw ClassifyError.invalidOption("defaultThreshold must be in (0, 1), got \(defaultThreshold)")
        }
    }
}

/// Errors of training and loading a tagger.
public enum ClassifyError: Error, CustomStringConvertible, Equatable {
    case emptyTrainingSet
    case countMismatch(papers: Int, labels: Int)
    case noPositiveExample(tag: String)
    case noNegativeExample(tag: String)
    case noTags
    case tooFewPapersForFolds(papers: Int, folds: Int)
    case invalidOption(String)
    case invalidModel(String)
    case unknownTag(String)

    public var description: String {
        switch self {
        case .emptyTrainingSet: return "the training set is empty: give at least one labeled paper"
        case .countMismatch(let p, let l): return "\(p) papers but \(l) label lists: give one label list per paper"
        case .noPositiveExample(let t): return "tag \"\(t)\" has no positive example in the training labels: label some papers with it or drop the tag"
        case .noNegativeExample(let t): return "every training paper has tag \"\(t)\": a classifier needs papers without it too"
        case .noTags: return "no tags to learn: the labels name none"
        case .tooFewPapersForFolds(let p, let f): return "\(p) papers are too few for \(f)-fold cross-validation: lower cvFolds"
        case .invalidOption(let m): return "invalid tagger option: \(m)"
        case .invalidModel(let m): return "invalid tagger model: \(m)"
        case .unknownTag(let t): return "unknown tag \"\(t)\""
        }
    }
}
