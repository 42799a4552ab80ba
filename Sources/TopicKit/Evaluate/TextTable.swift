/// A table of text cells aligned in columns, rendered for a terminal (space-separated) or as a Markdown
/// pipe table whose columns also line up in plain text.
public struct TextTable: Sendable {
    public var header: [String]
    public var rows: [[String]]
    /// Right-aligned columns (numbers).
    public var numericColumns: Set<Int>

    public init(header: [String], rows: [[String]] = [], numericColumns: Set<Int> = []) {
        self.header = header
        self.rows = rows
        self.numericColumns = numericColumns
    }

    /// A blank row (a separator in plain text; skipped in Markdown).
    public mutating func addSeparator() { rows.append([]) }

    private var widths: [Int] {
        var w = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < w.count { w[i] = max(w[i], cell.count) } }
        return w
    }

    private func cell(_ text: String, _ i: Int, _ width: Int) -> String {
        let gap = String(repeating: " ", count: max(0, width - text.count))
        return numericColumns.contains(i) ? gap + text : text + gap
    }

    /// Columns separated by two spaces, trailing spaces trimmed.
    public var plain: String {
        let w = widths
        func line(_ cells: [String]) -> String {
            var text = cells.enumerated().map { cell($1, $0, w[$0]) }.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        return ([line(header)] + rows.map { $0.isEmpty ? "" : line($0 + Array(repeating: "", count: max(0, header.count - $0.count))) })
            .joined(separator: "\n")
    }

    /// A GitHub-flavoured Markdown table, padded so it reads as a table in a terminal too.
    public var markdown: String {
        let escaped = TextTable(header: header.map(Self.escape), rows: rows.map { $0.map(Self.escape) },
                                numericColumns: numericColumns)
        let w = escaped.widths.map { max($0, 3) }
        func line(_ cells: [String]) -> String {
            "| " + cells.enumerated().map { cell($1, $0, w[$0]) }.joined(separator: " | ") + " |"
        }
        let rule = "|" + w.indices.map { i in
            numericColumns.contains(i) ? " " + String(repeating: "-", count: w[i] - 1) + ": "
                                       : " " + String(repeating: "-", count: w[i]) + " "
        }.joined(separator: "|") + "|"
        let body = escaped.rows.filter { !$0.isEmpty }.map { line($0 + Array(repeating: "", count: max(0, header.count - $0.count))) }
        return ([line(escaped.header), rule] + body).joined(separator: "\n")
    }

    static func escape(_ s: String) -> String { String(s.flatMap { $0 == "|" ? ["\\", "|"] : [$0] }) }
}
