/// Points coloured by group with a legend of group names (a 2-D map of papers coloured by cluster). Built
/// for up to ~100k points: one path per group, a few bytes per point, coincident points drawn once.
public struct ScatterPlot: Sendable, Equatable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var points: [ChartPoint]
    /// Group index of each point (into `groupNames`); points without a valid group are drawn grey as "other".
    public var groups: [Int]
    public var groupNames: [String]
    /// Print each group's name at the median of its points (a map that reads without the legend).
    public var labelGroups: Bool
    public var width: Double
    public var height: Double

    public init(title: String, xLabel: String, yLabel: String, points: [ChartPoint], groups: [Int], groupNames: [String],
                labelGroups: Bool = false, width: Double = 640, height: Double = 560) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.points = points
        self.groups = groups
        self.groupNames = groupNames
        self.labelGroups = labelGroups
        self.width = width
        self.height = height
    }

    /// The chart as one `<svg>` element.
    public func svg() -> String {
        let chartWidth = max(240, min(4000, width))
        var notes: [String] = []
        let groupCount = groupNames.count
        // Group index per point; `groupCount` stands for "other".
        var members = [[Int]](repeating: [], count: groupCount + 1)
        var skipped = 0, lo = ChartPoint(x: .infinity, y: .infinity), hi = ChartPoint(x: -.infinity, y: -.infinity)
        for (i, p) in points.enumerated() {
            guard p.isFinite else { skipped += 1; continue }
            let g = i < groups.count && groups[i] >= 0 && groups[i] < groupCount ? groups[i] : groupCount
            members[g].append(i)
            lo = ChartPoint(x: min(lo.x, p.x), y: min(lo.y, p.y))
            hi = ChartPoint(x: max(hi.x, p.x), y: max(hi.y, p.y))
        }
        if skipped > 0 { notes.append("\(skipped) point\(skipped == 1 ? "" : "s") with NaN or ±∞ coordinates not shown.") }
        if groups.count != points.count { notes.append("\(groups.count) group indices for \(points.count) points.") }
        let drawn = points.count - skipped
        // The data's own extent plus a 4% margin (widening to the next ticks could waste half the plot).
        let padded = { (a: Double, b: Double) -> AxisScale in
            let margin = b > a ? (b / 2 - a / 2) * 0.08 : 0
            return AxisScale.nice(a - margin, b + margin, maxTicks: 7, fixed: true)
        }
        let xScale = drawn > 0 ? padded(lo.x, hi.x) : AxisScale.nice(0, 1, maxTicks: 6, fixed: true)
        let yScale = drawn > 0 ? padded(lo.y, hi.y) : AxisScale.nice(0, 1, maxTicks: 6, fixed: true)

        var legend: [LegendEntry] = []
        for g in 0...groupCount where g < groupCount || !members[g].isEmpty {
            let name = g < groupCount ? groupNames[g] : "other"
            legend.append(LegendEntry(name: name, color: color(g), swatch: .marker(shape: shape(g)), detail: "(\(members[g].count))"))
        }
        // A long legend makes the chart taller instead of squashing the plot.
        let chartHeight = max(200, min(4000, height + max(0, SVGWriter.legendHeight(legend, width: chartWidth) - 40)))
        var svg = SVGWriter(width: chartWidth, height: chartHeight)
        let plot = svg.axesFrame(title: title, legend: legend, notes: notes, x: xScale, xLabel: xLabel, y: yScale, yLabel: yLabel)
        guard drawn > 0 else {
            svg.emptyMessage("No data", in: plot)
            svg.notes(notes)
            return svg.document(title: title)
        }
        let radius = drawn > 20_000 ? 1.3 : drawn > 2_000 ? 2.0 : 3.0
        let opacity = drawn > 20_000 ? 0.55 : drawn > 2_000 ? 0.7 : 0.85
        svg.raw(plot.clipOpen)
        for g in 0...groupCount where !members[g].isEmpty {
            var seen = Set<Int64>()
            var d = ""
            let markerShape = shape(g)
            for i in members[g] {
                let p = points[i]
                let x = xScale.position(p.x, from: plot.x, to: plot.right)
                let y = yScale.position(p.y, from: plot.bottom, to: plot.y)
                // Points that print to the same coordinates would be drawn over each other: keep one.
                let key = Int64((x * 10).rounded()) &* 1_000_003 &+ Int64((y * 10).rounded())
                guard seen.insert(key).inserted else { continue }
                d += markerShape.subpath(x: x, y: y, radius: radius)
            }
            let name = g < groupCount ? groupNames[g] : "other"
            if markerShape.isStroked {
                svg.path(d, stroke: color(g), strokeWidth: radius * 2, strokeOpacity: opacity,
                         lineCap: markerShape == .circle ? "round" : "square", tooltip: name)
            } else {
                svg.path(d, fill: color(g), fillOpacity: opacity, tooltip: name)
            }
        }
        svg.raw("</svg>")
        if labelGroups {
            for g in 0..<groupCount where !members[g].isEmpty {
                let xs = members[g].map { points[$0].x }.sorted(), ys = members[g].map { points[$0].y }.sorted()
                let x = xScale.position(xs[xs.count / 2], from: plot.x, to: plot.right)
                let y = yScale.position(ys[ys.count / 2], from: plot.bottom, to: plot.y)
                let (label, _) = TextMeasure.truncate(groupNames[g], maxWidth: 140, size: ChartTheme.labelSize)
                svg.raw("<text x=\"\(ChartNumber.coordinate(x))\" y=\"\(ChartNumber.coordinate(y))\" dy=\"0.35em\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"600\" stroke=\"#fff\" stroke-width=\"3.5\" stroke-linejoin=\"round\" paint-order=\"stroke\">"
                        + MarkupText.escapeLine(label) + "</text>")
            }
        }
        svg.notes(notes)
        return svg.document(title: title)
    }

    private func color(_ group: Int) -> String { group < groupNames.count ? ChartTheme.color(group) : "#b0b0b0" }

    private func shape(_ group: Int) -> MarkerShape {
        group < groupNames.count ? MarkerShape.allCases[(group / ChartTheme.palette.count) % MarkerShape.allCases.count] : .circle
    }
}
