/// The rectangle data are drawn in, in SVG pixels.
struct PlotRect: Sendable, Equatable {
    var x: Double
    var y: Double
    var width: Double
    var height: Double

    /// Charts grow taller rather than squeeze their plot below this.
    static let minimumHeight = 120.0

    var right: Double { x + width }
    var bottom: Double { y + height }

    /// Opening tag of a nested viewport that clips to this rectangle while keeping outer coordinates
    /// (avoids clipPath ids, which would collide when several charts share one HTML page).
    var clipOpen: String { clipOpen(margin: 0) }

    /// Like `clipOpen`, with the clip `margin` pixels outside the plot (so lines along an edge show in full).
    func clipOpen(margin: Double) -> String {
        let c = ChartNumber.coordinate
        let x = c(x - margin), y = c(y - margin), w = c(width + 2 * margin), h = c(height + 2 * margin)
        return "<svg x=\"\(x)\" y=\"\(y)\" width=\"\(w)\" height=\"\(h)\" viewBox=\"\(x) \(y) \(w) \(h)\" overflow=\"hidden\">"
    }
}
