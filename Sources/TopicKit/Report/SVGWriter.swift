/// Builds one SVG element as text: every number goes through `ChartNumber.coordinate` and every string
/// through `MarkupText`, so output is deterministic and well-formed whatever the labels contain.
struct SVGWriter {
    enum Anchor: String { case start, middle, end }

    let width: Double
    let height: Double
    private(set) var body = ""

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    private func n(_ value: Double) -> String { ChartNumber.coordinate(value) }

    private static func tooltipElement(_ tooltip: String?) -> String {
        guard let tooltip, !tooltip.isEmpty else { return "" }
        return "<title>" + MarkupText.escapeLine(tooltip) + "</title>"
    }

    /// Appends markup that was built with this writer's conventions.
    mutating func raw(_ markup: String) { body += markup }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, opacity: Double? = nil,
                       stroke: String? = nil, tooltip: String? = nil) {
        body += "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, width)))\" height=\"\(n(max(0, height)))\" fill=\"\(fill)\""
        if let opacity { body += " fill-opacity=\"\(ChartNumber.format(opacity, decimals: 2, asciiMinus: true))\"" }
        if let stroke { body += " stroke=\"\(stroke)\" stroke-width=\"1\"" }
        if let tooltip, !tooltip.isEmpty { body += ">" + SVGWriter.tooltipElement(tooltip) + "</rect>" } else { body += "/>" }
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1,
                       dash: String? = nil) {
        body += "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\""
        if width != 1 { body += " stroke-width=\"\(n(width))\"" }
        if let dash { body += " stroke-dasharray=\"\(dash)\"" }
        body += "/>"
    }

    mutating func circle(cx: Double, cy: Double, r: Double, fill: String, stroke: String? = nil,
                         strokeWidth: Double = 1.5, tooltip: String? = nil) {
        body += "<circle cx=\"\(n(cx))\" cy=\"\(n(cy))\" r=\"\(n(r))\" fill=\"\(fill)\""
        if let stroke { body += " stroke=\"\(stroke)\" stroke-width=\"\(n(strokeWidth))\"" }
        if let tooltip, !tooltip.isEmpty { body += ">" + SVGWriter.tooltipElement(tooltip) + "</circle>" } else { body += "/>" }
    }

    /// A path; `d` must come from `PathData` or other code that formats numbers with `ChartNumber`.
    mutating func path(_ d: String, fill: String = "none", stroke: String? = nil, strokeWidth: Double = 1,
                       fillOpacity: Double? = nil, strokeOpacity: Double? = nil, lineCap: String? = nil,
                       lineJoin: String? = nil, tooltip: String? = nil) {
        body += "<path d=\"\(d)\" fill=\"\(fill)\""
        if let fillOpacity { body += " fill-opacity=\"\(ChartNumber.format(fillOpacity, decimals: 2, asciiMinus: true))\"" }
        if let stroke { body += " stroke=\"\(stroke)\" stroke-width=\"\(n(strokeWidth))\"" }
        if let strokeOpacity { body += " stroke-opacity=\"\(ChartNumber.format(strokeOpacity, decimals: 2, asciiMinus: true))\"" }
        if let lineCap { body += " stroke-linecap=\"\(lineCap)\"" }
        if let lineJoin { body += " stroke-linejoin=\"\(lineJoin)\"" }
        if let tooltip, !tooltip.isEmpty { body += ">" + SVGWriter.tooltipElement(tooltip) + "</path>" } else { body += "/>" }
    }

    /// Text with its baseline at `y`, or vertically centred on `y` when `centered`; rotated by `rotate`
    /// degrees about (x, y).
    mutating func text(_ content: String, x: Double, y: Double, size: Double = ChartTheme.tickSize,
                       anchor: Anchor = .start, fill: String = ChartTheme.text, bold: Bool = false,
                       centered: Bool = false, rotate: Double? = nil, tooltip: String? = nil) {
        body += "<text x=\"\(n(x))\" y=\"\(n(y))\""
        if centered { body += " dy=\"0.35em\"" }
        if size != ChartTheme.tickSize { body += " font-size=\"\(n(size))\"" }
        if anchor != .start { body += " text-anchor=\"\(anchor.rawValue)\"" }
        if fill != ChartTheme.text { body += " fill=\"\(fill)\"" }
        if bold { body += " font-weight=\"600\"" }
        if let rotate, rotate != 0 { body += " transform=\"rotate(\(n(rotate)) \(n(x)) \(n(y)))\"" }
        body += ">" + MarkupText.escapeLine(content) + SVGWriter.tooltipElement(tooltip) + "</text>"
    }

    /// The finished `<svg>` element: size, viewBox, font stack, an accessible title and a white background.
    func document(title: String) -> String {
        let w = n(width), h = n(height)
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\""
        out += " role=\"img\" font-family=\"\(ChartTheme.fontFamily)\" font-size=\"\(n(ChartTheme.tickSize))\" fill=\"\(ChartTheme.text)\">"
        out += "<title>" + MarkupText.escapeLine(title) + "</title>"
        out += "<rect width=\"\(w)\" height=\"\(h)\" fill=\"\(ChartTheme.background)\"/>"
        out += body
        out += "</svg>"
        return out
    }
}
