/// Locale-free number formatting for charts and reports: the same value always gives the same bytes.
public enum ChartNumber {
    /// `value` rounded half away from zero to `decimals` places ("0.50", "−3", "1234.5"); the sign is the
    /// typographic minus (U+2212) unless `asciiMinus`. Non-finite values print as "NaN", "∞", "−∞".
    public static func format(_ value: Double, decimals: Int, asciiMinus: Bool = false) -> String {
        let minus = asciiMinus ? "-" : "\u{2212}"
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? minus + "∞" : "∞" }
        let places = max(0, min(decimals, 12))
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        // Beyond 2^53 integer arithmetic is no longer exact; Swift's shortest round-trip form is locale-free too.
        guard scaled < 9.0e15 else { return value < 0 ? minus + "\(abs(value))" : "\(value)" }
        let units = UInt64(scaled)
        var divisor: UInt64 = 1
        for _ in 0..<places { divisor *= 10 }
        var text = String(units / divisor)
        if places > 0 {
            let fraction = String(units % divisor)
            text += "." + String(repeating: "0", count: places - fraction.count) + fraction
        }
        return (value < 0 && units != 0 ? minus : "") + text
    }

    /// A short general-purpose label: integers without decimals, otherwise 2 decimals below 10, 1 below 100
    /// and none above (the default cell format of `Heatmap`).
    public static func general(_ value: Double) -> String {
        guard value.isFinite else { return format(value, decimals: 0) }
        if value == value.rounded(), abs(value) < 1e15 { return format(value, decimals: 0) }
        let magnitude = abs(value)
        return format(value, decimals: magnitude < 10 ? 2 : magnitude < 100 ? 1 : 0)
    }

    /// An SVG coordinate: ASCII, at most one decimal, no trailing ".0" (keeps large plots small).
    static func coordinate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let text = format(value, decimals: 1, asciiMinus: true)
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}
