/// A self-contained HTML5 report: inline CSS, inline SVG figures, no scripts and no network access, readable
/// on screen and on paper. Built up in order with `heading`, `paragraph`, `table` and `figure`.
public struct HTMLDocument: Sendable, Equatable {
    public var title: String
    private var blocks: [String] = []

    public init(title: String) {
        self.title = title
    }

    /// A section heading; `level` is clamped to 1...6 (the document title is the only level-1 heading by default).
    public mutating func heading(_ text: String, level: Int = 2) {
        let l = max(1, min(6, level))
        blocks.append("<h\(l)>\(MarkupText.escape(text))</h\(l)>")
    }

    /// A paragraph of plain text (escaped; blank lines start new paragraphs).
    public mutating func paragraph(_ text: String) {
        let parts = text.components(separatedByBlankLines: ())
        for part in parts { blocks.append("<p>\(MarkupText.escape(part))</p>") }
    }

    /// A table; cells in `numericColumns` are right-aligned with tabular figures. Short rows are padded.
    public mutating func table(header: [String], rows: [[String]], numericColumns: Set<Int> = []) {
        let columns = max(header.count, rows.map(\.count).max() ?? 0)
        func cells(_ row: [String], tag: String) -> String {
            (0..<columns).map { i in
                let text = i < row.count ? MarkupText.escape(row[i]) : ""
                return numericColumns.contains(i) ? "<\(tag) class=\"num\">\(text)</\(tag)>" : "<\(tag)>\(text)</\(tag)>"
            }.joined()
        }
        var html = "<div class=\"table\"><table>"
        if !header.isEmpty { html += "<thead><tr>" + cells(header, tag: "th") + "</tr></thead>" }
        html += "<tbody>"
        for row in rows { html += "<tr>" + cells(row, tag: "td") + "</tr>" }
        html += "</tbody></table></div>"
        blocks.append(html)
    }

    /// A figure: `svg` (one element from a chart's `svg()`, inserted as is) with a caption.
    public mutating func figure(svg: String, caption: String) {
        var html = "<figure>" + svg
        if !caption.isEmpty { html += "<figcaption>\(MarkupText.escape(caption))</figcaption>" }
        blocks.append(html + "</figure>")
    }

    /// The whole document as one HTML5 file.
    public func render() -> String {
        var html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        html += "<meta name=\"generator\" content=\"TopicKit \(MarkupText.escape(TopicKit.version))\">\n"
        html += "<title>\(MarkupText.escape(title))</title>\n<style>\n\(HTMLDocument.style)</style>\n</head>\n<body>\n<main>\n"
        html += "<h1>\(MarkupText.escape(title))</h1>\n"
        for block in blocks { html += block + "\n" }
        html += "</main>\n</body>\n</html>\n"
        return html
    }

    static let style = """
    :root { color-scheme: light; }
    * { box-sizing: border-box; }
    body { margin: 0; background: #fff; color: #222; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif; -webkit-text-size-adjust: 100%; }
    main { max-width: 1040px; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
    h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 1rem; }
    h2 { font-size: 1.4rem; line-height: 1.25; margin: 2.4rem 0 0.8rem; padding-bottom: 0.3rem; border-bottom: 1px solid #e3e3e3; }
    h3 { font-size: 1.15rem; margin: 1.8rem 0 0.6rem; }
    h4, h5, h6 { font-size: 1rem; margin: 1.4rem 0 0.5rem; }
    p { margin: 0 0 1rem; max-width: 75ch; }
    .table { overflow-x: auto; margin: 0 0 1.5rem; }
    table { border-collapse: collapse; font-size: 0.92rem; min-width: 50%; }
    th, td { padding: 0.35rem 0.75rem; text-align: left; vertical-align: top; border-bottom: 1px solid #e6e6e6; }
    thead th { border-bottom: 2px solid #bbb; font-weight: 600; background: #f6f7f9; white-space: nowrap; }
    tbody tr:nth-child(even) { background: #fafbfc; }
    .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    figure { margin: 1.2rem 0 2rem; }
    figure svg { display: block; max-width: 100%; height: auto; }
    figcaption { margin-top: 0.4rem; color: #555; font-size: 0.9rem; max-width: 75ch; }
    @media print {
      body { font-size: 11pt; }
      main { max-width: none; padding: 0; }
      h2, h3 { break-after: avoid; page-break-after: avoid; }
      figure, tr { break-inside: avoid; page-break-inside: avoid; }
      .table { overflow: visible; }
    }

    """
}

private extension String {
    /// Paragraph texts separated by blank lines, empty ones dropped.
    func components(separatedByBlankLines: ()) -> [String] {
        var parts: [String] = []
        var current: [Substring] = []
        for line in split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
                if !current.isEmpty { parts.append(current.joined(separator: "\n")) }
                current = []
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { parts.append(current.joined(separator: "\n")) }
        return parts
    }
}
