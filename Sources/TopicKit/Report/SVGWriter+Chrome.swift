extension SVGWriter {
    /// Draws the chart title at the top left; returns the y below it where the legend or plot can start.
    mutating func title(_ title: String) -> Double {
        let (label, truncated) = TextMeasure.truncate(title, maxWidth: width - 28, size: ChartTheme.titleSize)
        text(label, x: 14, y: 24, size: ChartTheme.titleSize, bold: true, tooltip: truncated ? title : nil)
        return 36
    }

    /// Draws the title, `legend` (then `legendGap` pixels) and both axes of a chart as tall as `height` was
    /// at the call, growing it when the legend or `notes` need more room; returns the plot area between the axes.
    mutating func axesFrame(title: String, legend: [LegendEntry], legendGap: Double = 12, notes: [String],
                            x: AxisScale, xLabel: String, xGrid: Bool = true, y: AxisScale, yLabel: String) -> PlotRect {
        let requested = height
        var top = self.title(title)
        top += self.legend(legend, top: top) + legendGap
        let left = 38 + Self.tickLabelWidth(y)
        let bottom = 46 + Self.notesHeight(notes, width: width)
        let plot = PlotRect(x: left, y: top, width: width - left - 20,
                            height: max(PlotRect.minimumHeight, requested - top - bottom))
        height = max(requested, plot.bottom + bottom)
        yAxis(y, plot: plot, label: yLabel)
        xAxis(x, plot: plot, label: xLabel, grid: xGrid)
        return plot
    }

    /// Lines that `notes` take on a chart `width` pixels wide.
    static func noteLines(_ notes: [String], width: Double) -> [String] {
        notes.flatMap { TextMeasure.wrap($0, maxWidth: width - 28, size: ChartTheme.smallSize) }
    }

    /// Height that `notes` take at the bottom of a chart `width` pixels wide.
    static func notesHeight(_ notes: [String], width: Double) -> Double {
        notes.isEmpty ? 0 : Double(noteLines(notes, width: width).count) * 13 + 5
    }

    /// Draws `notes` (skipped values, clipping) in small type at the bottom left, so a reader knows what is
    /// not shown.
    mutating func notes(_ notes: [String]) {
        let lines = SVGWriter.noteLines(notes, width: width)
        for (i, line) in lines.enumerated() {
            let y = height - 8 - Double(lines.count - 1 - i) * 13
            text(line, x: 14, y: y, size: ChartTheme.smallSize, fill: ChartTheme.noteText)
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
        // On a short plot only every n-th tick is labelled, so labels keep a line apart.
        let spacing = scale.ticks.count > 1 ? plot.height / (scale.upper - scale.lower) * scale.step : plot.height
        let every = spacing.isFinite && spacing > 0 ? max(1, Int((14 / spacing).rounded(.up))) : 1
        for (i, tick) in scale.ticks.enumerated() {
            let y = scale.position(tick, from: plot.bottom, to: plot.y)
            if grid { line(x1: plot.x, y1: y, x2: plot.right, y2: y, stroke: ChartTheme.grid) }
            line(x1: plot.x - 4, y1: y, x2: plot.x, y2: y, stroke: ChartTheme.axis)
            if i % every == 0 {
                text(scale.label(tick), x: plot.x - 7, y: y, anchor: .end, fill: ChartTheme.mutedText, centered: true)
            }
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
                // Labels at the ends move inward rather than leave the chart.
                let half = widths[i] / 2
                let shown = min(max(x, half + 2), width - half - 2)
                text(scale.label(tick), x: shown, y: plot.bottom + 17, anchor: .middle, fill: ChartTheme.mutedText)
            }
        }
        line(x1: plot.x, y1: plot.bottom, x2: plot.right, y2: plot.bottom, stroke: ChartTheme.axis)
        guard !label.isEmpty else { return }
        let (shown, truncated) = TextMeasure.truncate(label, maxWidth: plot.width, size: ChartTheme.labelSize)
        text(shown, x: plot.x + plot.width / 2, y: plot.bottom + 38, size: ChartTheme.labelSize, anchor: .middle,
             tooltip: truncated ? label : nil)
    }
}
