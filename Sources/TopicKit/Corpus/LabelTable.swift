/// One labeled title.
public struct LabelEntry: Sendable, Equatable {
    public var title: String
    /// Tags in file order; empty for `-` (labeled, no tag applies).
    public var tags: [String]
    /// 1-based line in the labels file.
    public var line: Int

    public init(title: String, tags: [String], line: Int = 0) {
        self.title = title
        self.tags = tags
        self.line = line
    }
}

/// Hand-made labels: a TSV of `title<TAB>tags`, joined to papers by `TitleKey`.
public struct LabelTable: Sendable {
    /// Entries in file order, one per distinct title key.
    public var entries: [LabelEntry]

    public init(entries: [LabelEntry]) { self.entries = entries }

    /// Reads a TSV `title<TAB>tags` (header line `title\ttags` optional; tags comma-separated; `-` = none).
    /// A line without a tab, with an empty title, or repeating a title with other tags is a `CorpusError`
    /// naming file:line. Blank lines are ignored; an identical repeated line is kept once.
    public static func read(path: String) throws -> LabelTable {
        let source = try CorpusInput(path: path)
        var reader = LineBlockReader(source: source)
        var entries: [LabelEntry] = []
        var byKey: [String: Int] = [:]
        var number = 0
        while let block = try reader.next() {
            if LineBlockReader.containsNUL(block.bytes) { throw CorpusError.binaryInput(path: source.name) }
            var lines = block.bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
            if block.bytes.last == 0x0A { lines.removeLast() }
            for raw in lines {
                number += 1
                guard var text = String(validating: raw, as: UTF8.self) else {
                    throw CorpusError.invalidUTF8(path: source.name, line: number)
                }
                if number == 1 && text.hasPrefix("\u{FEFF}") { text.removeFirst() }
                if text.hasSuffix("\r") { text.removeLast() }
                if text.allSatisfy({ $0.isWhitespace }) { continue }
                let columns = text.split(separator: "\t", omittingEmptySubsequences: false)
                guard columns.count == 2 else {
                    throw CorpusError.badLabel(path: source.name, line: number,
                                               reason: "expected 'title<TAB>tags' (2 columns), found \(columns.count)")
                }
                let title = CorpusText.clean(String(columns[0]))
                let tagText = CorpusText.clean(String(columns[1]))
                if number == 1 && title.lowercased() == "title" && tagText.lowercased() == "tags" { continue }
                let key = TitleKey.normalize(title)
                guard !key.isEmpty else { throw CorpusError.badLabel(path: source.name, line: number, reason: "empty title") }
                guard !tagText.isEmpty else {
                    throw CorpusError.badLabel(path: source.name, line: number, reason: "no tags (write '-' for none)")
                }
                let tags = tagText == "-" ? [] : JSONLineParser.split(tagText, separator: ",")
                if let earlier = byKey[key] {
                    guard Set(entries[earlier].tags) == Set(tags) else {
                        throw CorpusError.badLabel(path: source.name, line: number,
                                                   reason: "title repeats line \(entries[earlier].line) with different tags")
                    }
                    continue
                }
                byKey[key] = entries.count
                entries.append(LabelEntry(title: title, tags: tags, line: number))
            }
        }
        return LabelTable(entries: entries)
    }

    /// Every tag used, in first-use order.
    public var tagNames: [String] {
        var seen = Set<String>()
        return entries.flatMap(\.tags).filter { seen.insert($0).inserted }
    }

    /// Joins to papers by `TitleKey`: per paper its tags or nil when unlabeled, plus labeled titles
    /// that matched no paper (file order).
    public func join(_ papers: [Paper]) -> LabelJoin {
        var byKey: [String: Int] = [:]
        for (i, entry) in entries.enumerated() { byKey[TitleKey.normalize(entry.title)] = i }
        var used = [Bool](repeating: false, count: entries.count)
        let labels: [[String]?] = papers.map { paper in
            guard let i = byKey[TitleKey.normalize(paper.title)] else { return nil }
            used[i] = true
            return entries[i].tags
        }
        let unmatched = entries.indices.filter { !used[$0] }.map { entries[$0].title }
        return LabelJoin(labels: labels, unmatchedTitles: unmatched)
    }
}

/// Labels aligned to a list of papers.
public struct LabelJoin: Sendable {
    /// Per paper (same order): its tags, or nil when the labels do not mention it.
    public var labels: [[String]?]
    /// Labeled titles that matched no paper.
    public var unmatchedTitles: [String]

    public init(labels: [[String]?], unmatchedTitles: [String]) {
        self.labels = labels
        self.unmatchedTitles = unmatchedTitles
    }
}

extension Paper {
    /// Labels from a field: "tags" -> tags, "categories" -> categories, else a JSON list or
    /// comma/space-separated JSON string in `extra[field]`; nil when the paper has no such field.
    public func labels(field: String) -> [String]? {
        switch field {
        case "tags": return tags
        case "categories": return categories
        default:
            guard let raw = extra[field] else { return nil }
            var parser = JSONLineParser()
            guard let value = parser.stringList(raw) else { return nil }
            return value
        }
    }
}
