/// A matrix of coloured cells on a sequential scale with each value printed in a contrasting colour
/// (tag co-occurrence, confusion between tags).
public struct Heatmap: Sendable {
    public var title: String
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// `values[row][column]`; missing or non-finite cells are drawn blank and counted in a note.
    public var values: [[Double]]
    /// Text printed in each cell and its tooltip.
    public var valueFormat: @Sendable (Double) -> String
    /// Side of a cell in pixels; nil sizes cells to their printed values.
    public var cellSize: Double?

    public init(title: String, rowLabels: [String], columnLabels: [String], values: [[Double]],
                valueFormat: @escaping @Sendable (Double) -> String = { ChartNumber.general($0) },
                cellSize: Double? = nil) {
        self.title = title
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.values = values
        self.valueFormat = valueFormat
        self.cellSize = cellSize
    }

    private func cell(_ r: Int, _ c: Int) -> Double? {
        guard r < values.count, c < values[r].count, values[r][c].isFinite else { return nil }
        return values[r][c]
    }

    /// The chart as one `<svg>` element.
    public func svg() -> String {
        let rows = rowLabels.count, columns = columnLabels.count
        var notes: [String] = []
        var lowest = Double.infinity, highest = -Double.infinity, blank = 0
        var widestValue = 0.0
        for r in 0..<rows {
            for c in 0..<columns {
                guard let v = cell(r, c) else { blank += 1; continue }
                lowest = min(lowest, v)
                highest = max(highest, v)
                widestValue = max(widestValue, TextMeasure.width(valueFormat(v), size: ChartTheme.tickSize))
            }
        }
        if blank > 0 { notes.append("\(blank) cell\(blank == 1 ? "" : "s") without a finite value (blank).") }
        if values.count != rows || values.contains(where: { $0.count != columns }) {
            notes.append("The value matrix is not \(rows) × \(columns); missing cells are blank, extra ones not shown.")
        }

        let size: Double
        if let cellSize, cellSize.isFinite { size = max(8, min(200, cellSize)) } else {
            let fitted = max(44, min(90, widestValue + 14))
            size = columns > 0 ? min(fitted, max(16, 1100 / Double(columns))) : fitted
        }
        let rowLabelSpace = min(180, rowLabels.map { TextMeasure.width($0, size: ChartTheme.tickSize) }.max() ?? 0) + 12
        let labels = CategoryLabels(columnLabels, band: size)
        let left = max(14 + rowLabelSpace, labels.leftOverhang - size / 2 + 14)
        let scaleSpace = 96.0
        let top = 46.0
        let gridHeight = Double(rows) * size
        let chartWidth = max(320, left + Double(columns) * size + scaleSpace)
        let chartHeight = max(160, top + max(gridHeight, 120) + labels.height + 8 + SVGWriter.notesHeight(notes))
        var svg = SVGWriter(width: chartWidth, height: chartHeight)
        _ = svg.title(title)
        let plot = PlotRect(x: left, y: top, width: Double(columns) * size, height: gridHeight)
        guard rows > 0, columns > 0, lowest <= highest else {
            svg.emptyMessage("No data", in: PlotRect(x: 14, y: top, width: chartWidth - 28, height: 120))
            svg.notes(notes)
            return svg.document(title: title)
        }

        let span = highest - lowest
        let position = { (v: Double) in span > 0 ? (v - lowest) / span : 0.5 }
        for r in 0..<rows {
            let y = plot.y + Double(r) * size
            for c in 0..<columns {
                let x = plot.x + Double(c) * size
                let tip = "\(rowLabels[r]) × \(columnLabels[c]): "
                guard let v = cell(r, c) else {
                    svg.rect(x: x, y: y, width: size, height: size, fill: "#f2f2f2", stroke: "#fff", tooltip: tip + "no value")
                    continue
                }
                let (fill, light) = ChartTheme.sequentialColor(position(v))
                let text = valueFormat(v)
                svg.rect(x: x, y: y, width: size, height: size, fill: fill, stroke: "#fff", tooltip: tip + text)
                if TextMeasure.width(text, size: ChartTheme.tickSize) <= size - 4 {
                    svg.text(text, x: x + size / 2, y: y + size / 2, anchor: .middle, fill: light ? "#fff" : "#1a1a1a",
                             centered: true)
                }
            }
            let (label, truncated) = TextMeasure.truncate(rowLabels[r], maxWidth: rowLabelSpace - 12, size: ChartTheme.tickSize)
            svg.text(label, x: plot.x - 8, y: y + size / 2, anchor: .end, centered: true, tooltip: truncated ? rowLabels[r] : nil)
        }
        labels.draw(into: &svg, centers: (0..<columns).map { plot.x + (Double($0) + 0.5) * size }, y: plot.bottom)

        // Colour scale: stacked steps from the highest value (top) to the lowest.
        let steps = 24
        let barX = plot.right + 18, barHeight = min(max(gridHeight, 80), 200), stepHeight = barHeight / Double(steps)
        for i in 0..<steps {
            let t = 1 - (Double(i) + 0.5) / Double(steps)
            svg.rect(x: barX, y: plot.y + Double(i) * stepHeight, width: 12, height: stepHeight + 0.3,
                     fill: ChartTheme.sequentialColor(span > 0 ? t : 0.5).fill)
        }
        svg.path(PathData.rectOutline(x: barX, y: plot.y, width: 12, height: barHeight), stroke: "#bbb")
        svg.text(valueFormat(highest), x: barX + 17, y: plot.y + 4, anchor: .start, fill: ChartTheme.mutedText, centered: true)
        if span > 0 {
            svg.text(valueFormat(lowest), x: barX + 17, y: plot.y + barHeight - 4, anchor: .start, fill: ChartTheme.mutedText, centered: true)
        }
        svg.notes(notes)
        return svg.document(title: title)
    }
}
