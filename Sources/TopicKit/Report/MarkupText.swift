/// Escaping of user text (tag names, titles, captions) for XML/SVG and HTML, in text and in attributes.
enum MarkupText {
    /// `text` with `& < > " '` escaped and characters XML 1.0 forbids (C0 controls other than tab and
    /// line breaks, U+FFFE, U+FFFF) dropped, so any input gives a well-formed document.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF || (v >= 0x7F && v < 0xA0) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `text` on one line (line breaks and tabs become spaces), escaped: for SVG labels.
    static func escapeLine(_ text: String) -> String {
        var line = ""
        for scalar in text.unicodeScalars {
            if scalar == "\n" || scalar == "\r" || scalar == "\t" { line += " " } else { line.unicodeScalars.append(scalar) }
        }
        return escape(line)
    }
}
