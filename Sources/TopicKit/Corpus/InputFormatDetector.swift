/// Guesses an input's format from its first bytes, then from its extension.
enum InputFormatDetector {
    /// JSON Lines when the first non-blank byte opens an object; CSV/TSV when the first line is a
    /// header with a `title` column; else the extension (.jsonl/.ndjson/.json, .csv, .tsv); else a dump.
    static func detect(_ head: [UInt8], path: String) -> InputFormat {
        guard let start = head.firstIndex(where: { !CorpusText.isASCIISpace($0) }) else { return byExtension(path) ?? .dump }
        if head[start] == UInt8(ascii: "{") { return .jsonl }
        let end = head[start...].firstIndex(of: 0x0A) ?? head.count
        let firstLine = String(decoding: head[start..<end], as: UTF8.self)
        for (delimiter, format) in [("\t", InputFormat.tsv), (",", InputFormat.csv)] where firstLine.contains(delimiter) {
            let names = firstLine.split(separator: Character(delimiter), omittingEmptySubsequences: false).map {
                $0.trimmingQuotesAndSpaces().lowercased()
            }
            if names.contains("title") { return format }
        }
        return byExtension(path) ?? .dump
    }

    static func byExtension(_ path: String) -> InputFormat? {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "jsonl", "ndjson", "json": return .jsonl
        case "csv": return .csv
        case "tsv", "tab": return .tsv
        default: return nil
        }
    }
}

private extension Substring {
    func trimmingQuotesAndSpaces() -> String {
        let junk: (Character) -> Bool = { $0 == " " || $0 == "\"" || $0 == "\r" }
        return String(drop(while: junk).reversed().drop(while: junk).reversed())
    }
}
