/// Why clustering could not run, in words a user can act on.
public enum ClusterError: Error, CustomStringConvertible, Equatable {
    /// No papers (rows) to cluster.
    case emptyCorpus
    /// The matrix has no columns: an empty vocabulary or zero LSA dimensions.
    case noFeatures
    /// Fewer clusters than the minimum (`minimum` is 2 for topic clustering, 1 for plain k-means).
    case tooFewClusters(k: Int, minimum: Int)
    /// More clusters asked for than there are papers.
    case moreClustersThanPapers(k: Int, papers: Int)
    /// A setting out of range (named in the message).
    case invalidParameter(String)
    /// Matrices or label lists whose sizes disagree.
    case sizeMismatch(String)
    /// The input holds NaN or infinity at `row`.
    case nonFiniteInput(row: Int)
    /// The underlying linear algebra failed.
    case linearAlgebra(LinearAlgebraError)

    public var description: String {
        switch self {
        case .emptyCorpus:
            return "cannot cluster an empty corpus: no papers were given"
        case .noFeatures:
            return "cannot cluster papers with no features: the vocabulary (or LSA dimension) is empty"
        case .tooFewClusters(let k, let minimum):
            return "k = \(k) clusters is too few: use k ≥ \(minimum)"
        case .moreClustersThanPapers(let k, let papers):
            return "k = \(k) clusters is more than the \(papers) paper\(papers == 1 ? "" : "s") in the corpus: use k ≤ \(papers)"
        case .invalidParameter(let message), .sizeMismatch(let message):
            return message
        case .nonFiniteInput(let row):
            return "row \(row) of the input holds a NaN or infinite value"
        case .linearAlgebra(let error):
            return error.description
        }
    }
}
