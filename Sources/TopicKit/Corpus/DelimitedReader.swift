/// Reads CSV or TSV with a header row: RFC 4180 quoting (quoted fields may hold the delimiter,
/// doubled quotes and line breaks), columns found by name, case-insensitively:
/// `title`; `abstract` or `summary`; optional `id`, `tags` (comma-separated), `categories`
/// (space-separated), `author_count`, `date`, `upvotes`. Other columns go to `Paper.extra` as JSON strings.
struct DelimitedReader {
    let path: String
    let delimiter: UInt8
    let skipBad: Bool

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    private var fields: [String] = []
    private var field: [UInt8] = []
    private var state = State.fieldStart
    private var line = 1
    private var recordLine = 1
    private var recordBytes = 0
    private var recordInvalid = false
    /// The current record passed the length limit (only with `skipBad`): its bytes are not kept.
    private var oversized = false
    private var header: [String]?
    private var columns: Columns?
    private(set) var papers: [Paper] = []
    private(set) var skipped = 0

    private struct Columns {
        var title: Int
        var abstract: Int
        var id: Int?
        var tags: Int?
        var categories: Int?
        var authorCount: Int?
        var date: Int?
        var upvotes: Int?
        var extra: [(index: Int, name: String)]
    }

    init(path: String, delimiter: UInt8, skipBad: Bool) {
        self.path = path
        self.delimiter = delimiter
        self.skipBad = skipBad
    }

    static func read(first: LineBlock, rest reader: inout LineBlockReader, path: String, delimiter: UInt8,
                     skipBad: Bool) throws -> (papers: [Paper], skipped: Int) {
        var parser = DelimitedReader(path: path, delimiter: delimiter, skipBad: skipBad)
        var block: LineBlock? = first
        while let current = block {
            try parser.feed(current.bytes)
            block = try reader.next()
        }
        try parser.finish()
        return (parser.papers, parser.skipped + reader.skippedLongLines)
    }

    mutating func feed(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBufferPointer { try feed($0) }
    }

    private mutating func feed(_ p: UnsafeBufferPointer<UInt8>) throws {
        var i = 0
        while i < p.count {
            // Runs of ordinary bytes inside a field are copied in one go.
            if state == .unquoted || state == .quoted {
                var j = i
                if state == .quoted {
                    while j < p.count && p[j] != UInt8(ascii: "\"") {
                        if p[j] == 0x0A { line += 1 }
                        j += 1
                    }
                } else {
                    while j < p.count && p[j] != delimiter && p[j] != 0x0A { j += 1 }
                }
                if j > i {
                    recordBytes += j - i
                    try checkLength()
                    if !oversized { field.append(contentsOf: UnsafeBufferPointer(rebasing: p[i..<j])) }
                    i = j
                    continue
                }
            }
            let b = p[i]
            i += 1
            recordBytes += 1
            try checkLength()
            switch state {
            case .fieldStart:
                if b == UInt8(ascii: "\"") { state = .quoted; continue }
                state = .unquoted
                try unquoted(b)
            case .unquoted:
                try unquoted(b)
            case .quoted:
                if b == UInt8(ascii: "\"") { state = .quoteInQuoted; continue }
                if b == 0x0A { line += 1 }
                field.append(b)
            case .quoteInQuoted:
                if b == UInt8(ascii: "\"") { field.append(b); state = .quoted; continue }
                // The closing quote: what follows belongs to the unquoted tail (lenient, like Python's csv).
                state = .unquoted
                try unquoted(b)
            }
        }
    }

    /// Refuses a record over the limit; with `skipBad`, drops what it holds and parses on to its end.
    private mutating func checkLength() throws {
        guard recordBytes > ReadLimits.maximumRecordBytes && !oversized else { return }
        guard skipBad else {
            throw CorpusError.recordTooLong(path: path, line: recordLine, limit: ReadLimits.maximumRecordBytes)
        }
        oversized = true
        field = []
        fields = []
    }

    private mutating func unquoted(_ b: UInt8) throws {
        if b == delimiter {
            endField()
            state = .fieldStart
        } else if b == 0x0A {
            if field.last == 0x0D { field.removeLast() }
            endField()
            try endRecord()
            line += 1
            recordLine = line
            recordBytes = 0
            state = .fieldStart
        } else {
            field.append(b)
        }
    }

    private mutating func endField() {
        if oversized {
            field.removeAll(keepingCapacity: true)
            return
        }
        if let s = String(validating: field, as: UTF8.self) {
            fields.append(s)
        } else {
            fields.append("")
            recordInvalid = true
        }
        field.removeAll(keepingCapacity: true)
    }

    mutating func finish() throws {
        switch state {
        case .quoted:
            let failure = CorpusError.malformedRecord(path: path, line: recordLine,
                                                      reason: "unterminated quoted field (missing closing \")")
            if !skipBad { throw failure }
            skipped += 1
        case .fieldStart where fields.isEmpty:
            break
        default:
            endField()
            try endRecord()
        }
        if header == nil { throw CorpusError.emptyInput(path: path) }
    }

    private mutating func fail(_ error: CorpusError) throws {
        if !skipBad { throw error }
        skipped += 1
    }

    private mutating func endRecord() throws {
        defer { fields.removeAll(keepingCapacity: true); recordInvalid = false; oversized = false }
        if oversized {
            skipped += 1
            return
        }
        if recordInvalid {
            if header == nil { throw CorpusError.invalidUTF8(path: path, line: recordLine) }
            return try fail(.invalidUTF8(path: path, line: recordLine))
        }
        if fields.count == 1 && fields[0].allSatisfy({ $0.isWhitespace }) { return }
        guard let columns else {
            header = fields
            columns = try findColumns(fields)
            return
        }
        let width = header?.count ?? 0
        guard fields.count <= width else {
            return try fail(.malformedRecord(path: path, line: recordLine,
                                             reason: "\(fields.count) fields but the header has \(width)"))
        }
        func value(_ i: Int?) -> String? {
            guard let i, i < fields.count else { return nil }
            let v = CorpusText.clean(fields[i])
            return v.isEmpty ? nil : v
        }
        guard let title = value(columns.title) else { return try fail(.missingField(path: path, line: recordLine, field: "title")) }
        guard let abstract = value(columns.abstract) else {
            return try fail(.missingField(path: path, line: recordLine, field: "abstract"))
        }
        var paper = Paper(id: value(columns.id) ?? "", title: title, abstract: abstract)
        paper.tags = value(columns.tags).map { JSONLineParser.split($0, separator: ",") }
        paper.categories = value(columns.categories).map { JSONLineParser.split($0, separator: " ") }
        paper.authorCount = value(columns.authorCount).flatMap { Int($0) }
        paper.date = value(columns.date)
        paper.upvotes = value(columns.upvotes).flatMap { Int($0) }
        for (index, name) in columns.extra where index < fields.count && !fields[index].isEmpty {
            paper.extra[name] = JSONText.quoted(fields[index])
        }
        papers.append(paper)
    }

    private func findColumns(_ names: [String]) throws -> Columns {
        let lowered = names.map { CorpusText.clean($0).lowercased() }
        func index(_ candidates: String...) -> Int? {
            for c in candidates { if let i = lowered.firstIndex(of: c) { return i } }
            return nil
        }
        let shown = names.map { CorpusText.clean($0) }
        guard let title = index("title") else { throw CorpusError.missingColumn(path: path, column: "title", header: shown) }
        guard let abstract = index("abstract", "summary") else {
            throw CorpusError.missingColumn(path: path, column: "abstract", header: shown)
        }
        var columns = Columns(title: title, abstract: abstract, id: index("id"), tags: index("tags"),
                              categories: index("categories"), authorCount: index("author_count"),
                              date: index("date"), upvotes: index("upvotes"), extra: [])
        let known = Set([columns.title, columns.abstract, columns.id, columns.tags, columns.categories,
                         columns.authorCount, columns.date, columns.upvotes].compactMap { $0 })
        for (i, name) in shown.enumerated() where !known.contains(i) && !name.isEmpty {
            columns.extra.append((i, name))
        }
        return columns
    }
}
