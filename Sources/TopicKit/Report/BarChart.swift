import Foundation

/// Grouped vertical bars, one group per category and one bar per series, with optional error bars and value
/// labels (per-tag F1 of several models side by side, with CV std as error bars).
public struct BarChart: Sendable, Equatable {
    public var title: String
    public var categories: [String]
    public var series: [BarSeries]
    public var yLabel: String
    /// Fixed value axis; nil fits the data (always including 0).
    public var yRange: ClosedRange<Double>?
    /// Width in pixels; nil sizes the chart to the number of bars.
    public var width: Double?
    public var height: Double

    public init(title: String, categories: [String], series: [BarSeries], yLabel: String,
                yRange: ClosedRange<Double>? = nil, width: Double? = nil, height: Double = 380) {
        self.title = title
        self.categories = categories
        self.series = series
        self.yLabel = yLabel
        self.yRange = yRange
        self.width = width
        self.height = height
    }

    /// Value of `series` at `category`, nil when absent or not finite.
    private func value(_ s: BarSeries, _ i: Int) -> Double? {
        guard i < s.values.count, s.values[i].isFinite else { return nil }
        return s.values[i]
    }

    private func error(_ s: BarSeries, _ i: Int) -> Double? {
        guard let errors = s.errors, i < errors.count, errors[i].isFinite, errors[i] > 0 else { return nil }
        return errors[i]
    }

    /// The chart as one `<svg>` element.
    public func svg() -> String {
        let groupWidth = max(64, Double(max(1, series.count)) * 24 + 24)
        let chartWidth = max(240, min(4000, width ?? min(1100, max(560, 110 + Double(categories.count) * groupWidth))))
        let chartHeight = max(200, min(4000, height))
        var svg = SVGWriter(width: chartWidth, height: chartHeight)
        var notes: [String] = []

        var skipped = 0, lowest = 0.0, highest = 0.0
        for s in series {
            for i in 0..<min(s.values.count, categories.count) {
                guard let v = value(s, i) else { if !s.values[i].isFinite { skipped += 1 }; continue }
                let e = error(s, i) ?? 0
                lowest = min(lowest, v - e)
                highest = max(highest, v + e)
            }
            if s.values.count != categories.count {
                notes.append("“\(s.name)” has \(s.values.count) values for \(categories.count) categories; extra values are not shown.")
            }
        }
        if skipped > 0 { notes.append("\(skipped) non-finite value\(skipped == 1 ? "" : "s") (NaN or ±∞) not shown.") }
        let scale: AxisScale
        if let r = yRange, r.lowerBound.isFinite, r.upperBound.isFinite {
            scale = AxisScale.nice(r.lowerBound, r.upperBound, maxTicks: 6, fixed: true)
        } else {
            scale = AxisScale.nice(lowest, highest, maxTicks: 6)
        }

        var top = svg.title(title)
        let legend = series.count > 1
            ? series.enumerated().map { LegendEntry(name: $0.element.name, color: ChartTheme.color($0.offset), swatch: .box(opacity: 1)) }
            : []
        top += svg.legend(legend, top: top)
        top += 18
        let band0 = (chartWidth - 90) / Double(max(1, categories.count))
        let labels = CategoryLabels(categories, band: band0)
        let left = max(34 + SVGWriter.tickLabelWidth(scale), labels.leftOverhang - band0 / 2 + 14)
        let bottom = labels.height + (yLabel.isEmpty ? 6 : 6) + SVGWriter.notesHeight(notes)
        let plot = PlotRect(x: left, y: top, width: chartWidth - left - 16, height: max(40, chartHeight - top - bottom))
        svg.yAxis(scale, plot: plot, label: yLabel)

        guard !categories.isEmpty, !series.isEmpty else {
            svg.emptyMessage("No data", in: plot)
            svg.notes(notes)
            return svg.document(title: title)
        }
        let band = plot.width / Double(categories.count)
        let padding = band * (series.count == 1 ? 0.2 : 0.12)
        let barWidth = (band - 2 * padding) / Double(series.count)
        let baseline = scale.position(min(max(0, scale.lower), scale.upper), from: plot.bottom, to: plot.y)
        let clamp = { (v: Double) in min(max(v, scale.lower), scale.upper) }
        var clipped = 0

        svg.raw(plot.clipOpen)
        for (si, s) in series.enumerated() {
            let color = ChartTheme.color(si)
            for ci in categories.indices {
                guard let v = value(s, ci) else { continue }
                if v < scale.lower || v > scale.upper { clipped += 1 }
                let x = plot.x + Double(ci) * band + padding + Double(si) * barWidth
                let y = scale.position(clamp(v), from: plot.bottom, to: plot.y)
                let e = error(s, ci)
                let tip = "\(categories[ci]) — \(s.name): \(valueLabel(v, scale))" + (e.map { " ± " + valueLabel($0, scale) } ?? "")
                svg.rect(x: x + 0.5, y: min(y, baseline), width: max(1, barWidth - 1), height: abs(baseline - y), fill: color, tooltip: tip)
            }
        }
        for (si, s) in series.enumerated() {
            for ci in categories.indices {
                guard let v = value(s, ci), let e = error(s, ci) else { continue }
                let center = plot.x + Double(ci) * band + padding + (Double(si) + 0.5) * barWidth
                let y1 = scale.position(clamp(v - e), from: plot.bottom, to: plot.y)
                let y2 = scale.position(clamp(v + e), from: plot.bottom, to: plot.y)
                let cap = min(barWidth * 0.25, 5)
                svg.path("M\(c(center)) \(c(y1))V\(c(y2))M\(c(center - cap)) \(c(y1))h\(c(2 * cap))M\(c(center - cap)) \(c(y2))h\(c(2 * cap))",
                         stroke: "#222", strokeWidth: 1.3)
            }
        }
        svg.line(x1: plot.x, y1: baseline, x2: plot.right, y2: baseline, stroke: ChartTheme.axis)
        svg.raw("</svg>")

        // Value labels: above the bar (and its error bar) when they fit its width, else turned 90°, else only in the tooltip.
        for (si, s) in series.enumerated() {
            for ci in categories.indices {
                guard let v = value(s, ci) else { continue }
                let label = valueLabel(v, scale)
                let center = plot.x + Double(ci) * band + padding + (Double(si) + 0.5) * barWidth
                let reach = v >= 0 ? clamp(v + (error(s, ci) ?? 0)) : clamp(v)
                let anchorY = scale.position(reach, from: plot.bottom, to: plot.y)
                let w = TextMeasure.width(label, size: ChartTheme.smallSize)
                let above = v >= 0 ? anchorY - 4 : min(baseline, anchorY) - 4
                if w <= barWidth + 2 {
                    svg.text(label, x: center, y: above, size: ChartTheme.smallSize, anchor: .middle, fill: ChartTheme.mutedText)
                } else if barWidth >= 9, above - w >= plot.y - 16 {
                    svg.text(label, x: center, y: above, size: ChartTheme.smallSize, fill: ChartTheme.mutedText,
                             centered: true, rotate: -90)
                }
            }
        }
        let centers = categories.indices.map { plot.x + (Double($0) + 0.5) * band }
        labels.draw(into: &svg, centers: centers, y: plot.bottom)
        if clipped > 0 { notes.append("\(clipped) value\(clipped == 1 ? "" : "s") outside the axis range, drawn clipped.") }
        svg.notes(notes)
        return svg.document(title: title)
    }

    private func c(_ v: Double) -> String { ChartNumber.coordinate(v) }

    /// Bar labels: integers as such, otherwise one decimal more than the axis ticks.
    private func valueLabel(_ v: Double, _ scale: AxisScale) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return ChartNumber.format(v, decimals: 0) }
        return ChartNumber.format(v, decimals: min(6, max(1, 1 - scale.exponent)))
    }
}
