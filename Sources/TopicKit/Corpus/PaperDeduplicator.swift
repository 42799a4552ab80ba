/// Drops repeated papers from a stream, remembering only their keys (never the papers), so a stream of
/// any length is de-duplicated exactly as `PaperReader.read` de-duplicates a whole corpus.
struct PaperDeduplicator {
    private var seenIds = Set<String>()
    private var seenTitles = Set<String>()
    /// Papers refused so far.
    private(set) var dropped = 0

    /// Gives `paper` its id (arXiv id, else the title hash) and says whether it is the first with its key.
    mutating func admit(_ paper: inout Paper) -> Bool {
        let inserted: Bool
        if paper.id.isEmpty {
            inserted = seenTitles.insert(TitleKey.normalize(paper.title)).inserted
            paper.id = PaperID.forTitle(paper.title)
        } else {
            inserted = seenIds.insert(paper.id).inserted
        }
        if !inserted { dropped += 1 }
        return inserted
    }
}
