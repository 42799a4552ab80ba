/// One research paper as TopicKit sees it: what every reader produces and every later stage consumes.
public struct Paper: Sendable, Equatable {
    /// Stable identifier: the arXiv id when known, else a short hash of the normalised title.
    public var id: String
    public var title: String
    public var abstract: String
    /// Number of authors, when the listing shows it.
    public var authorCount: Int?
    /// Publication date as the listing shows it (e.g. "Mar 12, 2021" or "Jul 25").
    public var date: String?
    /// Upvotes, when the listing shows them.
    public var upvotes: Int?
    /// Tags given with the input (JSON Lines `tags`, CSV `tags` column), if any.
    public var tags: [String]?
    /// arXiv categories, if any (primary category first).
    public var categories: [String]?
    /// Other fields of the input record, passed through unchanged (JSON text per field name).
    public var extra: [String: String]

    public init(id: String, title: String, abstract: String, authorCount: Int? = nil,
                date: String? = nil, upvotes: Int? = nil, tags: [String]? = nil,
                categories: [String]? = nil, extra: [String: String] = [:]) {
        self.id = id
        self.title = title
        self.abstract = abstract
        self.authorCount = authorCount
        self.date = date
        self.upvotes = upvotes
        self.tags = tags
        self.categories = categories
        self.extra = extra
    }
}
