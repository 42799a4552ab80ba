#if canImport(Glibc)
import Glibc
#endif

/// Formats for writing papers (and other per-paper records).
public enum OutputFormat: String, CaseIterable, Sendable {
    /// JSON Lines: one object per paper.
    case jsonl
    /// Tab-separated with a header row; fields holding tabs, line breaks or quotes are quoted (RFC 4180).
    case tsv
    /// Comma-separated with a header row (RFC 4180 quoting).
    case csv
}

/// Writes papers so `PaperReader` reads them back unchanged.
public enum PaperWriter {
    /// Writes papers as jsonl (all fields incl. extra), tsv or csv to a path ("-" = stdout) atomically:
    /// a regular file is written under a temporary name and renamed, so a failure leaves no partial
    /// file; stdout and non-regular targets (/dev/null, pipes) are written directly.
    public static func write(_ papers: [Paper], format: OutputFormat, to path: String) throws {
        let sink = try OutputTarget(path: path)
        do {
            let extraColumns = format == .jsonl ? [] : Array(Set(papers.flatMap(\.extra.keys))).sorted()
            if format != .jsonl {
                var header: [UInt8] = []
                let names = ["id", "title", "abstract", "tags", "categories", "author_count", "date", "upvotes"] + extraColumns
                appendRow(names, format: format, to: &header)
                try sink.write(header)
            }
            // Formatted in parallel, a batch at a time (bounded memory), written in paper order.
            let batch = 8192
            for start in stride(from: 0, to: papers.count, by: batch) {
                let range = start..<min(papers.count, start + batch)
                let chunks = Parallel.chunks(count: range.count, minimumChunk: 2048, maximumChunks: 16)
                let parts = Parallel.mapChunks(chunks) { chunk -> [UInt8] in
                    var out: [UInt8] = []
                    out.reserveCapacity(chunk.count * 1600)
                    for i in chunk {
                        let paper = papers[start + i]
                        if format == .jsonl {
                            appendJSON(paper, to: &out)
                        } else {
                            appendRow(row(paper, extraColumns: extraColumns), format: format, to: &out)
                        }
                    }
                    return out
                }
                for part in parts { try sink.write(part) }
            }
            try sink.commit()
        } catch {
            sink.abort()
            throw error
        }
    }

    /// One paper as a JSON object (no line end): id, title, abstract, then the optional fields, then
    /// `extra` in key order with its raw JSON values.
    public static func appendJSON(_ paper: Paper, to out: inout [UInt8]) {
        func key(_ name: String) {
            out.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")])
            JSONText.appendQuoted(name, to: &out)
            out.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
        }
        out.append(UInt8(ascii: "{"))
        JSONText.appendQuoted("id", to: &out)
        out.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
        JSONText.appendQuoted(paper.id, to: &out)
        key("title"); JSONText.appendQuoted(paper.title, to: &out)
        key("abstract"); JSONText.appendQuoted(paper.abstract, to: &out)
        if let tags = paper.tags { key("tags"); JSONText.appendArray(tags, to: &out) }
        if let categories = paper.categories { key("categories"); JSONText.appendArray(categories, to: &out) }
        if let n = paper.authorCount { key("author_count"); out.append(contentsOf: String(n).utf8) }
        if let date = paper.date { key("date"); JSONText.appendQuoted(date, to: &out) }
        if let n = paper.upvotes { key("upvotes"); out.append(contentsOf: String(n).utf8) }
        for name in paper.extra.keys.sorted() {
            key(name)
            out.append(contentsOf: paper.extra[name]!.utf8)
        }
        out.append(contentsOf: [UInt8(ascii: "}"), 0x0A])
    }

    private static func row(_ paper: Paper, extraColumns: [String]) -> [String] {
        var fields = [paper.id, paper.title, paper.abstract,
                      paper.tags?.joined(separator: ",") ?? "", paper.categories?.joined(separator: " ") ?? "",
                      paper.authorCount.map(String.init) ?? "", paper.date ?? "", paper.upvotes.map(String.init) ?? ""]
        var parser = JSONLineParser()
        for name in extraColumns {
            guard let raw = paper.extra[name] else { fields.append(""); continue }
            // A JSON string goes out as its text; other JSON values as their JSON text.
            if raw.hasPrefix("\""), let text = parser.stringValue(raw) { fields.append(text) } else { fields.append(raw) }
        }
        return fields
    }

    /// Appends one delimited row with RFC 4180 quoting where needed, and a line end.
    public static func appendRow(_ fields: [String], format: OutputFormat, to out: inout [UInt8]) {
        let delimiter: UInt8 = format == .tsv ? 0x09 : UInt8(ascii: ",")
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(delimiter) }
            let needsQuotes = field.utf8.contains { $0 == delimiter || $0 == 0x0A || $0 == 0x0D || $0 == UInt8(ascii: "\"") }
            if needsQuotes {
                out.append(UInt8(ascii: "\""))
                for b in field.utf8 {
                    if b == UInt8(ascii: "\"") { out.append(b) }
                    out.append(b)
                }
                out.append(UInt8(ascii: "\""))
            } else {
                out.append(contentsOf: field.utf8)
            }
        }
        out.append(0x0A)
    }
}
