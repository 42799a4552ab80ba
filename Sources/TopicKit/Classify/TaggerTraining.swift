#if canImport(Glibc)
import Glibc
#endif

extension Tagger {
    /// Trains a tagger on labeled papers: fits TF-IDF, picks each tag's threshold by stratified k-fold
    /// cross-validation (maximum out-of-fold F1), then trains every tag on all papers. Tags train 8 at a time
    /// (one pass over the matrix serves all 8, on every core; a finished tag's lane takes the next one); the
    /// result depends only on the inputs and `options.seed`.
    ///
    /// `tags` defaults to every tag in `labels`, sorted. Tags in `labels` outside `tags` are ignored.
    /// With `refitVectorizerInFolds` each fold fits its own vocabulary and idf, so held-out papers look like
    /// truly new papers (their unseen terms drop out of the norm) and the thresholds are not biased low.
    public static func train(papers: [Paper], labels: [[String]], tags: [String]? = nil,
                             vectorizerOptions: TfidfOptions = TfidfOptions(), options: TaggerOptions = TaggerOptions(),
                             progress: ((String, Double) -> Void)? = nil) throws -> (Tagger, TrainingReport) {
        try options.validate()
        guard !papers.isEmpty else { throw ClassifyError.emptyTrainingSet }
        guard papers.count == labels.count else { throw ClassifyError.countMismatch(papers: papers.count, labels: labels.count) }
        let tagList = tags ?? Array(Set(labels.joined())).sorted()
        guard !tagList.isEmpty else { throw ClassifyError.noTags }
        guard Set(tagList).count == tagList.count else { throw ClassifyError.invalidOption("duplicate tags in \(tagList)") }
        let truth = labels.map { row in tagList.map { row.contains($0) } }
        for (t, name) in tagList.enumerated() {
            let positives = truth.reduce(0) { $0 + ($1[t] ? 1 : 0) }
            if positives == 0 { throw ClassifyError.noPositiveExample(tag: name) }
            if positives == truth.count { throw ClassifyError.noNegativeExample(tag: name) }
        }
        let folds = options.cvFolds >= 2 ? options.cvFolds : 0
        if folds > 0 && papers.count < folds { throw ClassifyError.tooFewPapersForFolds(papers: papers.count, folds: folds) }

        progress?("vectorizing", 0)
        let (vectorizer, x) = try TfidfVectorizer.fitTransform(papers, options: vectorizerOptions)
        let tagCount = tagList.count

        var thresholds = [Float](repeating: options.defaultThreshold, count: tagCount)
        var cvMetrics: MultiLabelMetrics?
        var cvPlain: MultiLabelMetrics?
        let learned = TagImplication.learn(tags: tagList, truth: truth, minimumSupport: options.minimumImplicationSupport)
        let ruleIndices = learned.map { (tagList.firstIndex(of: $0.premise)!, tagList.firstIndex(of: $0.conclusion)!) }
        var applyRules = options.implications == .on && !learned.isEmpty
        if folds > 0 {
            progress?("cross-validation", 0.1)
            let splits = try MultiLabelKFold(folds: folds, seed: options.seed).splits(truth)
            // One fold at a time (only its matrices in memory); the fold's tags train in parallel.
            var oof = [[Float]](repeating: [Float](repeating: 0, count: tagCount), count: papers.count)
            for (f, split) in splits.enumerated() {
                let xTrain: SparseMatrix, xTest: SparseMatrix
                if options.refitVectorizerInFolds {
                    let (v, fitted) = try TfidfVectorizer.fitTransform(split.train.map { papers[$0] }, options: vectorizerOptions)
                    xTrain = fitted
                    xTest = v.transform(split.test.map { papers[$0] })
                } else {
                    xTrain = x.selectingRows(split.train)
                    xTest = x.selectingRows(split.test)
                }
                let tasks = (0..<tagCount).map { t in
                    task(positive: split.train.map { truth[$0][t] }, options: options, tolerance: options.cvTolerance)
                }
                let fits = LogisticRegression.solve(consume xTrain, tasks: tasks, maxIterations: options.maxIterations)
                let scores = Parallel.mapChunks((0..<tagCount).map { $0..<($0 + 1) }) { r -> [Float] in
                    let fit = fits[r.lowerBound]
                    return probabilities(xTest, weights: fit.weights, bias: fit.bias)
                }
                for t in 0..<tagCount {
                    for (k, i) in split.test.enumerated() { oof[i][t] = scores[t][k] }
                }
                progress?("cross-validation", 0.1 + 0.5 * Double(f + 1) / Double(folds))
            }
            for t in 0..<tagCount {
                thresholds[t] = Thresholds.bestF1(scores: oof.map { $0[t] }, truth: truth.map { $0[t] },
                                                  fallback: options.defaultThreshold).threshold
            }
            let plainFlags = oof.map { s in tagList.indices.map { s[$0] >= thresholds[$0] } }
            let ruledFlags = plainFlags.map { row -> [Bool] in var r = row; TagImplication.apply(ruleIndices, to: &r); return r }
            let plain = try MultiLabelMetrics(tags: tagList, truth: truth, predicted: plainFlags)
            let ruled = try MultiLabelMetrics(tags: tagList, truth: truth, predicted: ruledFlags)
            if options.implications == .auto {
                applyRules = !learned.isEmpty && ruled.microF1 + ruled.macroF1 > plain.microF1 + plain.macroF1
            }
            cvPlain = plain
            cvMetrics = applyRules ? ruled : plain
        }

        progress?("training", 0.6)
        let tasks = (0..<tagCount).map { t in task(positive: truth.map { $0[t] }, options: options, tolerance: options.tolerance) }
        let finals = LogisticRegression.solve(consume x, tasks: tasks, maxIterations: options.maxIterations)
        var weights = [Float](repeating: 0, count: vectorizer.featureCount * tagCount)
        for (t, fit) in finals.enumerated() {
            for j in 0..<vectorizer.featureCount { weights[j * tagCount + t] = fit.weights[j] }
        }
        let rules = applyRules ? learned : []
        let tagger = try Tagger(tags: tagList, vectorizer: vectorizer, weights: weights, biases: finals.map(\.bias),
                                thresholds: thresholds, implications: rules, options: options)
        progress?("done", 1)
        let report = TrainingReport(papers: papers.count, features: vectorizer.featureCount, tags: tagList, folds: folds,
                                    crossValidation: cvMetrics, crossValidationWithoutImplications: cvPlain,
                                    thresholds: thresholds, learnedImplications: learned, implicationsApplied: applyRules,
                                    iterations: finals.map(\.iterations), converged: finals.map(\.converged))
        return (tagger, report)
    }

    /// One tag's logistic regression on `x` with the options' C and class weights.
    static func solve(_ x: SparseMatrix, positive: [Bool], options: TaggerOptions, tolerance: Double) -> LogisticRegression.Fit {
        LogisticRegression.solve(x, tasks: [task(positive: positive, options: options, tolerance: tolerance)],
                                 maxIterations: options.maxIterations)[0]
    }

    /// One tag's problem: the options' C times the class weights per row, and LIBLINEAR's scaled tolerance.
    static func task(positive: [Bool], options: TaggerOptions, tolerance: Double) -> LogisticRegression.Task {
        let n = Double(positive.count)
        let pos = Double(positive.reduce(0) { $0 + ($1 ? 1 : 0) })
        var wPos = 1.0, wNeg = 1.0
        if options.classWeight == .balanced && pos > 0 && pos < n {
            wPos = n / (2 * pos)
            wNeg = n / (2 * (n - pos))
        }
        // LIBLINEAR scales the tolerance by the minority share: with rare positives ‖∇f(0)‖ is dominated by the
        // bias direction and an unscaled relative tolerance stops long before w is fitted.
        let scaled = tolerance * max(min(pos, n - pos), 1) / max(n, 1)
        let c = Double(options.c)
        return LogisticRegression.Task(positive: positive, positiveCost: c * wPos, negativeCost: c * wNeg, tolerance: scaled)
    }

    /// σ(x·w + b) per row.
    static func probabilities(_ x: SparseMatrix, weights: [Float], bias: Float) -> [Float] {
        (0..<x.rows).map { i in
            var s = bias
            for k in x.rowPointers[i]..<x.rowPointers[i + 1] { s += x.values[k] * weights[Int(x.columnIndices[k])] }
            return 1 / (1 + expf(-s))
        }
    }
}
