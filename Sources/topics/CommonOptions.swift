import ArgumentParser
import TopicKit

extension ResultFormat: ExpressibleByArgument {}
extension ClassWeight: ExpressibleByArgument {}

extension DocumentFrequency: ExpressibleByArgument {
    /// scikit-learn's convention: a whole number is a document count, a number with a point a proportion.
    public init?(argument: String) {
        if argument.contains(".") || argument.contains("e") {
            guard let p = Double(argument), p >= 0, p <= 1 else { return nil }
            self = .proportion(p)
        } else {
            guard let n = Int(argument), n >= 0 else { return nil }
            self = .count(n)
        }
    }
}

/// Where papers come from: the inputs and how to read them (shared by every command that reads papers).
struct InputOptions: ParsableArguments {
    @Argument(help: "Input files: listing dumps, JSON Lines, CSV or TSV ('-' for standard input).")
    var inputs: [String]

    @Option(name: .customLong("input-format"), help: "Force the input format: dump, jsonl, csv or tsv.")
    var inputFormat: InputFormat?

    @Flag(name: .customLong("skip-bad"), help: "Skip bad records (and count them) instead of stopping at the first.")
    var skipBad = false

    /// Reads and de-duplicates the papers, and says on stderr what was read.
    func read() throws -> [Paper] {
        let result = try PaperReader.read(inputs, options: ReadOptions(format: inputFormat, skipBad: skipBad))
        note("read \(result.papers.count) papers (\(result.duplicatesDropped) duplicates dropped, "
             + "\(result.recordsSkipped) records skipped)")
        return result.papers
    }
}

/// TF-IDF settings (scikit-learn names); unset options keep the library's cross-validated defaults.
struct VectorizerOptions: ParsableArguments {
    @Option(name: .customLong("ngram-max"), help: "Longest word n-gram (1–3).")
    var ngramMax: Int?

    @Option(name: .customLong("min-df"), help: "Drop terms in fewer documents: a count (5) or a proportion (0.01).")
    var minDF: DocumentFrequency?

    @Option(name: .customLong("max-df"), help: "Drop terms in more documents: a count or a proportion (0.5).")
    var maxDF: DocumentFrequency?

    @Option(name: .customLong("max-features"), help: "Keep only the most frequent terms.")
    var maxFeatures: Int?

    @Option(name: .customLong("title-weight"), help: "How many times each title word counts (abstract words count once).")
    var titleWeight: Int?

    @Flag(inversion: .prefixedNo, help: "Use 1 + ln(tf) instead of raw term counts (sublinear_tf).")
    var sublinearTf: Bool?

    @Option(name: .customLong("stop-words"), help: "Stop-word list: english (scikit-learn's) or none.")
    var stopWords: String?

    /// `base` with every option the user gave applied.
    func apply(to base: TfidfOptions) throws -> TfidfOptions {
        var o = base
        if let n = ngramMax {
            guard (1...3).contains(n) else { throw ValidationError("--ngram-max must be 1, 2 or 3") }
            o.ngramRange = min(o.ngramRange.lowerBound, n)...n
        }
        if let v = minDF { o.minDF = v }
        if let v = maxDF { o.maxDF = v }
        if let v = maxFeatures {
            guard v >= 1 else { throw ValidationError("--max-features must be at least 1") }
            o.maxFeatures = v
        }
        if let v = titleWeight {
            guard v >= 0 else { throw ValidationError("--title-weight must be 0 or more") }
            o.titleWeight = v
        }
        if let v = sublinearTf { o.sublinearTF = v }
        switch stopWords {
        case nil: break
        case "english": o.stopWords = .english
        case "none": o.stopWords = StopWordList.none
        case let other?: throw ValidationError("--stop-words must be english or none, got \(other)")
        }
        return o
    }
}

/// The logistic regression's settings (scikit-learn names), shared by `topics train` and `topics eval --cv`;
/// unset options keep `TaggerOptions`' cross-validated defaults.
struct SolverOptions: ParsableArguments {
    @Option(name: .customLong("c"), help: "Inverse regularisation strength of the logistic regression (C).")
    var c: Float?

    @Option(name: .customLong("class-weight"), help: "balanced or none.")
    var classWeight: ClassWeight?

    @Option(name: .customLong("cv-folds"), help: "Cross-validation folds choosing each tag's threshold (0: fixed 0.5).")
    var cvFolds: Int?

    @Option(name: .customLong("tol"),
            help: "Stop a tag's Newton solver when ‖∇f‖ ≤ tol · min(n₊, n₋)/n · ‖∇f(0)‖ (LIBLINEAR's rule; default 0.01).")
    var tol: Double?

    @Option(name: .customLong("max-iter"), help: "Newton iterations per tag at most (default 100).")
    var maxIter: Int?

    /// Whether the user gave any of these options.
    var isSet: Bool { c != nil || classWeight != nil || cvFolds != nil || tol != nil || maxIter != nil }

    func validate() throws {
        if let c, !(c > 0 && c.isFinite) { throw ValidationError("--c must be a positive number, got \(c)") }
        if let cvFolds, cvFolds < 0 { throw ValidationError("--cv-folds must be 0 or more, got \(cvFolds)") }
        if let tol, !(tol > 0 && tol < 1) { throw ValidationError("--tol must be between 0 and 1 (exclusive), got \(tol)") }
        if let maxIter, maxIter < 1 { throw ValidationError("--max-iter must be at least 1, got \(maxIter)") }
    }

    /// `base` with every option the user gave applied.
    func apply(to base: TaggerOptions) -> TaggerOptions {
        var o = base
        if let c { o.c = c }
        if let classWeight { o.classWeight = classWeight }
        if let cvFolds { o.cvFolds = cvFolds }
        if let tol { o.tolerance = tol }
        if let maxIter { o.maxIterations = maxIter }
        return o
    }
}
