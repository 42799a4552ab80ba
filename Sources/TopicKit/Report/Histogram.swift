/// Overlaid semi-transparent histograms over a shared binning, with an optional vertical marker line
/// (score histograms of positives and negatives with the decision threshold). Non-empty bins are drawn at
/// least 1.5 px tall so a lone value among thousands still shows; the tooltips give exact counts.
public struct Histogram: Sendable, Equatable {
    public var title: String
    public var xLabel: String
    public var series: [HistogramSeries]
    /// Number of equal-width bins over `range` (clamped to 1...1000).
    public var bins: Int
    /// Values outside are counted in a note, not drawn; the upper bound falls in the last bin.
    public var range: ClosedRange<Double>
    public var marker: Double?
    public var markerLabel: String
    /// Plot each series' share of its values per bin instead of counts (compares series of different sizes).
    public var normalized: Bool
    public var width: Double
    public var height: Double

    public init(title: String, xLabel: String, series: [HistogramSeries], bins: Int, range: ClosedRange<Double>,
                marker: Double? = nil, markerLabel: String = "threshold", normalized: Bool = false,
                width: Double = 640, height: Double = 360) {
        self.title = title
        self.xLabel = xLabel
        self.series = series
        self.bins = bins
        self.range = range
        self.marker = marker
        self.markerLabel = markerLabel
        self.normalized = normalized
        self.width = width
        self.height = height
    }

    /// Counts per bin of each series, and how many values were not finite or fell outside the range.
    func counts() -> (counts: [[Int]], nonFinite: Int, outside: Int, lower: Double, upper: Double) {
        let binCount = max(1, min(1000, bins))
        var lower = range.lowerBound, upper = range.upperBound
        if !lower.isFinite || !upper.isFinite {
            let finite = series.flatMap(\.values).filter(\.isFinite)
            lower = lower.isFinite ? lower : (finite.min() ?? 0)
            upper = upper.isFinite ? upper : (finite.max() ?? 1)
        }
        if upper < lower { swap(&lower, &upper) }
        lower = max(lower, -1e300)
        upper = min(upper, 1e300)
        if upper - lower <= 0 { lower -= 0.5; upper += 0.5 }
        var nonFinite = 0, outside = 0
        let counts = series.map { s -> [Int] in
            var c = [Int](repeating: 0, count: binCount)
            for v in s.values {
                guard v.isFinite else { nonFinite += 1; continue }
                guard v >= lower, v <= upper else { outside += 1; continue }
                let position = (v - lower) / (upper - lower) * Double(binCount)
                c[position.isFinite ? min(binCount - 1, max(0, Int(position))) : 0] += 1
            }
            return c
        }
        return (counts, nonFinite, outside, lower, upper)
    }

    /// The chart as one `<svg>` element.
    public func svg() -> String {
        let chartWidth = max(240, min(4000, width)), chartHeight = max(200, min(4000, height))
        var svg = SVGWriter(width: chartWidth, height: chartHeight)
        let (counts, nonFinite, outside, lower, upper) = counts()
        let binCount = counts.first?.count ?? max(1, min(1000, bins))
        var notes: [String] = []
        if nonFinite > 0 { notes.append("\(nonFinite) non-finite value\(nonFinite == 1 ? "" : "s") (NaN or ±∞) not shown.") }
        if outside > 0 {
            notes.append("\(outside) value\(outside == 1 ? "" : "s") outside \(ChartNumber.general(lower))–\(ChartNumber.general(upper)) not shown.")
        }
        if let marker, !(marker >= lower && marker <= upper) {
            notes.append("The \(markerLabel.isEmpty ? "marker" : markerLabel) (\(ChartNumber.general(marker))) lies outside the range.")
        }
        if bins != binCount { notes.append("\(bins) bins requested, \(binCount) drawn.") }
        let heights: [[Double]] = counts.map { c in
            let total = c.reduce(0, +)
            return c.map { normalized ? (total > 0 ? Double($0) / Double(total) : 0) : Double($0) }
        }
        let highest = heights.flatMap { $0 }.max() ?? 0
        let yScale = AxisScale.nice(0, highest > 0 ? highest : 1, maxTicks: 6)
        let xScale = AxisScale.nice(lower, upper, maxTicks: 8, fixed: true)

        let legend = series.enumerated().map { entry -> LegendEntry in
            let n = entry.element.values.count
            return LegendEntry(name: entry.element.name, color: ChartTheme.color(entry.offset), swatch: .box(opacity: 0.45), detail: "(\(n))")
        }
        let plot = svg.axesFrame(title: title, legend: legend, legendGap: 16, notes: notes, x: xScale, xLabel: xLabel,
                                 xGrid: false, y: yScale, yLabel: normalized ? "share of values" : "count")
        guard !series.isEmpty, highest > 0 else {
            svg.emptyMessage("No data", in: plot)
            svg.notes(notes)
            return svg.document(title: title)
        }
        let binWidth = (upper - lower) / Double(binCount)
        let px = { (v: Double) in xScale.position(v, from: plot.x, to: plot.right) }
        let py = { (v: Double) in yScale.position(v, from: plot.bottom, to: plot.y) }
        let c = ChartNumber.coordinate
        for (si, h) in heights.enumerated() {
            let color = ChartTheme.color(si)
            // Filled bins as one path, then the outline as a step line so overlapping series stay readable.
            var fill = ""
            var outline = ""
            var penDown = false
            for b in 0..<binCount {
                // A non-empty bin stays visible (at least 1.5 px) even when it holds one value among thousands.
                let x0 = px(lower + Double(b) * binWidth), x1 = px(lower + Double(b + 1) * binWidth)
                let y = min(py(h[b]), plot.bottom - 1.5)
                guard h[b] > 0 else {
                    if penDown { outline += "V\(c(plot.bottom))" }
                    penDown = false
                    continue
                }
                fill += "M\(c(x0)) \(c(plot.bottom))V\(c(y))H\(c(x1))V\(c(plot.bottom))z"
                if !penDown { outline += "M\(c(x0)) \(c(plot.bottom))" }
                outline += "V\(c(y))H\(c(x1))"
                penDown = true
            }
            if penDown { outline += "V\(c(plot.bottom))" }
            guard !fill.isEmpty else { continue }
            svg.path(fill, fill: color, fillOpacity: 0.4)
            svg.path(outline, stroke: color, strokeWidth: 1.6, lineJoin: "round", tooltip: series[si].name)
        }
        // Invisible full-height bins carry the exact counts as tooltips.
        let decimals = max(0, -xScale.exponent + 1)
        for b in 0..<binCount {
            let from = lower + Double(b) * binWidth, to = lower + Double(b + 1) * binWidth
            let counts = series.indices.map { "\(series[$0].name): \(counts[$0][b])" }.joined(separator: ", ")
            svg.rect(x: px(from), y: plot.y, width: px(to) - px(from), height: plot.height, fill: "#fff", opacity: 0,
                     tooltip: ChartNumber.format(from, decimals: decimals) + "–" + ChartNumber.format(to, decimals: decimals) + ": " + counts)
        }
        if let marker, marker.isFinite, marker >= lower, marker <= upper {
            let x = px(marker)
            svg.line(x1: x, y1: plot.y - 4, x2: x, y2: plot.bottom, stroke: "#222", width: 1.5, dash: "5 3")
            let label = markerLabel.isEmpty ? ChartNumber.general(marker) : "\(markerLabel) \(ChartNumber.general(marker))"
            let w = TextMeasure.width(label, size: ChartTheme.tickSize)
            let right = x + 5 + w <= plot.right
            svg.raw("<text x=\"\(c(right ? x + 5 : x - 5))\" y=\"\(c(plot.y + 8))\"" + (right ? "" : " text-anchor=\"end\"")
                    + " font-weight=\"600\" stroke=\"#fff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">"
                    + MarkupText.escapeLine(label) + "</text>")
        }
        svg.notes(notes)
        return svg.document(title: title)
    }
}
