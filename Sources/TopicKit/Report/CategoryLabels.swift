import Foundation

/// Labels of a categorical axis (bar groups, heatmap columns): horizontal when they fit their band,
/// otherwise turned (steeper as bands narrow) and, if still too long, shortened with the full name as a
/// tooltip; when bands are narrower than a line of text only every n-th label is printed.
struct CategoryLabels {
    static let maxRotatedWidth = 150.0
    /// Distance between neighbouring turned labels needed to keep them apart.
    static let lineSpacing = 13.0

    let labels: [String]
    let band: Double
    let rotated: Bool
    /// Rotation in degrees (0 when horizontal).
    let angle: Double
    /// Every how many categories a label is printed.
    let every: Int
    /// Shown text and whether it was shortened, per label.
    let shown: [(text: String, truncated: Bool)]

    init(_ labels: [String], band: Double) {
        self.labels = labels
        self.band = band
        let size = ChartTheme.tickSize
        let widest = labels.map { TextMeasure.width($0, size: size) }.max() ?? 0
        rotated = widest > band - 6
        if !rotated {
            angle = 0
            every = 1
        } else if band * sin(40 * Double.pi / 180) >= CategoryLabels.lineSpacing {
            angle = 40
            every = 1
        } else if band * sin(65 * Double.pi / 180) >= CategoryLabels.lineSpacing {
            angle = 65
            every = 1
        } else {
            angle = 90
            every = max(1, Int((CategoryLabels.lineSpacing / max(band, 0.01)).rounded(.up)))
        }
        let limit = rotated ? CategoryLabels.maxRotatedWidth : band - 6
        shown = labels.map { TextMeasure.truncate($0, maxWidth: limit, size: size) }
    }

    private var radians: Double { angle * Double.pi / 180 }

    /// Vertical space the labels take below the axis.
    var height: Double {
        guard rotated else { return 20 }
        let widest = shown.map { TextMeasure.width($0.text, size: ChartTheme.tickSize) }.max() ?? 0
        return 12 + widest * sin(radians) + ChartTheme.tickSize * cos(radians)
    }

    /// How far turned labels reach left of the first band's centre (so the chart can leave room).
    var leftOverhang: Double {
        guard rotated, let first = shown.first else { return 0 }
        return TextMeasure.width(first.text, size: ChartTheme.tickSize) * cos(radians)
    }

    /// Draws the labels centred under the bands whose centres are `centers`, hanging from `y`.
    func draw(into svg: inout SVGWriter, centers: [Double], y: Double) {
        for (i, center) in centers.enumerated() where i < shown.count && i % every == 0 {
            let tooltip = shown[i].truncated ? labels[i] : nil
            if rotated {
                // The label's end sits under the band centre; the text's centre line passes through it.
                let shift = ChartTheme.tickSize * 0.35
                svg.text(shown[i].text, x: center + shift * sin(radians), y: y + 10 - shift * (1 - cos(radians)), anchor: .end,
                         rotate: -angle, tooltip: tooltip)
            } else {
                svg.text(shown[i].text, x: center, y: y + 15, anchor: .middle, tooltip: tooltip)
            }
        }
    }
}
