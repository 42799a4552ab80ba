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
}

extension SVGWriter {
    /// Draws `entries` in rows across the chart starting at `top`; returns the height used (0 when empty).
    mutating func legend(_ entries: [LegendEntry], top: Double, left: Double = 14, right: Double? = nil) -> Double {
        guard !entries.isEmpty else { return 0 }
        let size = ChartTheme.labelSize
        let rowHeight = 18.0
        let limit = (right ?? (width - 14))
        var x = left
        var y = top + rowHeight / 2
        for entry in entries {
            let (label, truncated) = TextMeasure.truncate(entry.name, maxWidth: 200, size: size)
            let itemWidth = 16 + 5 + TextMeasure.width(label, size: size) + 18
            if x > left && x + itemWidth - 18 > limit {
                x = left
                y += rowHeight
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
            x += itemWidth
        }
        return y + rowHeight / 2 - top
    }
}
