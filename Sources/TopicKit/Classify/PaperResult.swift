/// What `topics tag` reports for one paper: its tags and scores, the terms behind each tag, its cluster.
public struct PaperResult: Sendable, Equatable {
    public var id: String
    public var title: String
    /// Assigned tags (nil when the model has no tagger).
    public var tags: [String]?
    /// Probability per tag of the model, in the model's tag order.
    public var scores: [Float]?
    /// For each assigned tag, the terms that pushed its score up most, with their contributions.
    public var explanations: [(tag: String, terms: [(term: String, weight: Float)])]?
    /// Nearest cluster and its squared distance in LSA space (nil when the model has no clusters).
    public var cluster: Int?
    public var distance: Float?

    public init(id: String, title: String, tags: [String]? = nil, scores: [Float]? = nil,
                explanations: [(tag: String, terms: [(term: String, weight: Float)])]? = nil,
                cluster: Int? = nil, distance: Float? = nil) {
        self.id = id
        self.title = title
        self.tags = tags
        self.scores = scores
        self.explanations = explanations
        self.cluster = cluster
        self.distance = distance
    }

    public static func == (a: PaperResult, b: PaperResult) -> Bool {
        a.id == b.id && a.title == b.title && a.tags == b.tags && a.scores == b.scores && a.cluster == b.cluster
            && a.distance == b.distance
            && a.explanations?.map(\.tag) == b.explanations?.map(\.tag)
            && a.explanations?.map { $0.terms.map(\.term) } == b.explanations?.map { $0.terms.map(\.term) }
    }
}

/// How per-paper results are written: JSON Lines for programs, TSV/CSV for spreadsheets, a table for people.
public enum ResultFormat: String, CaseIterable, Sendable {
    case jsonl, tsv, csv, table
}

/// Writes `PaperResult`s in every `ResultFormat`, atomically when the target is a regular file.
public enum PaperResultWriter {
    /// Writes `results` (scores named by `tagNames`) to `path` ("-" = standard output).
    public static func write(_ results: [PaperResult], tagNames: [String], format: ResultFormat, to path: String) throws {
        let sink = try OutputTarget(path: path)
        do {
            var out: [UInt8] = []
            if format == .table {
                out.append(contentsOf: table(results, tagNames: tagNames).utf8)
            } else {
                appendHeader(format: format, tagNames: tagNames, first: results.first, to: &out)
                appendRows(results, tagNames: tagNames, format: format, to: &out)
            }
            try sink.write(out)
            try sink.commit()
        } catch {
            sink.abort()
            throw error
        }
    }

    /// The header row of TSV and CSV output (columns follow what `first` holds); nothing for JSON Lines.
    public static func appendHeader(format: ResultFormat, tagNames: [String], first: PaperResult?, to out: inout [UInt8]) {
        guard format == .tsv || format == .csv else { return }
        var header = ["id", "title"]
        if first?.tags != nil { header += ["tags"] + tagNames.map { "score_" + $0 } }
        if first?.cluster != nil { header += ["cluster", "distance"] }
        PaperWriter.appendRow(header, format: format == .tsv ? .tsv : .csv, to: &out)
    }

    /// Appends one line per result in a line format (JSON Lines, TSV, CSV; not `.table`), formatting
    /// chunks of results on all cores; the bytes do not depend on the thread count.
    public static func appendRows(_ results: [PaperResult], tagNames: [String], format: ResultFormat,
                                  to out: inout [UInt8]) {
        let chunks = Parallel.chunks(count: results.count, minimumChunk: 1024, maximumChunks: 16)
        let keys = tagKeys(tagNames)
        let parts = Parallel.mapChunks(chunks) { range -> [UInt8] in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(range.count * 512)
            for i in range {
                if format == .jsonl {
                    appendJSON(results[i], tagKeys: keys, to: &bytes)
                } else {
                    appendRow(results[i], tagNames: tagNames, format: format, to: &bytes)
                }
            }
            return bytes
        }
        out.reserveCapacity(out.count + parts.reduce(0) { $0 + $1.count })
        for part in parts { out.append(contentsOf: part) }
    }

    /// One result as a line of `format` (JSON Lines, TSV or CSV).
    static func appendRow(_ r: PaperResult, tagNames: [String], format: ResultFormat, to out: inout [UInt8]) {
        switch format {
        case .jsonl, .table:
            appendJSON(r, tagNames: tagNames, to: &out)
        case .tsv, .csv:
            var row = [r.id, r.title]
            if let tags = r.tags { row += [tags.joined(separator: ",")] + (r.scores ?? []).map { fixed($0, digits: 4) } }
            if r.cluster != nil || r.distance != nil {
                row += [r.cluster.map(String.init) ?? "", r.distance.map { fixed($0, digits: 4) } ?? ""]
            }
            PaperWriter.appendRow(row, format: format == .tsv ? .tsv : .csv, to: &out)
        }
    }

    /// One result as a JSON object line: `{"id", "title", "tags", "scores": {tag: p}, "explain", "cluster", "distance"}`.
    public static func appendJSON(_ r: PaperResult, tagNames: [String], to out: inout [UInt8]) {
        appendJSON(r, tagKeys: tagKeys(tagNames), to: &out)
    }

    /// `"name":` for every tag, quoted once instead of once per paper.
    static func tagKeys(_ tagNames: [String]) -> [[UInt8]] {
        tagNames.map { name in
            var key: [UInt8] = []
            JSONText.appendQuoted(name, to: &key)
            key.append(0x3A)
            return key
        }
    }

    static func appendJSON(_ r: PaperResult, tagKeys: [[UInt8]], to out: inout [UInt8]) {
        out.append(contentsOf: #"{"id":"#.utf8)
        JSONText.appendQuoted(r.id, to: &out)
        out.append(contentsOf: #","title":"#.utf8)
        JSONText.appendQuoted(r.title, to: &out)
        if let tags = r.tags {
            out.append(contentsOf: #","tags":"#.utf8)
            JSONText.appendArray(tags, to: &out)
        }
        if let scores = r.scores {
            out.append(contentsOf: #","scores":{"#.utf8)
            for (i, (key, score)) in zip(tagKeys, scores).enumerated() {
                if i > 0 { out.append(0x2C) }
                out.append(contentsOf: key)
                appendFixed(score, digits: 4, to: &out)
            }
            out.append(0x7D)
        }
        if let explanations = r.explanations {
            out.append(contentsOf: #","explain":{"#.utf8)
            for (i, e) in explanations.enumerated() {
                if i > 0 { out.append(0x2C) }
                JSONText.appendQuoted(e.tag, to: &out)
                out.append(contentsOf: ":[".utf8)
                for (j, t) in e.terms.enumerated() {
                    if j > 0 { out.append(0x2C) }
                    out.append(0x5B)
                    JSONText.appendQuoted(t.term, to: &out)
                    out.append(0x2C)
                    appendFixed(t.weight, digits: 4, to: &out)
                    out.append(0x5D)
                }
                out.append(0x5D)
            }
            out.append(0x7D)
        }
        if let cluster = r.cluster {
            out.append(contentsOf: #","cluster":\#(cluster)"#.utf8)
            if let d = r.distance {
                out.append(contentsOf: #","distance":"#.utf8)
                appendFixed(d, digits: 4, to: &out)
            }
        }
        out.append(contentsOf: "}\n".utf8)
    }

    /// An aligned plain-text table: tags (or cluster), one score column per tag when there are few, the title.
    static func table(_ results: [PaperResult], tagNames: [String]) -> String {
        let hasTags = results.first?.tags != nil, hasClusters = results.first?.cluster != nil
        let showScores = hasTags && tagNames.count <= 6
        var header: [String] = []
        var rows: [[String]] = []
        if hasTags { header.append("TAGS") }
        if showScores { header += tagNames.map { $0.uppercased() } }
        if hasClusters { header.append("CLUSTER") }
        header.append("TITLE")
        for r in results {
            var row: [String] = []
            if hasTags { row.append((r.tags ?? []).isEmpty ? "-" : (r.tags ?? []).joined(separator: ",")) }
            if showScores { row += (r.scores ?? []).map { fixed($0, digits: 2) } }
            if hasClusters { row.append(r.cluster.map(String.init) ?? "") }
            row.append(truncated(r.title, to: 90))
            rows.append(row)
        }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                i == cells.count - 1 ? c : c + String(repeating: " ", count: widths[i] - c.count)
            }.joined(separator: "  ")
        }
        var text = line(header) + "\n"
        for row in rows { text += line(row) + "\n" }
        return text
    }

    static func truncated(_ s: String, to width: Int) -> String {
        s.count <= width ? s : String(s.prefix(width - 1)) + "…"
    }

    /// `value` with exactly `digits` decimals (round half away from zero), no locale, no exponent.
    public static func fixed(_ value: Float, digits: Int) -> String {
        var out: [UInt8] = []
        appendFixed(value, digits: digits, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `fixed(value, digits:)` to `out` without building a String (the hot path of tagging output).
    public static func appendFixed(_ value: Float, digits: Int, to out: inout [UInt8]) {
        guard value.isFinite else {
            out.append(contentsOf: (value.isNaN ? "NaN" : (value > 0 ? "Infinity" : "-Infinity")).utf8)
            return
        }
        let digits = max(0, min(digits, 18))
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (Double(value) * scale).rounded()
        guard abs(scaled) < 9.2e18 else {
            // Beyond UInt64: print the integer part of the rounded value with zero decimals.
            out.append(contentsOf: "\(Double(value).rounded())".utf8)
            return
        }
        let magnitude = UInt64(abs(scaled))
        if scaled < 0 && magnitude != 0 { out.append(0x2D) }
        let unit = UInt64(scale)
        var whole = magnitude / unit
        var fraction = magnitude % unit
        var buffer: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &buffer) { raw in
            let b = raw.bindMemory(to: UInt8.self)
            var n = b.count
            if digits > 0 {
                for _ in 0..<digits {
                    n -= 1; b[n] = 0x30 + UInt8(fraction % 10); fraction /= 10
                }
                n -= 1; b[n] = 0x2E
            }
            repeat {
                n -= 1; b[n] = 0x30 + UInt8(whole % 10); whole /= 10
            } while whole > 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[n...]))
        }
    }
}
