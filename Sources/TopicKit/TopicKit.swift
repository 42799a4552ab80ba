/// TopicKit turns dumps of research-paper listings into topics: readers, TF-IDF, k-means,
/// a multi-label linear tagger, model bundles and evaluation reports.
public enum TopicKit {
    /// The library version, written into every model bundle.
    public static let version = "0.1.0"
}
