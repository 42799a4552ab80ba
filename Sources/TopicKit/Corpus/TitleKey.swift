import Foundation

/// The key that joins and de-duplicates papers by title: lowercase letters and digits only, so
/// "Attention Is All You Need" and "attention is all you need." meet.
public enum TitleKey {
    /// Lowercased letters and digits of `title` (NFC), everything else dropped.
    public static func normalize(_ title: String) -> String {
        var ascii = true
        var out: [UInt8] = []
        out.reserveCapacity(title.utf8.count)
        for b in title.utf8 {
            if b >= 0x80 { ascii = false; break }
            if b >= 0x61 && b <= 0x7A || b >= 0x30 && b <= 0x39 { out.append(b) }
            else if b >= 0x41 && b <= 0x5A { out.append(b | 0x20) }
        }
        if ascii { return String(decoding: out, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        for s in title.precomposedStringWithCanonicalMapping.lowercased().unicodeScalars
        where s.properties.isAlphabetic || s.properties.numericType != nil {
            scalars.append(s)
        }
        return String(scalars)
    }
}

/// Stable paper identifiers for inputs without an arXiv id.
enum PaperID {
    /// 16 hex digits of FNV-1a 64 over the UTF-8 of `TitleKey.normalize(title)`: the same on every
    /// run and machine (unlike Swift's seeded `Hasher`).
    static func forTitle(_ title: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in TitleKey.normalize(title).utf8 {
            hash ^= UInt64(b)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
