extension SVGWriter {
    /// Draws the chart title at the top left; returns the y below it where the legend or plot can start.
    mutating func title(_ title: String) -> Double {
        let (label, truncated) = TextMeasure.truncate(title, maxWidth: width - 28, size: ChartTheme.titleSize)
        text(label, x: 14, y: 24, size: ChartTheme.titleSize, bold: true, tooltip: truncated ? title : nil)
        return 36
    }

    /// Height that `notes` take at the bottom of the chart.
    static func notesHeight(_ notes: [String]) -> Double { notes.isEmpty ? 0 : Double(notes.count) * 14 + 4 }

    /// Draws `notes` (skipped values, clipping) in small type at the bottom left, so a reader knows what is
    /// not shown.
    mutating func notes(_ notes: [String]) {
        for (i, note) in notes.enumerated() {
            let y = height - 8 - Double(notes.count - 1 - i) * 14
            let (label, truncated) = TextMeasure.truncate(note, maxWidth: width - 28, size: ChartTheme.smallSize)
            text(label, x: 14, y: y, size: ChartTheme.smallSize, fill: ChartTheme.noteText, tooltip: truncated ? note : nil)
        }
    }

    /// A message in the middle of an empty plot ("No data").
    mutating func emptyMessage(_ message: String, in plot: PlotRect) {
        text(message, x: plot.x + plot.width / 2, y: plot.y + plot.height / 2, size: ChartTheme.labelSize,
             anchor: .middle, fill: ChartTheme.mutedText, centered: true)
    }

    /// Width the tick labels of `scale` need to the left of a plot.
    static func tickLabelWidth(_ scale: AxisScale) -> Double {
        scale.ticks.map { TextMeasure.width(scale.label($0), size: ChartTheme.tickSize) }.max() ?? 0
    }

    /// Horizontal grid lines, tick labels and the rotated axis label of a vertical value axis.
    mutating func yAxis(_ scale: AxisScale, plot: PlotRect, label: String, grid: Bool = true) {
        for tick in scale.ticks {
            let y = scale.position(tick, from: plot.bottom, to: plot.y)
            if grid { line(x1: plot.x, y1: y, x2: plot.right, y2: y, stroke: ChartTheme.grid) }
            line(x1: plot.x - 4, y1: y, x2: plot.x, y2: y, stroke: ChartTheme.axis)
            text(scale.label(tick), x: plot.x - 7, y: y, anchor: .end, fill: ChartTheme.mutedText, centered: true)
        }
        line(x1: plot.x, y1: plot.y, x2: plot.x, y2: plot.bottom, stroke: ChartTheme.axis)
        guard !label.isEmpty else { return }
        let (shown, truncated) = TextMeasure.truncate(label, maxWidth: plot.height, size: ChartTheme.labelSize)
        text(shown, x: 18, y: plot.y + plot.height / 2, size: ChartTheme.labelSize, anchor: .middle,
             centered: true, rotate: -90, tooltip: truncated ? label : nil)
    }

    /// Vertical grid lines, tick labels (thinned so they never overlap) and the label of a horizontal value axis.
    mutating func xAxis(_ scale: AxisScale, plot: PlotRect, label: String, grid: Bool = true) {
        let positions = scale.ticks.map { scale.position($0, from: plot.x, to: plot.right) }
        let widths = scale.ticks.map { TextMeasure.width(scale.label($0), size: ChartTheme.tickSize) }
        var every = 1
        while every < positions.count {
            var fits = true
            var i = 0
            while i + every < positions.count {
                if positions[i + every] - positions[i] < (widths[i] + widths[i + every]) / 2 + 8 { fits = false }
                i += every
            }
            if fits { break }
            every += 1
        }
        for (i, tick) in scale.ticks.enumerated() {
            let x = positions[i]
            if grid { line(x1: x, y1: plot.y, x2: x, y2: plot.bottom, stroke: ChartTheme.grid) }
            line(x1: x, y1: plot.bottom, x2: x, y2: plot.bottom + 4, stroke: ChartTheme.axis)
            if i % every == 0 {
                text(scale.label(tick), x: x, y: plot.bottom + 17, anchor: .middle, fill: ChartTheme.mutedText)
            }
        }
        line(x1: plot.x, y1: plot.bottom, x2: plot.right, y2: plot.bottom, stroke: ChartTheme.axis)
        guard !label.isEmpty else { return }
        let (shown, truncated) = TextMeasure.truncate(label, maxWidth: plot.width, size: ChartTheme.labelSize)
        text(shown, x: plot.x + plot.width / 2, y: plot.bottom + 38, size: ChartTheme.labelSize, anchor: .middle,
             tooltip: truncated ? label : nil)
    }
}
