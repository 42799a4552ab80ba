/// A metric over cross-validation folds: its mean and population standard deviation (NumPy's `std`, ddof 0).
public struct MeanStd: Codable, Equatable, Sendable {
    public var mean: Double
    public var std: Double

    public init(_ values: [Double]) {
        let n = Double(max(values.count, 1))
        mean = values.reduce(0, +) / n
        let m = mean
        std = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / n).squareRoot()
    }
}

/// One tag's metrics over the folds.
public struct TagSpread: Codable, Equatable, Sendable {
    public var tag: String
    public var precision: MeanStd
    public var recall: MeanStd
    public var f1: MeanStd
    public var averagePrecision: MeanStd
}

/// Mean ± std over the folds of every metric, each fold evaluated on its own held-out papers.
public struct CrossValidationSummary: Codable, Equatable, Sendable {
    public var folds: Int
    public var seed: UInt64
    public var tags: [TagSpread]
    public var microF1: MeanStd
    public var macroF1: MeanStd
    public var samplesF1: MeanStd
    public var macroAveragePrecision: MeanStd
    public var subsetAccuracy: MeanStd
    public var hammingLoss: MeanStd

    /// Summarises per-fold evaluations (all over the same tags).
    public init(folds: [ClassificationEvaluation], seed: UInt64) {
        self.folds = folds.count
        self.seed = seed
        let tagNames = folds.first?.tags.map(\.tag) ?? []
        tags = tagNames.indices.map { t in
            TagSpread(tag: tagNames[t], precision: MeanStd(folds.map { $0.tags[t].precision }),
                      recall: MeanStd(folds.map { $0.tags[t].recall }), f1: MeanStd(folds.map { $0.tags[t].f1 }),
                      averagePrecision: MeanStd(folds.map { $0.tags[t].averagePrecision ?? 0 }))
        }
        microF1 = MeanStd(folds.map(\.micro.f1))
        macroF1 = MeanStd(folds.map(\.macro.f1))
        samplesF1 = MeanStd(folds.map(\.samples.f1))
        macroAveragePrecision = MeanStd(folds.map { $0.macroAveragePrecision ?? 0 })
        subsetAccuracy = MeanStd(folds.map(\.subsetAccuracy))
        hammingLoss = MeanStd(folds.map(\.hammingLoss))
    }
}

/// What a cross-validation found: the pooled out-of-fold scores and each fold's own evaluation.
public struct CrossValidationResult: Sendable {
    /// Every paper scored by the tagger trained without it.
    public let outOfFold: ScoredPapers
    /// Evaluation of each fold's held-out papers, fold order.
    public let foldEvaluations: [ClassificationEvaluation]
    public let summary: CrossValidationSummary
    /// Fold of each paper.
    public let foldOfPaper: [Int]
}

/// K-fold cross-validation of the whole training procedure: each fold trains a tagger with `Tagger.train` on the
/// other folds (TF-IDF refitted, thresholds chosen by the same inner cross-validation, same options) and scores
/// its held-out papers. Folds come from iterative stratification; the result depends only on inputs and seed.
public struct TaggerCrossValidation: Sendable {
    public var folds: Int
    public var seed: UInt64

    public init(folds: Int, seed: UInt64 = 0) throws {
        _ = try MultiLabelKFold(folds: folds, seed: seed)
        self.folds = folds
        self.seed = seed
    }

    /// Runs every fold on `papers` with `labels` (one tag list per paper) over `tags` (default: every tag used).
    public func run(papers: [Paper], labels: [[String]], tags: [String]? = nil,
                    vectorizerOptions: TfidfOptions = TfidfOptions(), options: TaggerOptions = TaggerOptions(),
                    progress: ((String, Double) -> Void)? = nil) throws -> CrossValidationResult {
        guard !papers.isEmpty else { throw EvaluationError.emptyEvaluationSet("no labeled paper to cross-validate") }
        guard papers.count == labels.count else {
            throw EvaluationError.countMismatch("\(papers.count) papers but \(labels.count) label lists")
        }
        let tagList = tags ?? Array(Set(labels.joined())).sorted()
        guard !tagList.isEmpty else { throw EvaluationError.emptyEvaluationSet("the labels name no tag") }
        let truth = labels.map { row in tagList.map { row.contains($0) } }
        for (t, tag) in tagList.enumerated() {
            let positives = truth.reduce(0) { $0 + ($1[t] ? 1 : 0) }
            if positives < 2 || positives > papers.count - 2 {
                throw EvaluationError.tagTooRare(tag: tag, papers: positives, total: papers.count)
            }
        }
        let splits = try MultiLabelKFold(folds: folds, seed: seed).splits(truth)
        let tagCount = tagList.count
        var scores = [[Float]](repeating: [Float](repeating: 0, count: tagCount), count: papers.count)
        var predicted = [[Bool]](repeating: [Bool](repeating: false, count: tagCount), count: papers.count)
        var scoredBy = [Int](repeating: 0, count: papers.count)
        var taggers: [Tagger] = []
        var evaluations: [ClassificationEvaluation] = []
        for (f, split) in splits.enumerated() {
            progress?("fold \(f + 1)/\(folds)", Double(f) / Double(folds))
            let tagger: Tagger
            do {
                (tagger, _) = try Tagger.train(papers: split.train.map { papers[$0] }, labels: split.train.map { labels[$0] },
                                               tags: tagList, vectorizerOptions: vectorizerOptions, options: options)
            } catch let error as ClassifyError {
                throw EvaluationError.foldFailed(fold: f, reason: error.description)
            }
            let held = split.test.map { papers[$0] }
            let alignment = TagAlignment(modelTags: tagger.tags, labelTags: tagList)
            let fold = try ScoredPapers(tagger: tagger, papers: held, labels: split.test.map { labels[$0] }, alignment: alignment)
            for (k, i) in split.test.enumerated() {
                scores[i] = fold.scores[k]
                predicted[i] = fold.predicted[k]
                scoredBy[i] = f
            }
            evaluations.append(try fold.evaluation())
            taggers.append(tagger)
        }
        progress?("done", 1)
        let thresholds = (0..<tagCount).map { t in taggers.reduce(Float(0)) { $0 + $1.thresholds[t] } / Float(taggers.count) }
        let outOfFold = try ScoredPapers(tags: tagList, papers: papers, truth: truth, scores: scores, predicted: predicted,
                                         thresholds: thresholds, taggers: taggers, scoredBy: scoredBy)
        var foldOfPaper = [Int](repeating: 0, count: papers.count)
        for (f, split) in splits.enumerated() { for i in split.test { foldOfPaper[i] = f } }
        return CrossValidationResult(outOfFold: outOfFold, foldEvaluations: evaluations,
                                     summary: CrossValidationSummary(folds: evaluations, seed: seed), foldOfPaper: foldOfPaper)
    }
}
