/// One item of a chart legend: a swatch in the series' colour and its name.
struct LegendEntry: Sendable {
    enum Swatch: Sendable {
        case box(opacity: Double)
        case line
        case marker(shape: MarkerShape)
    }

    var name: String
    var color: String
    var swatch: Swatch
    /// Text after the name that is never shortened (e.g. a group's size, "(31)").
    var detail: String = ""
}

extension SVGWriter {
    /// Height `legend` would take on a chart `width` pixels wide (to size a chart before drawing it).
    static func legendHeight(_ entries: [LegendEntry], width: Double) -> Double {
        var scratch = SVGWriter(width: width, height: 0)
        return scratch.legend(entries, top: 0)
    }

    /// Draws `entries` in rows across the chart starting at `top`; returns the height used (0 when empty).
    mutating func legend(_ entries: [LegendEntry], top: Double, left: Double = 14, right: Double? = nil) -> Double {
        guard !entries.isEmpty else { return 0 }
        let size = ChartTheme.labelSize
        let rowHeight = 18.0
        let limit = (right ?? (width - 14))
        // Long names are shortened (full text in the tooltip); two columns' worth of room before that.
        let nameWidth = max(200, min(320, (limit - left) / 2 - 40))
        let shown = entries.map { entry -> (text: String, truncated: Bool) in
            let detail = entry.detail.isEmpty ? "" : " " + entry.detail
            let name = TextMeasure.truncate(entry.name, maxWidth: nameWidth - TextMeasure.width(detail, size: size), size: size)
            return (name.text + detail, name.truncated)
        }
        let itemWidths = shown.map { 16 + 5 + TextMeasure.width($0.text, size: size) + 18 }
        // One row when everything fits; otherwise aligned columns of equal width.
        let oneRow = itemWidths.reduce(0, +) - 18 <= limit - left
        let columnWidth = itemWidths.max() ?? 0
        let columns = max(1, Int((limit - left + 18) / columnWidth))
        var x = left
        var y = top + rowHeight / 2
        for (i, entry) in entries.enumerated() {
            let (label, truncated) = shown[i]
            if !oneRow {
                x = left + Double(i % columns) * columnWidth
                y = top + rowHeight / 2 + Double(i / columns) * rowHeight
            }
            switch entry.swatch {
            case .box(let opacity):
                rect(x: x, y: y - 6, width: 14, height: 12, fill: entry.color, opacity: opacity < 1 ? opacity : nil)
                if opacity < 1 { path(PathData.rectOutline(x: x, y: y - 6, width: 14, height: 12), stroke: entry.color, strokeWidth: 1.2) }
            case .line:
                line(x1: x, y1: y, x2: x + 16, y2: y, stroke: entry.color, width: 2.5)
            case .marker(let shape):
                raw(shape.markup(x: x + 7, y: y, radius: 4.5, fill: entry.color))
            }
            text(label, x: x + 21, y: y, size: size, centered: true, tooltip: truncated ? entry.name : nil)
            x += itemWidths[i]
        }
        return y + rowHeight / 2 - top
    }
}
