import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import TopicKit

/// Elements of a parsed SVG (or any XML) document, in document order.
private final class XMLElements: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        /// Text of the element and its descendants.
        var text = ""
        /// Text directly inside the element (without e.g. a `<title>` tooltip child).
        var ownText = ""
    }

    private(set) var elements: [Element] = []
    private var open: [Int] = []
    private(set) var error: Error?

    /// Parses `xml`; nil when it is not well-formed.
    static func parse(_ xml: String) -> XMLElements? {
        let collector = XMLElements()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = collector
        return parser.parse() ? collector : nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        open.append(elements.count)
        elements.append(Element(name: name, attributes: attributes))
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        open.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        for i in open { elements[i].text += string }
        if let i = open.last { elements[i].ownText += string }
    }

    func named(_ name: String) -> [Element] { elements.filter { $0.name == name } }
}

final class ReportTests: XCTestCase {
    private func parsed(_ svg: String, file: StaticString = #filePath, line: UInt = #line) -> XMLElements {
        guard let tree = XMLElements.parse(svg) else {
            XCTFail("not well-formed XML: \(svg.prefix(300))", file: file, line: line)
            return XMLElements()
        }
        let root = tree.elements.first
        XCTAssertEqual(root?.name, "svg", file: file, line: line)
        XCTAssertNotNil(root?.attributes["viewBox"], file: file, line: line)
        XCTAssertNotNil(root?.attributes["width"], file: file, line: line)
        XCTAssertNotNil(root?.attributes["height"], file: file, line: line)
        XCTAssertTrue(root?.attributes["font-family"]?.hasSuffix("sans-serif") ?? false, file: file, line: line)
        return tree
    }

    // MARK: numbers and ticks

    func testNumberFormattingIsLocaleFreeAndRoundsHalfAwayFromZero() {
        XCTAssertEqual(ChartNumber.format(0.5, decimals: 2), "0.50")
        XCTAssertEqual(ChartNumber.format(1234.5, decimals: 0), "1235")
        XCTAssertEqual(ChartNumber.format(-1.25, decimals: 1), "\u{2212}1.3")
        XCTAssertEqual(ChartNumber.format(-0.004, decimals: 2), "0.00", "no negative zero")
        XCTAssertEqual(ChartNumber.format(0.07, decimals: 3), "0.070")
        XCTAssertEqual(ChartNumber.format(.nan, decimals: 2), "NaN")
        XCTAssertEqual(ChartNumber.format(-.infinity, decimals: 2), "\u{2212}∞")
        XCTAssertEqual(ChartNumber.coordinate(12.0), "12")
        XCTAssertEqual(ChartNumber.coordinate(3.25), "3.3")
        XCTAssertEqual(ChartNumber.coordinate(-0.04), "0")
        XCTAssertEqual(ChartNumber.coordinate(-7.5), "-7.5")
        XCTAssertEqual(ChartNumber.general(42), "42")
        XCTAssertEqual(ChartNumber.general(0.8333), "0.83")
        XCTAssertEqual(ChartNumber.general(12.345), "12.3")
        XCTAssertEqual(ChartNumber.general(123.6), "124")
    }

    func testNiceTicks() {
        let unit = AxisScale.nice(0, 1, maxTicks: 6)
        XCTAssertEqual(unit.ticks, [0, 0.2, 0.4, 0.6, 0.8, 1])
        XCTAssertEqual(unit.ticks.map(unit.label), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])

        let f1 = AxisScale.nice(0, 0.93, maxTicks: 6)
        XCTAssertEqual(f1.upper, 1)
        XCTAssertEqual(f1.step, 0.2)

        let hundred = AxisScale.nice(0, 87, maxTicks: 6)
        XCTAssertEqual(hundred.ticks, [0, 20, 40, 60, 80, 100])
        XCTAssertEqual(hundred.ticks.map(hundred.label), ["0", "20", "40", "60", "80", "100"])

        // 0–110 by 50 would leave a quarter of the axis empty: one tick more, by 20.
        XCTAssertEqual(AxisScale.nice(0, 110, maxTicks: 6).ticks, [0, 20, 40, 60, 80, 100, 120])

        let mixed = AxisScale.nice(-3, 7, maxTicks: 6)
        XCTAssertEqual(mixed.ticks, [-4, -2, 0, 2, 4, 6, 8])

        let small = AxisScale.nice(0.001, 0.0095, maxTicks: 6)
        XCTAssertEqual(small.ticks, [0, 0.002, 0.004, 0.006, 0.008, 0.01])
        XCTAssertEqual(small.label(0.004), "0.004")

        // A fixed domain keeps its bounds and puts ticks only inside it.
        let fixed = AxisScale.nice(0.05, 0.97, maxTicks: 6, fixed: true)
        XCTAssertEqual(fixed.lower, 0.05)
        XCTAssertEqual(fixed.upper, 0.97)
        XCTAssertEqual(fixed.ticks, [0.2, 0.4, 0.6, 0.8])

        let large = AxisScale.nice(0, 23_000, maxTicks: 6)
        XCTAssertEqual(large.ticks.map(large.label), ["0", "5k", "10k", "15k", "20k", "25k"])

        let huge = AxisScale.nice(0, 3e12, maxTicks: 4)
        XCTAssertEqual(huge.ticks.map(huge.label), ["0", "1e12", "2e12", "3e12"])
        let tiny = AxisScale.nice(0, 3.2e-8, maxTicks: 5)
        XCTAssertEqual(tiny.ticks.map(tiny.label), ["0", "1e\u{2212}8", "2e\u{2212}8", "3e\u{2212}8", "4e\u{2212}8"])

        // Degenerate domains: zero width, reversed, non-finite.
        let flat = AxisScale.nice(5, 5)
        XCTAssertLessThan(flat.lower, 5)
        XCTAssertGreaterThan(flat.upper, 5)
        XCTAssertGreaterThanOrEqual(flat.ticks.count, 2)
        let zero = AxisScale.nice(0, 0)
        XCTAssertEqual(zero.lower, 0)
        XCTAssertEqual(zero.upper, 1)
        XCTAssertEqual(AxisScale.nice(1, 0).ticks, unit.ticks)
        XCTAssertEqual(AxisScale.nice(.nan, .infinity).ticks, unit.ticks)
    }

    func testTickCountNeverExceedsLimitOnRandomDomains() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<500 {
            let a = Double(rng.nextGaussian()) * pow(10, Double(Int(rng.next() % 31)) - 15)
            let b = a + Double(rng.nextUnitFloat()) * pow(10, Double(Int(rng.next() % 31)) - 15)
            let limit = 3 + Int(rng.next() % 6)
            for fixed in [false, true] {
                let s = AxisScale.nice(a, b, maxTicks: limit, fixed: fixed)
                // One tick over the limit is allowed when it wastes clearly less of a widened axis.
                XCTAssertLessThanOrEqual(s.ticks.count, fixed ? limit : limit + 1)
                XCTAssertGreaterThanOrEqual(s.ticks.count, fixed ? 1 : 2)
                // Within a billionth of a step (the tolerance that keeps float noise from adding a tick).
                XCTAssertLessThanOrEqual(s.lower, a + s.step * 1e-9)
                XCTAssertGreaterThanOrEqual(s.upper, b - s.step * 1e-9)
                let mantissa = s.step / pow(10, Double(s.exponent))
                XCTAssertTrue([1, 2, 5].contains { abs($0 - mantissa) < 1e-9 }, "step \(s.step)")
                XCTAssertEqual(Set(s.ticks.map(s.label)).count, s.ticks.count, "tick labels must differ: \(s.ticks)")
            }
        }
    }

    // MARK: geometry

    func testBarGeometryOnAUnitAxis() {
        // One series, no legend: plot top = 36 (title) + 18 (headroom) = 54; bottom margin = 20 (labels) + 6;
        // height 380 → plot 300 px tall, so 0.5 is a 150 px bar from y 204 and 1.0 reaches the top at 54.
        let chart = BarChart(title: "F1", categories: ["nas", "kv-cache"], series: [BarSeries(name: "model", values: [0.5, 1])],
                             yLabel: "F1", yRange: 0...1, width: 600, height: 380)
        let tree = parsed(chart.svg())
        let bars = tree.named("rect").filter { $0.text.contains("model") }
        XCTAssertEqual(bars.count, 2)
        XCTAssertEqual(bars.first?.attributes["height"], "150")
        XCTAssertEqual(bars.first?.attributes["y"], "204")
        XCTAssertEqual(bars.last?.attributes["height"], "300")
        XCTAssertEqual(bars.last?.attributes["y"], "54")
        XCTAssertEqual(bars.first?.attributes["width"], bars.last?.attributes["width"])
        let texts = tree.named("text").map(\.text)
        XCTAssertTrue(texts.contains("0.50"), "value label: \(texts)")
        XCTAssertTrue(texts.contains("1.00"), "1 is labelled like the other F1 values")
        XCTAssertTrue(texts.contains("kv-cache"))
        XCTAssertTrue(texts.contains("0.4"), "tick label")
    }

    func testGroupedBarsWithErrorBarsAndLegend() {
        let chart = BarChart(title: "Per-tag F1", categories: ["a", "b", "c"],
                             series: [BarSeries(name: "old", values: [0.2, 0.4, 0.6], errors: [0.05, 0.1, 0.02]),
                                      BarSeries(name: "new", values: [0.3, 0.5, 0.7])],
                             yLabel: "F1", yRange: 0...1)
        let tree = parsed(chart.svg())
        let bars = tree.named("rect").filter { $0.text.contains(" — ") }
        XCTAssertEqual(bars.count, 6)
        XCTAssertTrue(bars[0].text.contains("± 0.05"), bars[0].text)
        // Same category, two series: adjacent, distinct fills.
        XCTAssertNotEqual(bars[0].attributes["fill"], bars[3].attributes["fill"])
        let errorBars = tree.named("path").filter { $0.attributes["stroke"] == "#222" }
        XCTAssertEqual(errorBars.count, 3)
        let texts = tree.named("text").map(\.text)
        XCTAssertTrue(texts.contains("old") && texts.contains("new"), "legend names")
        let missing = BarChart(title: "t", categories: ["nas", "kv-cache"], series: [BarSeries(name: "A", values: [0.5, 0.6]), BarSeries(name: "B", values: [0.4, .nan])], yLabel: "F1")
        XCTAssertTrue(parsed(missing.svg()).named("text").map(\.text).contains("No value (NaN or ±∞) for kv-cache (B)."))
        let counts = parsed(BarChart(title: "t", categories: ["a", "b"], series: [BarSeries(name: "s", values: [3, 12])], yLabel: "papers").svg())
        XCTAssertTrue(counts.named("text").map(\.text).contains("12"), "counts have no decimals")
    }

    func testHistogramBinsCountsAndMarker() {
        let h = Histogram(title: "Scores", xLabel: "score",
                          series: [HistogramSeries(name: "pos", values: [0, 0.1, 0.5, 1, 1.5, .nan])],
                          bins: 2, range: 0...1, marker: 0.42)
        let (counts, nonFinite, outside, _, _) = h.counts()
        XCTAssertEqual(counts, [[2, 2]])
        XCTAssertEqual(nonFinite, 1)
        XCTAssertEqual(outside, 1)
        let tree = parsed(h.svg())
        let texts = tree.named("text").map(\.text)
        XCTAssertTrue(texts.contains("threshold 0.42"), "\(texts)")
        XCTAssertTrue(texts.contains { $0.contains("1 non-finite value") })
        XCTAssertTrue(texts.contains { $0.contains("1 value outside") })
        XCTAssertEqual(tree.named("line").filter { $0.attributes["stroke-dasharray"] != nil }.count, 1)
        let tips = tree.named("title").map(\.text)
        XCTAssertTrue(tips.contains("0.00–0.50: pos: 2"), "\(tips)")
        XCTAssertTrue(tips.contains("0.50–1.00: pos: 2"))
    }

    func testOneValueAmongThousandsStaysVisible() {
        let h = Histogram(title: "t", xLabel: "score", series: [HistogramSeries(name: "neg", values: Array(repeating: 0.01, count: 5000) + [0.99])],
                          bins: 10, range: 0...1, normalized: true)
        let fill = parsed(h.svg()).named("path").first { $0.attributes["fill-opacity"] != nil }?.attributes["d"] ?? ""
        // Two filled bins; the lone value's bin rises 1.5 px above the axis instead of 0.06 px.
        let bins = fill.split(separator: "M")
        XCTAssertEqual(bins.count, 2, fill)
        let parts = bins[1].split(whereSeparator: { "VHz ".contains($0) }).compactMap { Double($0) }
        XCTAssertEqual(parts.count, 5, String(bins[1]))
        XCTAssertEqual(parts[1] - parts[2], 1.5, accuracy: 0.11, String(bins[1]))
    }

    func testLineChartMarkerAndStepInterpolation() {
        let pr = LineSeries(name: "nas", points: [ChartPoint(x: 0, y: 1), ChartPoint(x: 0.5, y: 0.8), ChartPoint(x: 1, y: 0.4)],
                            marker: ChartPoint(x: 0.5, y: 0.8), interpolation: .step)
        let chart = LineChart(title: "PR", xLabel: "recall", yLabel: "precision", series: [pr], xRange: 0...1, yRange: 0...1)
        let tree = parsed(chart.svg())
        let line = tree.named("path").first { $0.text == "nas" }
        // Three points joined by steps: 1 move + 2 × (horizontal + vertical) segments.
        XCTAssertEqual(line?.attributes["d"]?.filter { $0 == "L" }.count, 4)
        XCTAssertEqual(tree.named("circle").count, 1)
        XCTAssertTrue(tree.named("text").contains { $0.text == "0.50, 0.80" })

        // `.step` holds the right-hand point's level (average precision's convention) in either order;
        // `.stepPost` holds each point's level until the next one. Vertices as [(x, y)] in path order:
        let vertices = { (points: [ChartPoint], interpolation: LineSeries.Interpolation) -> [[String]] in
            let svg = LineChart(title: "PR", xLabel: "recall", yLabel: "precision",
                                series: [LineSeries(name: "nas", points: points, interpolation: interpolation)], xRange: 0...1, yRange: 0...1).svg()
            let d = XMLElements.parse(svg)?.named("path").first { $0.text == "nas" }?.attributes["d"] ?? ""
            return d.split(whereSeparator: { $0 == "M" || $0 == "L" }).map { $0.split(separator: " ").map(String.init) }
        }
        let up = vertices(pr.points, .step)
        XCTAssertEqual(up.count, 5)
        guard up.count == 5 else { return }
        let (p0, p1, p2) = (up[0], up[2], up[4])
        XCTAssertEqual(up[1], [p0[0], p1[1]], "down at recall 0 to 0.8, then across")
        XCTAssertEqual(up[3], [p1[0], p2[1]])
        XCTAssertEqual(vertices(pr.points.reversed(), .step), up.reversed(), "same curve for decreasing recall")
        let post = vertices(pr.points, .stepPost)
        XCTAssertEqual(post, [p0, [p1[0], p0[1]], p1, [p2[0], p1[1]], p2])
    }

    func testHeatmapColoursAndContrastingText() {
        let map = Heatmap(title: "Co-occurrence", rowLabels: ["a", "b"], columnLabels: ["a", "b"], values: [[10, 2], [2, 0]])
        let tree = parsed(map.svg())
        let cells = tree.named("rect").filter { $0.text.contains(" × ") }
        XCTAssertEqual(cells.count, 4)
        XCTAssertEqual(cells[0].attributes["fill"], "#08306b", "the highest value gets the darkest colour")
        XCTAssertEqual(cells[3].attributes["fill"], "#f7fbff", "the lowest value gets the lightest colour")
        let values = tree.named("text").filter { ["10", "2", "0"].contains($0.text) }
        XCTAssertEqual(values.first { $0.text == "10" }?.attributes["fill"], "#fff")
        XCTAssertEqual(values.first { $0.text == "0" }?.attributes["fill"], "#1a1a1a")
        let custom = Heatmap(title: "t", rowLabels: ["r"], columnLabels: ["c"], values: [[0.25]],
                             valueFormat: { ChartNumber.format($0 * 100, decimals: 0) + "%" })
        XCTAssertTrue(parsed(custom.svg()).named("text").contains { $0.text == "25%" })
        let fixed = Heatmap(title: "t", rowLabels: ["r"], columnLabels: ["a", "b"], values: [[0.5, 2]], colorRange: 0...1)
        let fills = parsed(fixed.svg()).named("rect").filter { $0.text.contains(" × ") }.map { $0.attributes["fill"] }
        XCTAssertEqual(fills, [ChartTheme.sequentialColor(0.5).fill, "#08306b"], "0.5 is mid-scale; 2 is clamped to the top")
    }

    // MARK: escaping, determinism, degenerate input

    func testEveryLabelIsEscaped() {
        let nasty = "a<b>&\"c' \u{1}"
        let svgs = [
            BarChart(title: nasty, categories: [nasty], series: [BarSeries(name: nasty, values: [1]), BarSeries(name: "x", values: [2])], yLabel: nasty).svg(),
            LineChart(title: nasty, xLabel: nasty, yLabel: nasty, series: [LineSeries(name: nasty, points: [ChartPoint(x: 0, y: 0)], marker: ChartPoint(x: 0, y: 0), markerLabel: nasty)]).svg(),
            Heatmap(title: nasty, rowLabels: [nasty], columnLabels: [nasty], values: [[1]], valueFormat: { _ in nasty }).svg(),
            Histogram(title: nasty, xLabel: nasty, series: [HistogramSeries(name: nasty, values: [0.5])], bins: 4, range: 0...1, marker: 0.5, markerLabel: nasty).svg(),
            ScatterPlot(title: nasty, xLabel: nasty, yLabel: nasty, points: [ChartPoint(x: 1, y: 2)], groups: [0], groupNames: [nasty]).svg(),
        ]
        for svg in svgs {
            let tree = parsed(svg)
            XCTAssertFalse(svg.contains("a<b>"))
            XCTAssertTrue(svg.contains("a&lt;b&gt;&amp;&quot;c&#39;"))
            XCTAssertFalse(svg.contains("\u{1}"))
            XCTAssertTrue(tree.elements.contains { $0.text.contains("a<b>&\"c'") }, "parses back to the original text")
        }
        var doc = HTMLDocument(title: nasty)
        doc.heading(nasty)
        doc.paragraph(nasty)
        doc.table(header: [nasty], rows: [[nasty]])
        doc.figure(svg: svgs[0], caption: nasty)
        let html = doc.render()
        XCTAssertFalse(html.contains("a<b>"))
        let escaped = "a&lt;b&gt;&amp;&quot;c&#39;"
        XCTAssertEqual(html.components(separatedBy: escaped).count - 1, 7 + svgs[0].components(separatedBy: escaped).count - 1,
                       "title and h1, heading, paragraph, two table cells, caption, and the figure's own labels")
    }

    func testSameInputGivesSameBytes() {
        let first = sampleDocument(), second = sampleDocument()
        XCTAssertEqual(first, second)
        XCTAssertGreaterThan(first.utf8.count, 10_000)
    }

    func testDegenerateInputsNeverCrash() {
        let charts: [(String, String)] = [
            ("bar empty", BarChart(title: "t", categories: [], series: [], yLabel: "y").svg()),
            ("bar no series", BarChart(title: "t", categories: ["a"], series: [], yLabel: "y").svg()),
            ("bar equal", BarChart(title: "t", categories: ["a", "b"], series: [BarSeries(name: "s", values: [3, 3])], yLabel: "y").svg()),
            ("bar zeros", BarChart(title: "t", categories: ["a"], series: [BarSeries(name: "s", values: [0])], yLabel: "y").svg()),
            ("bar nan", BarChart(title: "t", categories: ["a", "b", "c"], series: [BarSeries(name: "s", values: [.nan, .infinity, 1], errors: [.nan, 1, -1])], yLabel: "y").svg()),
            ("bar short", BarChart(title: "t", categories: ["a", "b"], series: [BarSeries(name: "s", values: [1])], yLabel: "y").svg()),
            ("bar negative", BarChart(title: "t", categories: ["a", "b"], series: [BarSeries(name: "s", values: [-2, 5])], yLabel: "y").svg()),
            ("bar zero range", BarChart(title: "t", categories: ["a"], series: [BarSeries(name: "s", values: [0.5])], yLabel: "y", yRange: 1...1).svg()),
            ("bar outside range", BarChart(title: "t", categories: ["a"], series: [BarSeries(name: "s", values: [2])], yLabel: "y", yRange: 0...1).svg()),
            ("line empty", LineChart(title: "t", xLabel: "x", yLabel: "y", series: []).svg()),
            ("line empty series", LineChart(title: "t", xLabel: "x", yLabel: "y", series: [LineSeries(name: "s", points: [])]).svg()),
            ("line one point", LineChart(title: "t", xLabel: "x", yLabel: "y", series: [LineSeries(name: "s", points: [ChartPoint(x: 1, y: 1)])]).svg()),
            ("line nan", LineChart(title: "t", xLabel: "x", yLabel: "y", series: [LineSeries(name: "s", points: [ChartPoint(x: .nan, y: 1), ChartPoint(x: 0, y: 1), ChartPoint(x: 1, y: .infinity), ChartPoint(x: 2, y: 2)], marker: ChartPoint(x: .nan, y: 0))]).svg()),
            ("line zero ranges", LineChart(title: "t", xLabel: "x", yLabel: "y", series: [LineSeries(name: "s", points: [ChartPoint(x: 1, y: 1), ChartPoint(x: 1, y: 2)], marker: ChartPoint(x: 5, y: 5))], xRange: 1...1, yRange: 0...0).svg()),
            ("heatmap empty", Heatmap(title: "t", rowLabels: [], columnLabels: [], values: []).svg()),
            ("heatmap ragged", Heatmap(title: "t", rowLabels: ["a", "b"], columnLabels: ["a", "b"], values: [[1]]).svg()),
            ("heatmap equal", Heatmap(title: "t", rowLabels: ["a", "b"], columnLabels: ["a", "b"], values: [[1, 1], [1, .nan]]).svg()),
            ("histogram empty", Histogram(title: "t", xLabel: "x", series: [], bins: 10, range: 0...1).svg()),
            ("histogram no values", Histogram(title: "t", xLabel: "x", series: [HistogramSeries(name: "s", values: [])], bins: 10, range: 0...1).svg()),
            ("histogram zero range", Histogram(title: "t", xLabel: "x", series: [HistogramSeries(name: "s", values: [1, 1, 1])], bins: 0, range: 1...1, marker: .nan).svg()),
            ("histogram inf range", Histogram(title: "t", xLabel: "x", series: [HistogramSeries(name: "s", values: [1, 2, .nan])], bins: -3, range: -Double.infinity...Double.infinity).svg()),
            ("histogram huge range", Histogram(title: "t", xLabel: "x", series: [HistogramSeries(name: "s", values: [-1e308, 0, 1e308, .greatestFiniteMagnitude])], bins: 5, range: -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude).svg()),
            ("bar huge", BarChart(title: "t", categories: ["a", "b"], series: [BarSeries(name: "s", values: [-1e308, 1e308], errors: [1e308, 1e308])], yLabel: "y").svg()),
            ("line huge", LineChart(title: "t", xLabel: "x", yLabel: "y", series: [LineSeries(name: "s", points: [ChartPoint(x: -1e308, y: 1e308), ChartPoint(x: 1e308, y: -1e308)])]).svg()),
            ("scatter huge", ScatterPlot(title: "t", xLabel: "x", yLabel: "y", points: [ChartPoint(x: -1e308, y: 1e308), ChartPoint(x: 1e308, y: 5)], groups: [0, 0], groupNames: ["a"]).svg()),
            ("heatmap huge", Heatmap(title: "t", rowLabels: ["a"], columnLabels: ["a", "b"], values: [[-1e308, 1e308]]).svg()),
            ("scatter empty", ScatterPlot(title: "t", xLabel: "x", yLabel: "y", points: [], groups: [], groupNames: []).svg()),
            ("scatter equal", ScatterPlot(title: "t", xLabel: "x", yLabel: "y", points: Array(repeating: ChartPoint(x: 1, y: 1), count: 5), groups: [0, 1, 2, 7, -1], groupNames: ["a"]).svg()),
            ("scatter nan", ScatterPlot(title: "t", xLabel: "x", yLabel: "y", points: [ChartPoint(x: .nan, y: 0)], groups: [0], groupNames: ["a"]).svg()),
        ]
        for (name, svg) in charts {
            assertLabelsApart(svg)
            let tree = XMLElements.parse(svg)
            XCTAssertNotNil(tree, name)
            for element in tree?.elements ?? [] {
                for (key, value) in element.attributes where key != "font-family" {
                    XCTAssertFalse(value.contains("NaN") || value.contains("inf") || value.contains("∞"), "\(name): \(key)=\(value)")
                }
            }
        }
        if let path = ProcessInfo.processInfo.environment["TOPICKIT_CHART_SAMPLE"] {
            var gallery = HTMLDocument(title: "Degenerate inputs")
            for (name, svg) in charts { gallery.figure(svg: svg, caption: name) }
            try? gallery.render().write(toFile: path.replacingOccurrences(of: ".html", with: "-degenerate.html"), atomically: true, encoding: .utf8)
        }
        let texts = { (svg: String) in XMLElements.parse(svg)?.named("text").map(\.text) ?? [] }
        XCTAssertTrue(texts(charts[0].1).contains("No data"))
        XCTAssertTrue(texts(charts[4].1).contains("No value (NaN or ±∞) for a, b."), "\(texts(charts[4].1))")
        XCTAssertTrue(texts(charts[5].1).contains { $0.contains("1 values for 2 categories") })
        XCTAssertTrue(texts(charts[8].1).contains { $0.contains("outside the axis range") })
        XCTAssertTrue(texts(charts[12].1).contains { $0.contains("3 points with NaN") })
        XCTAssertTrue(texts(charts[13].1).contains { $0.contains("The marker of “s” lies outside the axes") })
        XCTAssertTrue(texts(charts[13].1).contains { $0.contains("1 point outside the axes") })
        XCTAssertTrue(texts(charts[15].1).contains { $0.contains("3 cells without a finite value") })
        XCTAssertTrue(texts(charts[15].1).contains { $0.contains("not 2 × 2") })
        XCTAssertTrue(texts(charts[15].1).contains { $0.hasSuffix("extra ones not shown.") }, "long notes wrap instead of being cut")
        XCTAssertEqual(XMLElements.parse(charts[11].1)?.named("circle").count, 1, "a lone point is drawn as a dot")
        XCTAssertTrue(texts(charts[16].1).contains { $0.contains("1 cell without a finite value") })
        XCTAssertTrue(texts(charts[20].1).contains { $0.contains("1 non-finite value") })
        XCTAssertTrue(texts(charts[27].1).contains("other (4)"))
        XCTAssertTrue(texts(charts[27].1).contains("a (1)"))
    }

    func testScatterOfHundredThousandPointsStaysSmall() {
        var rng = SeededGenerator(seed: 3)
        var points: [ChartPoint] = []
        var groups: [Int] = []
        for i in 0..<100_000 {
            let g = i % 24
            points.append(ChartPoint(x: Double(g % 6) * 3 + Double(rng.nextGaussian()), y: Double(g / 6) * 3 + Double(rng.nextGaussian())))
            groups.append(g)
        }
        let names = (0..<24).map { "cluster \($0)" }
        let svg = ScatterPlot(title: "Map", xLabel: "LSA 1", yLabel: "LSA 2", points: points, groups: groups, groupNames: names).svg()
        XCTAssertLessThan(svg.utf8.count, 2_000_000, "about 15 bytes per point at most")
        let tree = parsed(svg)
        let groupPaths = tree.named("path").filter { $0.text.hasPrefix("cluster ") }
        XCTAssertEqual(groupPaths.count, 24)
        // Groups 20...23 cycle the palette with squares.
        XCTAssertEqual(groupPaths[0].attributes["stroke"], groupPaths[20].attributes["stroke"])
        XCTAssertEqual(groupPaths[0].attributes["stroke-linecap"], "round")
        XCTAssertEqual(groupPaths[20].attributes["stroke-linecap"], "square")
        XCTAssertTrue(tree.named("text").contains { $0.text == "cluster 23 (4166)" })
    }

    func testLongLegendNamesAreShortenedButKeepTheirCount() {
        let long = "7: " + Array(repeating: "keyword", count: 30).joined(separator: ", ")
        let tree = parsed(ScatterPlot(title: "t", xLabel: "x", yLabel: "y", points: [ChartPoint(x: 0, y: 0)], groups: [0],
                                      groupNames: [long]).svg())
        let entry = tree.named("text").first { $0.ownText.hasPrefix("7: keyword") }
        XCTAssertEqual(entry?.ownText.hasSuffix("… (1)"), true, entry?.ownText ?? "no legend entry")
        XCTAssertEqual(entry?.text.hasSuffix(long), true, "the full name is the tooltip")
        assertLabelsApart(ScatterPlot(title: "t", xLabel: "x", yLabel: "y", points: [], groups: [], groupNames: (0..<12).map { "\($0): " + long }).svg())
    }

    func testHTMLDocumentIsSelfContained() {
        var doc = HTMLDocument(title: "Report")
        doc.heading("Metrics")
        doc.heading("Deep", level: 9)
        doc.paragraph("First.\n\nSecond.")
        doc.list(["one", "<two>"])
        doc.preformatted("a  b\n<c>")
        doc.table(header: ["tag", "F1"], rows: [["nas", "0.91"], ["short"]], numericColumns: [1])
        doc.figure(svg: BarChart(title: "t", categories: ["a"], series: [BarSeries(name: "s", values: [1])], yLabel: "y").svg(), caption: "Bars")
        let html = doc.render()
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        XCTAssertTrue(html.contains("<meta charset=\"utf-8\">"))
        XCTAssertTrue(html.contains("<h2>Metrics</h2>"))
        XCTAssertTrue(html.contains("<h6>Deep</h6>"))
        XCTAssertTrue(html.contains("<p>First.</p>\n<p>Second.</p>"))
        XCTAssertTrue(html.contains("<ul><li>one</li><li>&lt;two&gt;</li></ul>"))
        XCTAssertTrue(html.contains("<pre>a  b\n&lt;c&gt;</pre>"))
        XCTAssertTrue(html.contains("<td class=\"num\">0.91</td>"))
        XCTAssertTrue(html.contains("<tr><td>short</td><td class=\"num\"></td></tr>"), "short rows padded")
        XCTAssertTrue(html.contains("<figcaption>Bars</figcaption>"))
        XCTAssertTrue(html.contains("max-width: 100%"))
        XCTAssertTrue(html.contains("@media print"))
        XCTAssertFalse(html.lowercased().contains("<script"))
        XCTAssertFalse(html.contains("<link"))
        XCTAssertFalse(html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"), "no network references")
        XCTAssertTrue(html.hasSuffix("</html>\n"))
    }

    func testSampleDocumentHasWellFormedFigures() throws {
        let html = sampleDocument()
        var figures = 0
        for part in html.components(separatedBy: "<figure>").dropFirst() {
            let svg = part.components(separatedBy: "<figcaption>")[0].components(separatedBy: "</figure>")[0]
            _ = parsed(svg)
            figures += 1
        }
        XCTAssertEqual(figures, 13)
        // TOPICKIT_CHART_SAMPLE=/tmp/charts-sample.html swift test --filter ReportTests writes it for a look in a browser.
        if let path = ProcessInfo.processInfo.environment["TOPICKIT_CHART_SAMPLE"] {
            try html.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    /// Estimated boxes of the horizontal labels of `svg`: none may overlap another or leave the chart.
    private func assertLabelsApart(_ svg: String, file: StaticString = #filePath, line: UInt = #line) {
        let tree = parsed(svg, file: file, line: line)
        guard let root = tree.elements.first, let width = Double(root.attributes["width"] ?? ""),
              let height = Double(root.attributes["height"] ?? "") else { return }
        let title = tree.named("title").first?.text ?? ""
        var boxes: [(String, Double, Double, Double, Double)] = []
        for t in tree.named("text") where t.attributes["transform"] == nil {
            guard let x = Double(t.attributes["x"] ?? ""), var y = Double(t.attributes["y"] ?? "") else { continue }
            let size = Double(t.attributes["font-size"] ?? "") ?? ChartTheme.tickSize
            if t.attributes["dy"] == "0.35em" { y += 0.35 * size }
            let w = TextMeasure.width(t.ownText, size: size)
            let x0: Double
            switch t.attributes["text-anchor"] {
            case "middle": x0 = x - w / 2
            case "end": x0 = x - w
            default: x0 = x
            }
            boxes.append((t.ownText, x0, y - 0.72 * size, x0 + w, y + 0.22 * size))
        }
        for (i, a) in boxes.enumerated() {
            XCTAssertTrue(a.1 >= -0.5 && a.3 <= width + 0.5 && a.2 >= -0.5 && a.4 <= height + 0.5,
                          "“\(a.0)” leaves the \(width)×\(height) chart “\(title)”", file: file, line: line)
            for b in boxes[(i + 1)...] {
                let ox = min(a.3, b.3) - max(a.1, b.1), oy = min(a.4, b.4) - max(a.2, b.2)
                XCTAssertFalse(ox > 1 && oy > 1, "“\(a.0)” \(a) overlaps “\(b.0)” \(b) in “\(title)”", file: file, line: line)
            }
        }
    }

    func testLabelsDoNotOverlap() {
        let html = sampleDocument()
        for part in html.components(separatedBy: "<figure>").dropFirst() {
            assertLabelsApart(part.components(separatedBy: "<figcaption>")[0])
        }
        var rng = SeededGenerator(seed: 11)
        // Short charts with long legends squeeze the plot: tick labels thin out instead of colliding.
        for height in [200.0, 240, 300] {
            assertLabelsApart(BarChart(title: "Short", categories: ["a", "b"], series: (0..<12).map { BarSeries(name: "model number \($0)", values: [0.5, 0.25]) },
                                       yLabel: "F1", yRange: 0...1, width: 300, height: height).svg())
            assertLabelsApart(LineChart(title: "Short", xLabel: "x", yLabel: "y", series: (0..<12).map { LineSeries(name: "series \($0)", points: [ChartPoint(x: 0, y: 0), ChartPoint(x: 1, y: Double($0))]) },
                                        width: 300, height: height).svg())
        }
        let squeezed = BarChart(title: "Short", categories: ["a"], series: (0..<12).map { BarSeries(name: "model number \($0)", values: [0.5]) },
                                yLabel: "F1", width: 300, height: 200).svg()
        XCTAssertGreaterThan(Double(parsed(squeezed).elements.first?.attributes["height"] ?? "") ?? 0, 300, "grows for its legend")
        // Random bar charts: any number of categories and series, long and short names.
        for _ in 0..<40 {
            let categories = (0..<(1 + Int(rng.next() % 25))).map { i in String(repeating: "tag", count: 1 + Int(rng.next() % 8)) + "\(i)" }
            let series = (0..<(1 + Int(rng.next() % 5))).map { s in
                BarSeries(name: String(repeating: "model ", count: 1 + Int(rng.next() % 4)) + "\(s)",
                          values: categories.map { _ in Double(rng.nextGaussian()) }, errors: categories.map { _ in Double(rng.nextUnitFloat()) * 0.2 })
            }
            assertLabelsApart(BarChart(title: "Random", categories: categories, series: series, yLabel: "value").svg())
            let names = categories.prefix(1 + Int(rng.next() % 12)).map { String($0) }
            let scale = pow(10, Double(Int(rng.next() % 13)) - 6)
            assertLabelsApart(Heatmap(title: "Random", rowLabels: names, columnLabels: names,
                                      values: names.map { _ in names.map { _ in Double(rng.nextUnitFloat()) * scale } }).svg())
            assertLabelsApart(Histogram(title: "Random", xLabel: "x", series: series.map { HistogramSeries(name: $0.name, values: $0.values.map { $0 * scale }) },
                                        bins: 1 + Int(rng.next() % 60), range: -scale...scale, marker: Double(rng.nextGaussian()) * scale).svg())
            assertLabelsApart(LineChart(title: "Random", xLabel: "x", yLabel: "y",
                                        series: series.map { s in LineSeries(name: s.name, points: s.values.enumerated().map { ChartPoint(x: Double($0.offset) * scale, y: $0.element) },
                                                                             marker: s.values.first.map { ChartPoint(x: 0, y: $0) }) }).svg())
        }
    }

    func testTurnedCategoryLabelsKeepALineApart() {
        let short = CategoryLabels(["nas", "moe"], band: 80)
        XCTAssertFalse(short.rotated)
        let long = CategoryLabels(["speculative-decoding", "transformers"], band: 60)
        XCTAssertTrue(long.rotated)
        XCTAssertEqual(long.angle, 40)
        XCTAssertEqual(long.every, 1)
        for band in stride(from: 1.0, through: 40, by: 0.5) {
            let labels = CategoryLabels(["a rather long category name"], band: band)
            XCTAssertGreaterThanOrEqual(band * Double(labels.every) * sin(labels.angle * Double.pi / 180), CategoryLabels.lineSpacing - 1e-9, "band \(band)")
        }
        // 120 categories on a 1,100 px chart: vertical labels, every second one printed.
        let crowded = BarChart(title: "t", categories: (0..<120).map { "category \($0)" }, series: [BarSeries(name: "s", values: (0..<120).map(Double.init))], yLabel: "y")
        let texts = parsed(crowded.svg()).named("text").filter { $0.ownText.hasPrefix("category ") }
        XCTAssertEqual(texts.count, 60)
        XCTAssertEqual(texts.first?.attributes["transform"]?.hasPrefix("rotate(-90 "), true)
    }

    /// Harder inputs for a look: many categories, negative differences, big matrices, many groups.
    private func stressFigures(_ doc: inout HTMLDocument, _ rng: inout SeededGenerator) {
        doc.heading("Stress cases")
        let many = (0..<20).map { ["graph-neural-networks", "rl", "diffusion-models", "speculative-decoding", "moe"][$0 % 5] + "-\($0)" }
        let values = { (rng: inout SeededGenerator) in (0..<20).map { _ in Double(rng.nextUnitFloat()) } }
        doc.figure(svg: BarChart(title: "F1 for 20 tags, 3 models", categories: many,
                                 series: [BarSeries(name: "a", values: values(&rng), errors: (0..<20).map { _ in 0.05 }),
                                          BarSeries(name: "b", values: values(&rng)), BarSeries(name: "c", values: values(&rng))],
                                 yLabel: "F1", yRange: 0...1).svg(), caption: "Twenty categories.")
        doc.figure(svg: BarChart(title: "F1 change (new − old)", categories: ["nas", "transformers", "kv-cache", "compression"],
                                 series: [BarSeries(name: "Δ F1", values: [0.012, -0.008, 0.044, -0.1])], yLabel: "Δ F1").svg(),
                   caption: "Negative and positive differences.")
        doc.figure(svg: Heatmap(title: "12 × 12 co-occurrence", rowLabels: Array(many.prefix(12)), columnLabels: Array(many.prefix(12)),
                                values: (0..<12).map { r in (0..<12).map { c in r == c ? 400 : Double(Int(rng.next() % 60)) } }).svg(),
                   caption: "Larger matrix with long labels.")
        let spread = (0..<600).map { _ in Double(rng.nextGaussian()) * 0.2 + 0.9 }
        doc.figure(svg: Histogram(title: "Normalized, marker at the edge", xLabel: "score",
                                  series: [HistogramSeries(name: "positives", values: spread), HistogramSeries(name: "negatives", values: spread.map { $0 - 0.6 })],
                                  bins: 40, range: 0...1, marker: 0.97, normalized: true).svg(), caption: "Values above 1 are counted in the note.")
        var points: [ChartPoint] = [], groups: [Int] = []
        for i in 0..<20_000 {
            let g = i % 30
            points.append(ChartPoint(x: Double(g % 6) * 4 + Double(rng.nextGaussian()), y: Double(g / 6) * 4 + Double(rng.nextGaussian())))
            groups.append(g)
        }
        doc.figure(svg: ScatterPlot(title: "20,000 papers in 30 clusters", xLabel: "component 1", yLabel: "component 2", points: points,
                                    groups: groups, groupNames: (0..<30).map { "cluster \($0)" }).svg(), caption: "Thirty groups: colours cycle with shapes.")
        doc.figure(svg: LineChart(title: "Lines without fixed ranges, with gaps", xLabel: "epoch", yLabel: "loss",
                                  series: [LineSeries(name: "train", points: (0..<30).map { ChartPoint(x: Double($0), y: $0 == 12 ? .nan : 3 * exp(-Double($0) / 8) + 0.2) }),
                                           LineSeries(name: "validation", points: (0..<30).map { ChartPoint(x: Double($0), y: 3 * exp(-Double($0) / 10) + 0.35) },
                                                      marker: ChartPoint(x: 22, y: 3 * exp(-2.2) + 0.35), markerLabel: "best epoch")]).svg(),
                   caption: "A NaN breaks the line and is noted.")
    }

    /// A report with every chart type on realistic data: 4 tags, 3 models, PR curves, co-occurrence, score
    /// histograms and a 3,000-point map in 8 clusters.
    private func sampleDocument() -> String {
        var rng = SeededGenerator(seed: 42)
        let tags = ["nas", "transformers", "kv-cache", "compression"]
        var doc = HTMLDocument(title: "TopicKit evaluation — sample report")
        doc.paragraph("Evaluated on 512 papers from 3 listing dumps against Data/labels.tsv. Thresholds were tuned by 5-fold cross-validation.")
        doc.heading("Per-tag scores")
        doc.table(header: ["tag", "precision", "recall", "F1", "support"],
                  rows: [["nas", "0.912", "0.871", "0.891", "62"], ["transformers", "0.854", "0.902", "0.877", "214"],
                         ["kv-cache", "0.667", "0.500", "0.571", "8"], ["compression", "0.802", "0.760", "0.780", "75"],
                         ["micro avg", "0.846", "0.851", "0.848", "359"]],
                  numericColumns: [1, 2, 3, 4])
        let f1 = BarChart(title: "F1 per tag", categories: tags,
                          series: [BarSeries(name: "default model", values: [0.891, 0.877, 0.571, 0.780], errors: [0.031, 0.018, 0.142, 0.044]),
                                   BarSeries(name: "bigrams", values: [0.903, 0.869, 0.615, 0.792], errors: [0.027, 0.021, 0.160, 0.039]),
                                   BarSeries(name: "no stop words", values: [0.874, 0.881, 0.5, 0.771])],
                          yLabel: "F1", yRange: 0...1)
        doc.figure(svg: f1.svg(), caption: "F1 per tag for three models; error bars are the standard deviation over 5 folds.")
        let long = BarChart(title: "Support per category (long names)",
                            categories: ["cs.LG Machine Learning", "cs.CL Computation and Language", "cs.CV Computer Vision and Pattern Recognition",
                                         "stat.ML", "cs.AI Artificial Intelligence", "cs.NE Neural and Evolutionary Computing"],
                            series: [BarSeries(name: "papers", values: [212, 148, 96, 41, 77, 19])], yLabel: "papers")
        doc.figure(svg: long.svg(), caption: "Long category names are turned and shortened; the full name is in the tooltip.")
        let curves = tags.enumerated().map { (t, tag) -> LineSeries in
            var points: [ChartPoint] = []
            let quality = [0.9, 0.85, 0.55, 0.75][t]
            for i in 0...40 {
                let recall = Double(i) / 40
                let precision = min(1, max(0.05, 1 - pow(recall, 3 * quality) * (1.1 - quality) + Double(rng.nextGaussian()) * 0.015))
                points.append(ChartPoint(x: recall, y: precision))
            }
            let m = points[[34, 36, 20, 30][t]]
            return LineSeries(name: tag, points: points.reversed(), marker: m,
                              markerLabel: "t=\(ChartNumber.format([0.42, 0.5, 0.31, 0.47][t], decimals: 2))", interpolation: .step)
        }
        doc.heading("Precision–recall")
        doc.figure(svg: LineChart(title: "Precision–recall curves", xLabel: "recall", yLabel: "precision", series: curves,
                                  xRange: 0...1, yRange: 0...1.05).svg(),
                   caption: "Dots mark each tag's threshold.")
        doc.heading("Tag co-occurrence")
        doc.figure(svg: Heatmap(title: "Papers with both tags", rowLabels: tags, columnLabels: tags,
                                values: [[62, 9, 0, 14], [9, 214, 8, 31], [0, 8, 8, 3], [14, 31, 3, 75]]).svg(),
                   caption: "Diagonal: papers with the tag.")
        doc.heading("Score distributions")
        for (t, tag) in tags.prefix(2).enumerated() {
            let positives = (0..<[62, 214][t]).map { _ in min(1, max(0, 0.75 + Double(rng.nextGaussian()) * 0.15)) }
            let negatives = (0..<[450, 298][t]).map { _ in min(1, max(0, 0.15 + Double(rng.nextGaussian()) * 0.12)) }
            let h = Histogram(title: "Scores for \(tag)", xLabel: "score",
                              series: [HistogramSeries(name: "with \(tag)", values: positives), HistogramSeries(name: "without", values: negatives)],
                              bins: 25, range: 0...1, marker: [0.42, 0.5][t])
            doc.figure(svg: h.svg(), caption: "Scores of papers with and without the tag; dashed line: threshold.")
        }
        doc.heading("Clusters")
        var points: [ChartPoint] = []
        var groups: [Int] = []
        for i in 0..<3000 {
            let g = i % 8
            let angle = Double(g) / 8 * 2 * Double.pi
            points.append(ChartPoint(x: cos(angle) * 4 + Double(rng.nextGaussian()) * 0.9, y: sin(angle) * 3 + Double(rng.nextGaussian()) * 0.8))
            groups.append(g)
        }
        let names = ["attention", "pruning", "quantization", "search spaces", "kv cache", "distillation", "benchmarks", "long context"]
        doc.figure(svg: ScatterPlot(title: "Papers on the first two LSA components", xLabel: "component 1", yLabel: "component 2",
                                    points: points, groups: groups, groupNames: names, labelGroups: true).svg(),
                   caption: "3,000 papers coloured by k-means cluster.")
        doc.table(header: ["cluster", "size", "keywords"], rows: names.enumerated().map { [$0.element, "375", "term, other term"] }, numericColumns: [1])
        stressFigures(&doc, &rng)
        return doc.render()
    }
}
