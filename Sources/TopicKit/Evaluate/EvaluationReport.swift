/// One evaluated tagger: a saved model on the labeled papers, or the cross-validation of a training setup.
public struct ModelEvaluation: Encodable, Sendable {
    /// The model directory, or "cross-validation (K folds)".
    public var name: String
    public var alignment: TagAlignment
    public var metrics: ClassificationEvaluation
    /// Mean ± std over folds (cross-validation only).
    public var crossValidation: CrossValidationSummary?
    public var mistakes: [TagMistakes]
    /// The scores behind the metrics (for the charts; not in metrics.json).
    public var scored: ScoredPapers

    enum CodingKeys: String, CodingKey { case name, alignment, metrics, crossValidation, mistakes }

    /// Evaluates `scored`, keeping the `errorCount` worst mistakes per tag with `terms` terms each.
    public init(name: String, alignment: TagAlignment, scored: ScoredPapers, crossValidation: CrossValidationSummary? = nil,
                errorCount: Int = 3, terms: Int = 5) throws {
        self.name = name
        self.alignment = alignment
        self.metrics = try scored.evaluation()
        self.crossValidation = crossValidation
        self.mistakes = try scored.worstMistakes(count: errorCount, terms: terms)
        self.scored = scored
    }
}

/// F1 of one tag under every compared model and its difference from the first model.
public struct TagComparison: Codable, Equatable, Sendable {
    public var tag: String
    /// F1 per model (nil when the model lacks the tag), in model order.
    public var f1: [Double?]
    /// F1 minus the first model's F1 (nil when either lacks the tag).
    public var delta: [Double?]
}

/// Everything `topics eval` found: what was evaluated, each model's metrics and worst errors, the model
/// comparison, the clustering agreement. Encodes to metrics.json; renders as text, Markdown and HTML.
public struct EvaluationReport: Encodable, Sendable {
    public var inputs: [String]
    public var labelsPath: String
    /// Labeled papers evaluated.
    public var papers: Int
    /// Input papers without a label entry (left out).
    public var unlabeledPapers: Int
    /// Labeled titles that match no input paper.
    public var unmatchedLabels: Int
    /// Tags used by the labels of the evaluated papers, sorted.
    public var tags: [String]
    /// Papers per tag pair (diagonal: papers per tag), in `tags` order.
    public var cooccurrence: [[Int]]
    public var models: [ModelEvaluation] = []
    public var clusters: ClusterEvaluation?
    /// Things the reader should know (mismatched tags, unmatched labels), in the order found.
    public var warnings: [String] = []

    /// Starts a report on the labeled papers of `corpus`; `labelTags` are all tags the labels use.
    public init(corpus: LabeledCorpus, labelTags: [String], inputs: [String], labelsPath: String) throws {
        guard !corpus.papers.isEmpty else {
            throw EvaluationError.emptyEvaluationSet(
                "none of the \(corpus.unlabeledPapers.count) input papers has an entry in \(labelsPath) (titles are matched after normalisation)")
        }
        self.inputs = inputs
        self.labelsPath = labelsPath
        self.papers = corpus.papers.count
        self.unlabeledPapers = corpus.unlabeledPapers.count
        self.unmatchedLabels = corpus.unmatchedTitles.count
        self.tags = labelTags
        self.cooccurrence = labelTags.map { a in
            labelTags.map { b in corpus.labels.reduce(0) { $0 + ($1.contains(a) && $1.contains(b) ? 1 : 0) } }
        }
        if !corpus.unmatchedTitles.isEmpty {
            let examples = corpus.unmatchedTitles.prefix(3).map { "\"\($0)\"" }.joined(separator: "; ")
            warnings.append("\(corpus.unmatchedTitles.count) labeled titles match no input paper (e.g. \(examples))")
        }
        if !corpus.unlabeledPapers.isEmpty {
            warnings.append("\(corpus.unlabeledPapers.count) input papers have no label entry and are not evaluated")
        }
    }

    /// Adds a model's evaluation, noting any tag mismatch.
    public mutating func add(_ model: ModelEvaluation) {
        if !model.alignment.isExact { warnings.append("\(model.name): " + model.alignment.note) }
        models.append(model)
    }

    /// Per tag of any model, F1 per model and the difference from the first model (empty for a single model).
    public var comparison: [TagComparison] {
        guard models.count >= 2 else { return [] }
        var names: [String] = []
        for m in models { for t in m.metrics.tags.map(\.tag) where !names.contains(t) { names.append(t) } }
        return names.map { tag in
            let f1 = models.map { m in m.metrics.tags.first { $0.tag == tag }?.f1 }
            return TagComparison(tag: tag, f1: f1, delta: f1.map { x in x.flatMap { a in f1[0].map { a - $0 } } })
        }
    }

    enum CodingKeys: String, CodingKey {
        case topickitVersion = "topickit_version", inputs, labelsPath = "labels", papers, unlabeledPapers, unmatchedLabels,
             tags, cooccurrence, models, comparison, clusters, warnings
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(TopicKit.version, forKey: .topickitVersion)
        try c.encode(inputs, forKey: .inputs)
        try c.encode(labelsPath, forKey: .labelsPath)
        try c.encode(papers, forKey: .papers)
        try c.encode(unlabeledPapers, forKey: .unlabeledPapers)
        try c.encode(unmatchedLabels, forKey: .unmatchedLabels)
        try c.encode(tags, forKey: .tags)
        try c.encode(cooccurrence, forKey: .cooccurrence)
        try c.encode(models, forKey: .models)
        if models.count >= 2 { try c.encode(comparison, forKey: .comparison) }
        try c.encodeIfPresent(clusters, forKey: .clusters)
        try c.encode(warnings, forKey: .warnings)
    }

    /// metrics.json: the canonical JSON of the report (sorted keys, 2-space indent).
    public func json() throws -> String {
        try JSONValue(encoding: self).serializedString(pretty: true)
    }
}
