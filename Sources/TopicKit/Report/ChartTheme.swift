/// Colours, fonts and sizes shared by every chart, so a report looks like one document.
enum ChartTheme {
    /// System sans-serif stack (no web fonts: reports work offline).
    static let fontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"
    static let titleSize = 15.0
    static let labelSize = 12.0
    static let tickSize = 11.0
    static let smallSize = 10.0
    static let text = "#222"
    static let mutedText = "#555"
    static let axis = "#777"
    static let grid = "#e4e4e4"
    static let background = "#fff"
    static let noteText = "#a0361b"

    /// A categorical palette of 20 colours: the first ten (Tableau 10 / matplotlib's default cycle) are the
    /// most distinct; the next ten are darker or lighter hues that stay apart from them.
    static let palette = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
        "#393b79", "#f5c200", "#0b6e4f", "#f88f9c", "#5e2a84", "#a6761d", "#00e0b8", "#3d3d3d", "#8fb9f0", "#b3005f",
    ]

    /// Colour of series or group `index` (the palette cycles; charts that need more than 20 also vary the shape).
    static func color(_ index: Int) -> String { palette[((index % palette.count) + palette.count) % palette.count] }

    /// Sequential scale for heatmaps (ColorBrewer "Blues"), light for low values, dark for high.
    static let sequential: [(Double, Double, Double)] = [
        (247, 251, 255), (222, 235, 247), (198, 219, 239), (158, 202, 225), (107, 174, 214),
        (66, 146, 198), (33, 113, 181), (8, 81, 156), (8, 48, 107),
    ]

    /// The sequential colour at `t` in 0...1 and whether text on it should be light.
    static func sequentialColor(_ t: Double) -> (fill: String, lightText: Bool) {
        let u = t.isFinite ? min(1, max(0, t)) : 0
        let position = u * Double(sequential.count - 1)
        let i = min(sequential.count - 2, Int(position))
        let f = position - Double(i)
        let a = sequential[i], b = sequential[i + 1]
        let r = a.0 + (b.0 - a.0) * f, g = a.1 + (b.1 - a.1) * f, bl = a.2 + (b.2 - a.2) * f
        let luminance = (0.2126 * r + 0.7152 * g + 0.0722 * bl) / 255
        return (hex(r, g, bl), luminance < 0.5)
    }

    static func hex(_ r: Double, _ g: Double, _ b: Double) -> String {
        let digits = Array("0123456789abcdef")
        var out = "#"
        for c in [r, g, b] {
            let v = Int(min(255, max(0, c.rounded())))
            out.append(digits[v / 16])
            out.append(digits[v % 16])
        }
        return out
    }
}
