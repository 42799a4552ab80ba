/// Splits text into lowercase word tokens like scikit-learn's default `token_pattern` `(?u)\b\w\w+\b`.
///
/// A word character is a Unicode letter or number or `_` (Python's `\w`). Tokens are runs of word
/// characters at least `minimumLength` characters long; with `joinHyphens` a single `-` between two word
/// characters stays inside the token ("kv-cache" is one token instead of "kv" and "cache").
/// Tokens are reported as byte ranges of the lowercased UTF-8 text, so the hot path allocates no strings.
public struct Tokenizer: Sendable, Equatable {
    public var minimumLength: Int
    public var joinHyphens: Bool

    public init(minimumLength: Int = 2, joinHyphens: Bool = false) {
        self.minimumLength = minimumLength
        self.joinHyphens = joinHyphens
    }

    /// The lowercased UTF-8 bytes of `text` (ASCII lowered in place; other text through `lowercased()`).
    public static func lowercasedBytes(_ text: String, into bytes: inout [UInt8]) {
        var copy = text
        let ascii = copy.withUTF8 { utf8 -> Bool in
            let n = utf8.count
            bytes.removeAll(keepingCapacity: true)
            bytes.reserveCapacity(n)
            var high: UInt8 = 0
            bytes.append(contentsOf: utf8)
            bytes.withUnsafeMutableBufferPointer { out in
                for i in 0..<n {
                    let b = out[i]
                    high |= b
                    out[i] = b &- 0x41 < 26 ? b | 0x20 : b
                }
            }
            return high < 0x80
        }
        if !ascii { lowercaseNonASCII(&bytes) }
    }

    /// Lowercases the non-ASCII scalars of `bytes` (ASCII already lowered) by their Unicode lowercase mapping,
    /// scalar by scalar as `String.lowercased()` does, copying ASCII runs whole.
    static func lowercaseNonASCII(_ bytes: inout [UInt8]) {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        bytes.withUnsafeBufferPointer { buf in
            let n = buf.count
            var i = 0
            while i < n {
                var e = i
                while e < n && buf[e] < 0x80 { e += 1 }
                if e > i { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<e])) }
                i = e
                guard i < n else { break }
                let (scalar, width) = decode(buf, i)
                if let scalar {
                    out.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
                } else {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<(i + width)]))
                }
                i += width
            }
        }
        bytes = out
    }

    /// Calls `body(start, end)` for every token of the (already lowercased) UTF-8 `bytes`, in order.
    @inline(__always)
    public func forEachToken(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Int, Int) -> Void) {
        Tokenizer.asciiWord.withUnsafeBufferPointer { asciiWord in
            let n = bytes.count
            var i = 0
            var start = -1
            var characters = 0
            while i < n {
                let b = bytes[i]
                var width = 1
                var isWord: Bool
                if b < 0x80 {
                    isWord = asciiWord[Int(b)]
                    if !isWord, b == 0x2D, joinHyphens, start >= 0, i + 1 < n, Tokenizer.startsWord(bytes, i + 1) {
                        isWord = true
                    }
                } else {
                    let (scalar, w) = Tokenizer.decode(bytes, i)
                    width = w
                    isWord = scalar.map(Tokenizer.isWordScalar) ?? false
                }
                if isWord {
                    if start < 0 { start = i; characters = 0 }
                    characters += 1
                } else if start >= 0 {
                    if characters >= minimumLength { body(start, i) }
                    start = -1
                }
                i += width
            }
            if start >= 0, characters >= minimumLength { body(start, n) }
        }
    }

    /// `isASCIIWord` for every ASCII byte: one load per byte in the tokenizer's loop.
    private static let asciiWord: [Bool] = (0..<128).map { isASCIIWord(UInt8($0)) }

    /// The tokens of `text` as strings; convenient for tests and explanations, not for bulk work.
    public func tokens(_ text: String) -> [String] {
        var bytes: [UInt8] = []
        Tokenizer.lowercasedBytes(text, into: &bytes)
        var out: [String] = []
        bytes.withUnsafeBufferPointer { buf in
            forEachToken(in: buf) { s, e in out.append(String(decoding: buf[s..<e], as: UTF8.self)) }
        }
        return out
    }

    @inline(__always)
    static func isASCIIWord(_ c: UInt8) -> Bool {
        c &- 0x30 < 10 || (c | 0x20) &- 0x61 < 26 || c == 0x5F
    }

    static func startsWord(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let b = bytes[i]
        if b < 0x80 { return isASCIIWord(b) }
        return decode(bytes, i).0.map(isWordScalar) ?? false
    }

    /// Python's `\w` for a non-ASCII scalar: letters (L*) and numbers (N*).
    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return s == "_"
        }
    }

    /// Decodes the UTF-8 scalar at `i`; returns nil (width 1) for a malformed byte.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> (Unicode.Scalar?, Int) {
        let b0 = UInt32(bytes[i])
        let n = bytes.count
        var width = 0
        var value: UInt32 = 0
        if b0 & 0xE0 == 0xC0 { width = 2; value = b0 & 0x1F }
        else if b0 & 0xF0 == 0xE0 { width = 3; value = b0 & 0x0F }
        else if b0 & 0xF8 == 0xF0 { width = 4; value = b0 & 0x07 }
        else { return (nil, 1) }
        if i + width > n { return (nil, 1) }
        for k in 1..<width {
            let b = UInt32(bytes[i + k])
            if b & 0xC0 != 0x80 { return (nil, 1) }
            value = value << 6 | (b & 0x3F)
        }
        return (Unicode.Scalar(value), width)
    }
}
