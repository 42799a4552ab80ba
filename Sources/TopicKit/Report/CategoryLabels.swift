import Foundation

/// Labels of a categorical axis (bar groups, heatmap columns): horizontal when they fit their band,
/// otherwise rotated and, if still too long, truncated with the full name as a tooltip.
struct CategoryLabels {
    static let angle = 40.0
    static let maxRotatedWidth = 150.0

    let labels: [String]
    let band: Double
    let rotated: Bool
    /// Shown text and whether it was shortened, per label.
    let shown: [(text: String, truncated: Bool)]

    init(_ labels: [String], band: Double) {
        self.labels = labels
        self.band = band
        let size = ChartTheme.tickSize
        let widest = labels.map { TextMeasure.width($0, size: size) }.max() ?? 0
        rotated = widest > band - 6
        let limit = rotated ? CategoryLabels.maxRotatedWidth : band - 6
        shown = labels.map { TextMeasure.truncate($0, maxWidth: limit, size: size) }
    }

    private var radians: Double { CategoryLabels.angle * Double.pi / 180 }

    /// Vertical space the labels take below the axis.
    var height: Double {
        guard rotated else { return 20 }
        let widest = shown.map { TextMeasure.width($0.text, size: ChartTheme.tickSize) }.max() ?? 0
        return 12 + widest * sin(radians) + ChartTheme.tickSize * cos(radians)
    }

    /// How far rotated labels reach left of the first band's centre (so the chart can leave room).
    var leftOverhang: Double {
        guard rotated, let first = shown.first else { return 0 }
        return TextMeasure.width(first.text, size: ChartTheme.tickSize) * cos(radians)
    }

    /// Draws the labels centred under the bands whose centres are `centers`, hanging from `y`.
    func draw(into svg: inout SVGWriter, centers: [Double], y: Double) {
        for (i, center) in centers.enumerated() where i < shown.count {
            let tooltip = shown[i].truncated ? labels[i] : nil
            if rotated {
                svg.text(shown[i].text, x: center + 3, y: y + 10, anchor: .end, rotate: -CategoryLabels.angle, tooltip: tooltip)
            } else {
                svg.text(shown[i].text, x: center, y: y + 15, anchor: .middle, tooltip: tooltip)
            }
        }
    }
}
