/// How a model's tags line up with the tags of the labels: the shared tags are evaluated, the others are
/// reported rather than silently dropped.
public struct TagAlignment: Codable, Equatable, Sendable {
    /// Tags both sides know, in the model's order.
    public var shared: [String]
    /// Tags of the labels the model cannot predict.
    public var missingInModel: [String]
    /// Tags of the model the labels never use.
    public var missingInLabels: [String]

    public init(modelTags: [String], labelTags: [String]) {
        let labelSet = Set(labelTags), modelSet = Set(modelTags)
        shared = modelTags.filter { labelSet.contains($0) }
        missingInModel = labelTags.filter { !modelSet.contains($0) }.sorted()
        missingInLabels = modelTags.filter { !labelSet.contains($0) }
    }

    /// True when both sides have exactly the same tags.
    public var isExact: Bool { missingInModel.isEmpty && missingInLabels.isEmpty }

    /// A one-line account of the mismatch (empty when exact).
    public var note: String {
        var parts: [String] = []
        if !missingInModel.isEmpty { parts.append("labels use tags the model does not have: " + missingInModel.joined(separator: ", ")) }
        if !missingInLabels.isEmpty { parts.append("the model has tags the labels never use: " + missingInLabels.joined(separator: ", ")) }
        if !parts.isEmpty { parts.append("evaluating the \(shared.count) shared tags" + (shared.isEmpty ? "" : ": " + shared.joined(separator: ", "))) }
        return parts.joined(separator: "; ")
    }
}
