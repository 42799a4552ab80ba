/// Papers paired with their labels, ready for training or evaluation, plus what did not pair up.
///
/// Labels come from a label table joined by normalised title, or from a field of the papers
/// (`tags`, `categories`, or any passed-through JSON field).
public struct LabeledCorpus: Sendable {
    /// Papers that have a label entry (possibly with no tags), in input order.
    public var papers: [Paper]
    /// Tags per paper in `papers`, restricted to the kept tags.
    public var labels: [[String]]
    /// Papers of the input without any label entry (left out of `papers`).
    public var unlabeledPapers: [Paper]
    /// Titles of the label table that match no input paper.
    public var unmatchedTitles: [String]
    /// Tags dropped because fewer than `minLabelCount` papers carry them, with their counts.
    public var droppedTags: [(tag: String, count: Int)]

    /// The kept tags, sorted.
    public var tags: [String] { Array(Set(labels.joined())).sorted() }

    /// Pairs papers with labels from `table` (by normalised title) or, when `table` is nil, from
    /// `field` of each paper. Tags carried by fewer than `minLabelCount` papers are dropped.
    public init(papers input: [Paper], table: LabelTable?, field: String = "tags", minLabelCount: Int = 1) {
        var kept: [Paper] = [], raw: [[String]] = [], unlabeled: [Paper] = []
        if let table {
            let join = table.join(input)
            for (paper, tags) in zip(input, join.labels) {
                if let tags { kept.append(paper); raw.append(tags) } else { unlabeled.append(paper) }
            }
            unmatchedTitles = join.unmatchedTitles
        } else {
            for paper in input {
                if let tags = paper.labels(field: field) { kept.append(paper); raw.append(tags) } else { unlabeled.append(paper) }
            }
            unmatchedTitles = []
        }
        var counts: [String: Int] = [:]
        for row in raw { for tag in Set(row) { counts[tag, default: 0] += 1 } }
        let dropped = counts.filter { $0.value < minLabelCount }
        droppedTags = dropped.map { (tag: $0.key, count: $0.value) }.sorted { $0.tag < $1.tag }
        papers = kept
        labels = raw.map { row in
            var seen = Set<String>()
            return row.filter { dropped[$0] == nil && seen.insert($0).inserted }
        }
        unlabeledPapers = unlabeled
    }

    /// Number of papers carrying each kept tag.
    public var tagCounts: [String: Int] {
        var counts: [String: Int] = [:]
        for row in labels { for tag in row { counts[tag, default: 0] += 1 } }
        return counts
    }

    /// SHA-256 over every paper's id, title, abstract and tags, in order: identifies the training data.
    public var digest: String { LabeledCorpus.digest(papers: papers, labels: labels) }

    /// SHA-256 over every paper's id, title, abstract and (when given) tags, in order.
    public static func digest(papers: [Paper], labels: [[String]]?) -> String {
        var hash = SHA256()
        for (i, paper) in papers.enumerated() {
            hash.update(paper.id); hash.update([0x09])
            hash.update(paper.title); hash.update([0x09])
            hash.update(paper.abstract); hash.update([0x09])
            hash.update((labels?[i] ?? []).joined(separator: ",")); hash.update([0x0A])
        }
        return "sha256:" + hash.finalizeHex()
    }
}
