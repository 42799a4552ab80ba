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
        case "i", "j", "l", "I", "!", "|", ".", ",", ":", ";", "'": return 0.3
        case " ", "f", "t", "r", "(", ")", "[", "]", "-": return 0.4
        case "m", "w", "M", "W", "@", "%": return 0.92
        case "A"..."Z": return 0.7
        case "0"..."9": return 0.64
        default:
            if scalar.value < 0x80 { return 0.6 }
            if scalar.value >= 0x1100 && scalar.properties.isIdeographic { return 1.0 }
            return 0.62
        }
    }

    /// `text` broken at spaces into lines no wider than `maxWidth` (a word longer than a line is shortened).
    static func wrap(_ text: String, maxWidth: Double, size: Double) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if width(candidate, size: size) <= maxWidth || current.isEmpty {
                current = candidate
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.map { truncate($0, maxWidth: maxWidth, size: size).text }
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
