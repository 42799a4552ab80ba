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
        var text = ""
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

        let mixed = AxisScale.nice(-3, 7, maxTicks: 6)
        XCTAssertEqual(mixed.ticks, [-5, 0, 5, 10])

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
            let a = Double(rng.nextGaussian()) * pow(10, Double(Int(rng.next() % 9)) - 4)
            let b = a + Double(rng.nextUnitFloat()) * pow(10, Double(Int(rng.next() % 9)) - 4)
            let limit = 3 + Int(rng.next() % 6)
            for fixed in [false, true] {
                let s = AxisScale.nice(a, b, maxTicks: limit, fixed: fixed)
                XCTAssertLessThanOrEqual(s.ticks.count, limit)
                XCTAssertGreaterThanOrEqual(s.ticks.count, fixed ? 1 : 2)
                XCTAssertLessThanOrEqual(s.lower, a)
                XCTAssertGreaterThanOrEqual(s.upper, b)
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
        XCTAssertTrue(texts.contains("1"))
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
            ("line zero ranges", LineChart(title: "t", xLabel: "x", yLabel: "y", series: [LineSeries(name: "s", points: [ChartPoint(x: 1, y: 1)], marker: ChartPoint(x: 5, y: 5))], xRange: 1...1, yRange: 0...0).svg()),
            ("heatmap empty", Heatmap(title: "t", rowLabels: [], columnLabels: [], values: []).svg()),
            ("heatmap ragged", Heatmap(title: "t", rowLabels: ["a", "b"], columnLabels: ["a", "b"], values: [[1]]).svg()),
            ("heatmap equal", Heatmap(title: "t", rowLabels: ["a", "b"], columnLabels: ["a", "b"], values: [[1, 1], [1, .nan]]).svg()),
            ("histogram empty", Histogram(title: "t", xLabel: "x", series: [], bins: 10, range: 0...1).svg()),
            ("histogram no values", Histogram(title: "t", xLabel: "x", series: [HistogramSeries(name: "s", values: [])], bins: 10, range: 0...1).svg()),
            ("histogram zero range", Histogram(title: "t", xLabel: "x", series: [HistogramSeries(name: "s", values: [1, 1, 1])], bins: 0, range: 1...1, marker: .nan).svg()),
            ("histogram inf range", Histogram(title: "t", xLabel: "x", series: [HistogramSeries(name: "s", values: [1, 2, .nan])], bins: -3, range: -Double.infinity...Double.infinity).svg()),
            ("scatter empty", ScatterPlot(title: "t", xLabel: "x", yLabel: "y", points: [], groups: [], groupNames: []).svg()),
            ("scatter equal", ScatterPlot(title: "t", xLabel: "x", yLabel: "y", points: Array(repeating: ChartPoint(x: 1, y: 1), count: 5), groups: [0, 1, 2, 7, -1], groupNames: ["a"]).svg()),
            ("scatter nan", ScatterPlot(title: "t", xLabel: "x", yLabel: "y", points: [ChartPoint(x: .nan, y: 0)], groups: [0], groupNames: ["a"]).svg()),
        ]
        for (name, svg) in charts {
            let tree = XMLElements.parse(svg)
            XCTAssertNotNil(tree, name)
            for element in tree?.elements ?? [] {
                for (key, value) in element.attributes where key != "font-family" {
                    XCTAssertFalse(value.contains("NaN") || value.contains("inf") || value.contains("∞"), "\(name): \(key)=\(value)")
                }
            }
        }
        let texts = { (svg: String) in XMLElements.parse(svg)?.named("text").map(\.text) ?? [] }
        XCTAssertTrue(texts(charts[0].1).contains("No data"))
        XCTAssertTrue(texts(charts[4].1).contains { $0.contains("2 non-finite values") }, "\(texts(charts[4].1))")
        XCTAssertTrue(texts(charts[5].1).contains { $0.contains("1 values for 2 categories") })
        XCTAssertTrue(texts(charts[8].1).contains { $0.contains("outside the axis range") })
        XCTAssertTrue(texts(charts[12].1).contains { $0.contains("3 points with NaN") })
        XCTAssertTrue(texts(charts[13].1).contains { $0.contains("outside the axes") })
        XCTAssertTrue(texts(charts[15].1).contains { $0.contains("3 cells without a finite value") })
        XCTAssertTrue(texts(charts[15].1).contains { $0.contains("not 2 × 2") })
        XCTAssertTrue(texts(charts[16].1).contains { $0.contains("1 cell without a finite value") })
        XCTAssertTrue(texts(charts[20].1).contains { $0.contains("1 non-finite value") })
        XCTAssertTrue(texts(charts[22].1).contains("other (4)"))
        XCTAssertTrue(texts(charts[22].1).contains("a (1)"))
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

    func testHTMLDocumentIsSelfContained() {
        var doc = HTMLDocument(title: "Report")
        doc.heading("Metrics")
        doc.heading("Deep", level: 9)
        doc.paragraph("First.\n\nSecond.")
        doc.table(header: ["tag", "F1"], rows: [["nas", "0.91"], ["short"]], numericColumns: [1])
        doc.figure(svg: BarChart(title: "t", categories: ["a"], series: [BarSeries(name: "s", values: [1])], yLabel: "y").svg(), caption: "Bars")
        let html = doc.render()
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        XCTAssertTrue(html.contains("<meta charset=\"utf-8\">"))
        XCTAssertTrue(html.contains("<h2>Metrics</h2>"))
        XCTAssertTrue(html.contains("<h6>Deep</h6>"))
        XCTAssertTrue(html.contains("<p>First.</p>\n<p>Second.</p>"))
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
        XCTAssertEqual(figures, 7)
        // TOPICKIT_CHART_SAMPLE=/tmp/charts-sample.html swift test --filter ReportTests writes it for a look in a browser.
        if let path = ProcessInfo.processInfo.environment["TOPICKIT_CHART_SAMPLE"] {
            try html.write(toFile: path, atomically: true, encoding: .utf8)
        }
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
                                    points: points, groups: groups, groupNames: names).svg(),
                   caption: "3,000 papers coloured by k-means cluster.")
        doc.table(header: ["cluster", "size", "keywords"], rows: names.enumerated().map { [$0.element, "375", "term, other term"] }, numericColumns: [1])
        return doc.render()
    }
}
