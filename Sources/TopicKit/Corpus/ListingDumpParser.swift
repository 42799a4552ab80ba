/// Parses a listing-page dump (the text of a "trending papers" page saved from a browser) into papers.
///
/// Both known layouts reduce to the same stream once blank lines are dropped: page chrome, then per
/// paper a title line, an abstract line and optional metadata lines (`• 8 authors`, a submitter name,
/// `·`, a date such as `Mar 12, 2021` or `Jul 25` optionally followed by upvotes, an upvote count).
/// Chrome and metadata are recognised by pattern, never by title, so new dumps of the same layouts parse.
struct ListingDumpParser {
    /// One paper and the line of its title.
    struct Entry {
        var paper: Paper
        var line: Int
    }

    enum Failure {
        case titleWithoutAbstract(line: Int, title: String)
        case textWithoutTitle(line: Int)
    }

    /// Longest text accepted as a title; longer text in title position is an abstract that lost its title.
    static let maximumTitleLength = 300

    private enum Kind {
        case chrome
        case authors(Int)
        case separator
        case date(String, upvotes: Int?)
        case upvotes(Int)
        case text(String)
    }

    /// Parses `lines` (1-based line number, text); returns the papers in order and what was wrong.
    static func parse(_ lines: [(number: Int, text: String)]) -> (entries: [Entry], failures: [Failure]) {
        var kinds: [(number: Int, kind: Kind)] = []
        kinds.reserveCapacity(lines.count)
        for (number, raw) in lines {
            let text = CorpusText.clean(raw)
            if text.isEmpty { continue }
            kinds.append((number, classify(text)))
        }

        var entries: [Entry] = []
        var failures: [Failure] = []
        var current: Entry?
        var hasAbstract = false
        var metadataSeen = false

        func finish() {
            guard let entry = current else { return }
            if hasAbstract {
                entries.append(entry)
            } else {
                failures.append(.titleWithoutAbstract(line: entry.line, title: entry.paper.title))
            }
            current = nil
        }

        var afterChrome = false
        for (k, (number, kind)) in kinds.enumerated() {
            defer {
                if case .chrome = kind { afterChrome = true } else { afterChrome = false }
            }
            switch kind {
            case .chrome, .separator:
                continue
            case let .authors(n):
                current?.paper.authorCount = n
                metadataSeen = true
            case let .date(date, upvotes):
                current?.paper.date = date
                if let upvotes { current?.paper.upvotes = upvotes }
                metadataSeen = true
            case let .upvotes(n):
                current?.paper.upvotes = n
                metadataSeen = true
            case let .text(text):
                if current != nil && !hasAbstract && !metadataSeen && looksLikeAbstract(text) {
                    current?.paper.abstract = text
                    hasAbstract = true
                    continue
                }
                // A short line right above a lone "·" is the submitter's name, not a title.
                if k + 1 < kinds.count, case .separator = kinds[k + 1].kind, text.count <= 100 {
                    metadataSeen = true
                    continue
                }
                finish()
                if text.count > maximumTitleLength {
                    failures.append(.textWithoutTitle(line: number))
                    continue
                }
                let atTop = afterChrome
                current = Entry(paper: Paper(id: "", title: stripGluedChrome(text, atTop: atTop), abstract: ""), line: number)
                hasAbstract = false
                metadataSeen = false
            }
        }
        finish()
        return (entries, failures)
    }

    /// Abstracts are prose: long, or at least a sentence. A short line without a full stop after a
    /// title is the next title, which means the first one lost its abstract.
    static func looksLikeAbstract(_ text: String) -> Bool {
        text.utf8.count >= 100 || text.hasSuffix(".") || text.contains(". ")
    }

    private static let chromeLines: Set<String> = [
        "new", "subscribe", "daily papers", "trending papers", "submit paper", "see all", "load more",
    ]

    private static let gluedPrefixes = [
        "Get trending papers in your email inbox once a day!",
        "Get trending papers in your email inbox!",
        "Subscribe",
    ]

    private static func isChrome(_ text: String) -> Bool {
        let lower = text.lowercased()
        if chromeLines.contains(lower) { return true }
        if lower.hasPrefix("get trending papers in your email inbox") { return true }
        if lower.hasPrefix("by") && lower.hasSuffix("and the research community") { return true }
        return false
    }

    /// "SubscribeDenseNets Reloaded" -> "DenseNets Reloaded": chrome glued to the first title. At the
    /// top of the page (or right after chrome) any title may follow ("SubscribevLLM: ..."); elsewhere
    /// only a capital, a digit or a space marks the join.
    static func stripGluedChrome(_ text: String, atTop: Bool) -> String {
        var s = Substring(text)
        var changed = true
        while changed {
            changed = false
            for prefix in gluedPrefixes where s.hasPrefix(prefix) {
                let rest = s.dropFirst(prefix.count)
                guard let next = rest.first, atTop || next.isUppercase || next.isNumber || next == " " else { continue }
                s = rest.drop(while: { $0 == " " })
                changed = true
            }
        }
        return String(s)
    }

    private static func classify(_ text: String) -> Kind {
        if text == "·" || text == "•" || text == "-" { return .separator }
        if isChrome(text) { return .chrome }
        if let n = authorCount(text) { return .authors(n) }
        if let (date, upvotes) = dateLine(text) { return .date(date, upvotes: upvotes) }
        if text.utf8.count <= 7, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(text) { return .upvotes(n) }
        return .text(text)
    }

    /// "• 8 authors", "1 author".
    static func authorCount(_ text: String) -> Int? {
        var words = text.split(separator: " ")
        if let first = words.first, first == "•" || first == "·" || first == "-" || first == "*" { words.removeFirst() }
        guard words.count == 2, words[1] == "authors" || words[1] == "author", let n = Int(words[0]), n >= 0 else {
            return nil
        }
        return n
    }

    private static let months: Set<String> = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "january", "february", "march", "april", "june", "july", "august", "september", "october",
        "november", "december",
    ]

    /// "Mar 12, 2021", "Jul 25", "Sep 21, 2023 2" (date then upvotes): the date and the upvotes.
    static func dateLine(_ text: String) -> (String, Int?)? {
        let words = text.split(separator: " ")
        guard words.count >= 2, words.count <= 4, months.contains(words[0].lowercased().replacingDots()) else { return nil }
        var dayWord = words[1]
        let hasYear = dayWord.hasSuffix(",")
        if hasYear { dayWord = dayWord.dropLast() }
        guard let day = Int(dayWord), day >= 1, day <= 31 else { return nil }
        var rest = words.dropFirst(2)
        var date = "\(words[0]) \(day)"
        if hasYear {
            guard let yearWord = rest.first, yearWord.count == 4, let year = Int(yearWord) else { return nil }
            date += ", \(year)"
            rest = rest.dropFirst()
        }
        guard rest.count <= 1 else { return nil }
        if let last = rest.first {
            guard let upvotes = Int(last), upvotes >= 0 else { return nil }
            return (date, upvotes)
        }
        return (date, nil)
    }
}

private extension String {
    func replacingDots() -> String { hasSuffix(".") ? String(dropLast()) : self }
}
