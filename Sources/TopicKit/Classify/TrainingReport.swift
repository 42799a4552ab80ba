/// What `Tagger.train` measured: cross-validated quality at the chosen thresholds and how the solver did.
public struct TrainingReport: Codable, Equatable, Sendable {
    public var papers: Int
    public var features: Int
    public var tags: [String]
    /// Cross-validation folds used for the thresholds (0 when none ran).
    public var folds: Int
    /// Out-of-fold metrics at the chosen thresholds, with implications when `implicationsApplied`; nil without CV.
    public var crossValidation: MultiLabelMetrics?
    /// Out-of-fold metrics at the chosen thresholds without implications; nil without CV.
    public var crossValidationWithoutImplications: MultiLabelMetrics?
    public var thresholds: [Float]
    /// Implications found in the training labels, and whether the tagger applies them.
    public var learnedImplications: [TagImplication]
    public var implicationsApplied: Bool
    /// Newton iterations of each tag's final model, and whether it reached the tolerance.
    public var iterations: [Int]
    public var converged: [Bool]
}
