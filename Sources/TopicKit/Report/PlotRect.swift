/// The rectangle data are drawn in, in SVG pixels.
struct PlotRect: Sendable, Equatable {
    var x: Double
    var y: Double
    var width: Double
    var height: Double

    var right: Double { x + width }
    var bottom: Double { y + height }

    /// Opening tag of a nested viewport that clips to this rectangle while keeping outer coordinates
    /// (avoids clipPath ids, which would collide when several charts share one HTML page).
    var clipOpen: String {
        let c = ChartNumber.coordinate
        return "<svg x=\"\(c(x))\" y=\"\(c(y))\" width=\"\(c(width))\" height=\"\(c(height))\" viewBox=\"\(c(x)) \(c(y)) \(c(width)) \(c(height))\" overflow=\"hidden\">"
    }
}
