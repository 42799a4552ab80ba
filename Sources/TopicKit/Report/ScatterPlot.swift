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
    public var width: Double
    public var height: Double

    public init(title: String, xLabel: String, yLabel: String, points: [ChartPoint], groups: [Int], groupNames: [String],
                width: Double = 640, height: Double = 560) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.points = points
        self.groups = groups
        self.groupNames = groupNames
        self.width = width
        self.height = height
    }

    /// The chart as one `<svg>` element.
    public func svg() -> String {
        let chartWidth = max(240, min(4000, width)), chartHeight = max(200, min(4000, height))
        var svg = SVGWriter(width: chartWidth, height: chartHeight)
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
        let xScale = drawn > 0 ? AxisScale.nice(lo.x, hi.x, maxTicks: 7) : AxisScale.nice(0, 1, maxTicks: 6, fixed: true)
        let yScale = drawn > 0 ? AxisScale.nice(lo.y, hi.y, maxTicks: 7) : AxisScale.nice(0, 1, maxTicks: 6, fixed: true)

        var top = svg.title(title)
        var legend: [LegendEntry] = []
        for g in 0...groupCount where g < groupCount || !members[g].isEmpty {
            let name = g < groupCount ? groupNames[g] : "other"
            legend.append(LegendEntry(name: "\(name) (\(members[g].count))", color: color(g), swatch: .marker(shape: shape(g))))
        }
        top += svg.legend(legend, top: top) + 12
        let left = 34 + SVGWriter.tickLabelWidth(yScale)
        let bottom = 46 + SVGWriter.notesHeight(notes)
        let plot = PlotRect(x: left, y: top, width: chartWidth - left - 20, height: max(40, chartHeight - top - bottom))
        svg.yAxis(yScale, plot: plot, label: yLabel)
        svg.xAxis(xScale, plot: plot, label: xLabel)
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
        svg.notes(notes)
        return svg.document(title: title)
    }

    private func color(_ group: Int) -> String { group < groupNames.count ? ChartTheme.color(group) : "#b0b0b0" }

    private func shape(_ group: Int) -> MarkerShape {
        group < groupNames.count ? MarkerShape.allCases[(group / ChartTheme.palette.count) % MarkerShape.allCases.count] : .circle
    }
}
