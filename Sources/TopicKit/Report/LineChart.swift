/// Lines over a numeric x axis, with labelled marker points (precision–recall curves with the threshold marked).
public struct LineChart: Sendable, Equatable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [LineSeries]
    /// Fixed axes; nil fits the data.
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    public var width: Double
    public var height: Double

    public init(title: String, xLabel: String, yLabel: String, series: [LineSeries],
                xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
                width: Double = 640, height: Double = 440) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.xRange = xRange
        self.yRange = yRange
        self.width = width
        self.height = height
    }

    private static func scale(_ range: ClosedRange<Double>?, _ values: [Double]) -> AxisScale {
        if let r = range, r.lowerBound.isFinite, r.upperBound.isFinite {
            return AxisScale.nice(r.lowerBound, r.upperBound, maxTicks: 6, fixed: true)
        }
        guard let lo = values.min(), let hi = values.max() else { return AxisScale.nice(0, 1, maxTicks: 6, fixed: true) }
        return AxisScale.nice(lo, hi, maxTicks: 6)
    }

    /// The chart as one `<svg>` element.
    public func svg() -> String {
        let chartWidth = max(240, min(4000, width)), chartHeight = max(200, min(4000, height))
        var svg = SVGWriter(width: chartWidth, height: chartHeight)
        var notes: [String] = []
        var finite: [ChartPoint] = []
        var skipped = 0
        for s in series {
            for p in s.points { if p.isFinite { finite.append(p) } else { skipped += 1 } }
            if let m = s.marker { if m.isFinite { finite.append(m) } else { skipped += 1 } }
        }
        if skipped > 0 { notes.append("\(skipped) point\(skipped == 1 ? "" : "s") with NaN or ±∞ coordinates not shown.") }
        let xScale = LineChart.scale(xRange, finite.map(\.x))
        let yScale = LineChart.scale(yRange, finite.map(\.y))
        let outside = series.reduce(0) { total, s in
            total + s.points.filter { $0.isFinite && ($0.x < xScale.lower || $0.x > xScale.upper || $0.y < yScale.lower || $0.y > yScale.upper) }.count
        }
        if outside > 0 { notes.append("\(outside) point\(outside == 1 ? "" : "s") outside the axes (lines are cut at the edge).") }
        for s in series {
            guard let m = s.marker, m.isFinite else { continue }
            if m.x < xScale.lower || m.x > xScale.upper || m.y < yScale.lower || m.y > yScale.upper {
                notes.append("The marker of “\(s.name)” lies outside the axes.")
            }
        }

        let legend = series.enumerated().map { LegendEntry(name: $0.element.name, color: ChartTheme.color($0.offset), swatch: .line) }
        let plot = svg.axesFrame(title: title, legend: legend, notes: notes, x: xScale, xLabel: xLabel, y: yScale, yLabel: yLabel)
        guard !finite.isEmpty else {
            svg.emptyMessage("No data", in: plot)
            svg.notes(notes)
            return svg.document(title: title)
        }
        let px = { (v: Double) in xScale.position(v, from: plot.x, to: plot.right) }
        let py = { (v: Double) in yScale.position(v, from: plot.bottom, to: plot.y) }

        var linePixels: [(Double, Double)] = []
        svg.raw(plot.clipOpen(margin: 2))
        for (si, s) in series.enumerated() {
            // A non-finite point breaks the line; each finite run is its own polyline.
            var runs: [[(Double, Double)]] = [[]]
            for p in s.points {
                guard p.isFinite else { if !runs[runs.count - 1].isEmpty { runs.append([]) }; continue }
                let xy = (px(p.x), py(p.y))
                if let last = runs[runs.count - 1].last {
                    switch s.interpolation {
                    case .straight: break
                    case .stepPost: runs[runs.count - 1].append((xy.0, last.1))
                    case .step: runs[runs.count - 1].append(xy.0 >= last.0 ? (last.0, xy.1) : (xy.0, last.1))
                    }
                }
                runs[runs.count - 1].append(xy)
            }
            for run in runs { LineChart.sample(run, every: 5, into: &linePixels) }
            // A point with no finite neighbour would draw nothing as a line: show it as a dot.
            for run in runs where run.count == 1 {
                svg.circle(cx: run[0].0, cy: run[0].1, r: 2.5, fill: ChartTheme.color(si))
            }
            let d = runs.filter { !$0.isEmpty }.map { PathData.polyline($0) }.joined()
            if !d.isEmpty {
                svg.path(d, stroke: ChartTheme.color(si), strokeWidth: 2, lineCap: "round", lineJoin: "round", tooltip: s.name)
            }
        }
        svg.raw("</svg>")

        // Markers last so lines never hide them; labels avoid each other, the plot edges and other markers.
        var occupied: [(Double, Double, Double, Double)] = []
        var markers: [(Int, ChartPoint, Double, Double)] = []
        for (si, s) in series.enumerated() {
            guard let m = s.marker, m.isFinite else { continue }
            let x = px(m.x), y = py(m.y)
            guard m.x >= xScale.lower, m.x <= xScale.upper, m.y >= yScale.lower, m.y <= yScale.upper else { continue }
            markers.append((si, m, x, y))
            occupied.append((x - 6, y - 6, x + 6, y + 6))
        }
        for (si, m, x, y) in markers {
            let s = series[si]
            svg.circle(cx: x, cy: y, r: 5, fill: ChartTheme.color(si), stroke: "#fff", strokeWidth: 1.5,
                       tooltip: "\(s.name): " + coordinates(m, xScale, yScale))
        }
        for (si, m, x, y) in markers {
            let s = series[si]
            let label = s.markerLabel ?? coordinates(m, xScale, yScale)
            let w = TextMeasure.width(label, size: ChartTheme.tickSize), h = 13.0
            let candidates: [(Double, Double)] = [(9, -9), (9, 13), (-9 - w, -9), (-9 - w, 13), (9, -24), (-9 - w, -24),
                                                  (9, 28), (-9 - w, 28), (-w / 2, -14), (-w / 2, 22)]
            var placed = candidates[0]
            var best = Double.infinity
            for (dx, dy) in candidates {
                let box = (x + dx - 2, y + dy - h + 2, x + dx + w + 2, y + dy + 3)
                var cost = 0.0
                if box.0 < plot.x || box.2 > chartWidth - 4 || box.1 < plot.y - 10 || box.3 > plot.bottom { cost += 1000 }
                for o in occupied {
                    let ox = min(box.2, o.2) - max(box.0, o.0), oy = min(box.3, o.3) - max(box.1, o.1)
                    if ox > 0 && oy > 0 { cost += ox * oy }
                }
                // Lines crossing the label are tolerable (the label has a halo) but worse than a clear spot.
                for p in linePixels where p.0 >= box.0 && p.0 <= box.2 && p.1 >= box.1 && p.1 <= box.3 { cost += 4 }
                if cost < best { best = cost; placed = (dx, dy) }
                if cost == 0 { break }
            }
            occupied.append((x + placed.0 - 2, y + placed.1 - h + 2, x + placed.0 + w + 2, y + placed.1 + 3))
            if abs(placed.1) > 20 {
                // A far label gets a thin leader to its dot.
                let ly = placed.1 < 0 ? y + placed.1 + 3 : y + placed.1 - h + 2
                let lx = min(max(x, x + placed.0), x + placed.0 + w)
                svg.line(x1: x, y1: y + (placed.1 < 0 ? -5 : 5), x2: lx, y2: ly, stroke: ChartTheme.color(si), width: 0.8)
            }
            svg.raw("<text x=\"\(ChartNumber.coordinate(x + placed.0))\" y=\"\(ChartNumber.coordinate(y + placed.1))\" fill=\"\(ChartTheme.color(si))\" font-weight=\"600\" stroke=\"#fff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">"
                    + MarkupText.escapeLine(label) + "</text>")
        }
        svg.notes(notes)
        return svg.document(title: title)
    }

    /// Points along a polyline at most `every` pixels apart (for label placement).
    private static func sample(_ run: [(Double, Double)], every: Double, into out: inout [(Double, Double)]) {
        guard var previous = run.first else { return }
        out.append(previous)
        for p in run.dropFirst() {
            let length = ((p.0 - previous.0) * (p.0 - previous.0) + (p.1 - previous.1) * (p.1 - previous.1)).squareRoot()
            let steps = min(1000, Int(length / every))
            if steps > 0 {
                for k in 1...steps {
                    let t = Double(k) / Double(steps + 1)
                    out.append((previous.0 + (p.0 - previous.0) * t, previous.1 + (p.1 - previous.1) * t))
                }
            }
            out.append(p)
            previous = p
        }
    }

    private func coordinates(_ p: ChartPoint, _ xs: AxisScale, _ ys: AxisScale) -> String {
        let xd = min(6, max(2, 1 - xs.exponent)), yd = min(6, max(2, 1 - ys.exponent))
        return ChartNumber.format(p.x, decimals: xd) + ", " + ChartNumber.format(p.y, decimals: yd)
    }
}
