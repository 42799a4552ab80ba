import Foundation

/// The text clean-up every reader applies to titles and abstracts: Unicode NFC and whitespace
/// runs (line breaks, tabs, double spaces) collapsed to one space, ends trimmed.
enum CorpusText {
    @inline(__always) static func isASCIISpace(_ b: UInt8) -> Bool {
        b == 0x20 || (b >= 0x09 && b <= 0x0D)
    }

    /// A clean string from raw UTF-8 bytes, or nil when they are not valid UTF-8.
    ///
    /// Most text is ASCII with single spaces: one scan proves it and the bytes become the string
    /// as they are; only text with runs of whitespace is copied, and only non-ASCII text pays for NFC.
    static func clean(_ bytes: UnsafeBufferPointer<UInt8>, scratch: inout [UInt8]) -> String? {
        let (nonASCII, needsCollapse) = ByteScan.textShape(bytes)
        if !nonASCII {
            guard needsCollapse else { return String(decoding: bytes, as: UTF8.self) }
            return String(unsafeUninitializedCapacity: bytes.count) { out in
                collapse(bytes, into: out)
            }
        }
        let text: String?
        if needsCollapse {
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: repeatElement(0, count: bytes.count))
            let n = scratch.withUnsafeMutableBufferPointer { collapse(bytes, into: $0) }
            text = scratch.withUnsafeBufferPointer { String(validating: UnsafeBufferPointer(rebasing: $0[..<n]), as: UTF8.self) }
        } else {
            text = String(validating: bytes, as: UTF8.self)
        }
        return text.map(cleanUnicode)
    }

    /// Writes `bytes` with ASCII whitespace runs collapsed (control bytes count as space) and ends
    /// trimmed into `out` (at least as large); returns the length written.
    private static func collapse(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var n = 0
        var pendingSpace = false
        for b in bytes {
            if b <= 0x20 { pendingSpace = true; continue }
            if pendingSpace && n > 0 { out[n] = 0x20; n += 1 }
            pendingSpace = false
            out[n] = b
            n += 1
        }
        return n
    }

    /// NFC plus collapsing of every Unicode whitespace (no-break space, line separator, …).
    static func clean(_ s: String) -> String {
        var scratch: [UInt8] = []
        var copy = s
        return copy.withUTF8 { clean($0, scratch: &scratch) } ?? s
    }

    private static func cleanUnicode(_ s: String) -> String {
        let nfc = s.precomposedStringWithCanonicalMapping
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for u in nfc.unicodeScalars {
            if u.value < 0x80 ? (u.value <= 0x20) : (u.properties.isWhitespace || u.value == 0x85) {
                pendingSpace = true
                continue
            }
            if pendingSpace && !scalars.isEmpty { scalars.append(" ") }
            pendingSpace = false
            scalars.append(u)
        }
        return String(scalars)
    }
}
