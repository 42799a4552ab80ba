/// Builders of SVG path data strings from pixel coordinates.
enum PathData {
    static func rectOutline(x: Double, y: Double, width: Double, height: Double) -> String {
        let c = ChartNumber.coordinate
        return "M\(c(x)) \(c(y))h\(c(width))v\(c(height))h\(c(-width))z"
    }

    /// A polyline through `points` (pixel coordinates); consecutive points that print the same are dropped.
    static func polyline(_ points: [(Double, Double)]) -> String {
        let c = ChartNumber.coordinate
        var d = ""
        var last = ""
        for (i, p) in points.enumerated() {
            let xy = c(p.0) + " " + c(p.1)
            if xy == last { continue }
            d += (i == 0 ? "M" : "L") + xy
            last = xy
        }
        return d
    }
}
