/// Approximate text widths for layout (no font metrics are available when writing an SVG file): per-character
/// advance widths of a typical sans-serif, slightly generous so labels do not collide.
enum TextMeasure {
    /// Estimated width in pixels of `text` at `size` pixels.
    static func width(_ text: String, size: Double) -> Double {
        var em = 0.0
        for scalar in text.unicodeScalars { em += advance(scalar) }
        return em * size
    }

    private static func advance(_ scalar: Unicode.Scalar) -> Double {
        switch scalar {
        case "i", "j", "l", "I", "!", "|", ".", ",", ":", ";", "'": return 0.28
        case " ", "f", "t", "r", "(", ")", "[", "]", "-": return 0.36
        case "m", "w", "M", "W", "@", "%": return 0.86
        case "A"..."Z": return 0.68
        case "0"..."9": return 0.57
        default:
            if scalar.value < 0x80 { return 0.55 }
            if scalar.value >= 0x1100 && scalar.properties.isIdeographic { return 1.0 }
            return 0.62
        }
    }

    /// `text` shortened with "…" to fit `maxWidth`, and whether it was shortened.
    static func truncate(_ text: String, maxWidth: Double, size: Double) -> (text: String, truncated: Bool) {
        if width(text, size: size) <= maxWidth { return (text, false) }
        let ellipsis = width("…", size: size)
        var kept = ""
        var used = 0.0
        for character in text {
            let w = width(String(character), size: size)
            if used + w + ellipsis > maxWidth { break }
            kept.append(character)
            used += w
        }
        return (kept.trimmingTrailingSpaces() + "…", true)
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
