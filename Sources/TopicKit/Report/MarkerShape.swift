/// Point shapes for scatter plots: groups beyond the 20 palette colours cycle through shapes.
enum MarkerShape: Int, Sendable, CaseIterable {
    case circle, square, triangle, diamond

    /// One standalone marker element (legends, highlighted points).
    func markup(x: Double, y: Double, radius r: Double, fill: String) -> String {
        switch self {
        case .circle:
            let c = ChartNumber.coordinate
            return "<circle cx=\"\(c(x))\" cy=\"\(c(y))\" r=\"\(c(r))\" fill=\"\(fill)\"/>"
        default:
            return "<path d=\"\(subpath(x: x, y: y, radius: r))\" fill=\"\(fill)\"/>"
        }
    }

    /// Path data of one marker; circles and squares are zero-length strokes with round or square caps
    /// (`M x y h0`, a few bytes per point), triangles and diamonds small closed polygons.
    func subpath(x: Double, y: Double, radius r: Double) -> String {
        let c = ChartNumber.coordinate
        switch self {
        case .circle, .square:
            return "M\(c(x)) \(c(y))h0"
        case .triangle:
            return "M\(c(x)) \(c(y - r * 1.2))l\(c(r * 1.1)) \(c(r * 1.9))h\(c(-r * 2.2))z"
        case .diamond:
            return "M\(c(x)) \(c(y - r * 1.3))l\(c(r * 1.1)) \(c(r * 1.3))l\(c(-r * 1.1)) \(c(r * 1.3))l\(c(-r * 1.1)) \(c(-r * 1.3))z"
        }
    }

    /// Whether the shape is drawn as a stroke (caps) rather than filled.
    var isStroked: Bool { self == .circle || self == .square }
}
