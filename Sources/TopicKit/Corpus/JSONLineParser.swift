/// A hand-written byte-level parser for one JSON Lines record (an object) into a `Paper`.
///
/// Foundation's JSONSerialization builds a whole object graph per line; this walks the bytes once,
/// copies only the strings it keeps and hands other fields through as raw JSON text.
struct JSONLineParser {
    /// Why a line was not a paper.
    enum Failure: Error, Equatable {
        case syntax(String)
        case missing(String)
        case invalidUTF8
    }

    enum Outcome {
        case paper(Paper)
        case blank
        case failure(Failure)
    }

    private var scratch: [UInt8] = []
    private var cleaned: [UInt8] = []
    private static let maximumDepth = 256

    init() {}

    /// Pre-sizes the scratch buffers for a long run of lines.
    mutating func reserve(_ bytes: Int) {
        scratch.reserveCapacity(bytes)
        cleaned.reserveCapacity(bytes)
    }

    mutating func parse(_ line: UnsafeBufferPointer<UInt8>) -> Outcome {
        do {
            return try parseObject(line)
        } catch let failure as Failure {
            return .failure(failure)
        } catch {
            return .failure(.syntax("\(error)"))
        }
    }

    private mutating func parseObject(_ p: UnsafeBufferPointer<UInt8>) throws -> Outcome {
        var i = 0
        skipSpace(p, &i)
        if i == p.count { return .blank }
        guard p[i] == UInt8(ascii: "{") else { throw Failure.syntax("expected '{' at column \(i + 1)") }
        i += 1
        var title: String?
        var abstract: String?
        var summary: String?
        var id: String?
        var date: String?
        var authorCount: Int?
        var upvotes: Int?
        var tags: [String]?
        var categories: [String]?
        var extra: [String: String] = [:]

        skipSpace(p, &i)
        if i < p.count && p[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                skipSpace(p, &i)
                guard i < p.count else { throw truncated() }
                guard p[i] == UInt8(ascii: "\"") else { throw Failure.syntax("expected a field name at column \(i + 1)") }
                let key = try decodeKey(p, &i)
                skipSpace(p, &i)
                guard i < p.count else { throw truncated() }
                guard p[i] == UInt8(ascii: ":") else { throw Failure.syntax("expected ':' after \"\(key)\"") }
                i += 1
                skipSpace(p, &i)
                guard i < p.count else { throw truncated() }
                switch key {
                case "title": title = try textValue(p, &i, field: key)
                case "abstract": abstract = try textValue(p, &i, field: key)
                case "summary": summary = try textValue(p, &i, field: key)
                case "date": date = try textValue(p, &i, field: key)
                case "id": id = try idValue(p, &i)
                case "tags": tags = try listValue(p, &i, field: key, separator: ",")
                case "categories": categories = try listValue(p, &i, field: key, separator: " ")
                case "author_count", "upvotes":
                    let start = i
                    try skipValue(p, &i, depth: 0)
                    let raw = try rawText(p, start..<i)
                    if let n = Int(raw) {
                        if key == "upvotes" { upvotes = n } else { authorCount = n }
                    } else if raw != "null" {
                        extra[key] = raw
                    }
                default:
                    let start = i
                    try skipValue(p, &i, depth: 0)
                    extra[key] = try rawText(p, start..<i)
                }
                skipSpace(p, &i)
                guard i < p.count else { throw truncated() }
                if p[i] == UInt8(ascii: ",") { i += 1; continue }
                if p[i] == UInt8(ascii: "}") { i += 1; break }
                throw Failure.syntax("expected ',' or '}' at column \(i + 1)")
            }
        }
        skipSpace(p, &i)
        guard i == p.count else { throw Failure.syntax("unexpected text after the object at column \(i + 1)") }
        guard let title, !title.isEmpty else { throw Failure.missing("title") }
        guard let text = abstract.flatMap({ $0.isEmpty ? nil : $0 }) ?? summary, !text.isEmpty else {
            throw Failure.missing("abstract")
        }
        return .paper(Paper(id: id ?? "", title: title, abstract: text, authorCount: authorCount, date: date,
                            upvotes: upvotes, tags: tags, categories: categories, extra: extra))
    }

    private func truncated() -> Failure { .syntax("unexpected end of line (truncated record?)") }

    @inline(__always) private func skipSpace(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) {
        while i < p.count {
            let b = p[i]
            guard b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D else { return }
            i += 1
        }
    }

    /// Decodes the string literal at `i` (which holds the opening quote) into `scratch`. Returns
    /// the literal's raw content range when it had no escapes (so callers can read the line directly).
    fileprivate mutating func decodeString(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) throws -> Range<Int>? {
        i += 1
        var start = i
        var escaped = false
        scratch.removeAll(keepingCapacity: true)
        while true {
            i = ByteScan.firstJSONSpecial(p, from: i)
            guard i < p.count else { break }
            let b = p[i]
            if b == UInt8(ascii: "\"") {
                if !escaped { i += 1; return start..<(i - 1) }
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<i]))
                i += 1
                return nil
            }
            if b == UInt8(ascii: "\\") {
                if !escaped { escaped = true }
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<i]))
                try decodeEscape(p, &i)
                start = i
                continue
            }
            throw Failure.syntax("control character inside a string at column \(i + 1)")
        }
        throw truncated()
    }

    private mutating func decodeEscape(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) throws {
        guard i + 1 < p.count else { throw truncated() }
        let c = p[i + 1]
        i += 2
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(c)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "u"):
            var scalar = try hex4(p, &i)
            if scalar >= 0xD800 && scalar < 0xDC00 {
                guard i + 1 < p.count, p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u") else {
                    throw Failure.syntax("unpaired surrogate escape at column \(i)")
                }
                i += 2
                let low = try hex4(p, &i)
                guard low >= 0xDC00 && low < 0xE000 else { throw Failure.syntax("unpaired surrogate escape at column \(i)") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00 && scalar < 0xE000 {
                throw Failure.syntax("unpaired surrogate escape at column \(i)")
            }
            appendUTF8(scalar)
        default:
            throw Failure.syntax("invalid escape '\\\(Character(Unicode.Scalar(c)))' at column \(i - 1)")
        }
    }

    private func hex4(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) throws -> UInt32 {
        guard i + 4 <= p.count else { throw truncated() }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = p[i]
            let d: UInt8
            switch b {
            case 0x30...0x39: d = b - 0x30
            case 0x41...0x46: d = b - 0x41 + 10
            case 0x61...0x66: d = b - 0x61 + 10
            default: throw Failure.syntax("invalid \\u escape at column \(i + 1)")
            }
            v = v << 4 | UInt32(d)
            i += 1
        }
        return v
    }

    private mutating func appendUTF8(_ v: UInt32) {
        switch v {
        case 0..<0x80: scratch.append(UInt8(v))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | (v >> 6)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | (v >> 12)))
            scratch.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        default:
            scratch.append(UInt8(0xF0 | (v >> 18)))
            scratch.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    private mutating func decodeKey(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) throws -> String {
        if let raw = try decodeString(p, &i) {
            guard let s = String(validating: UnsafeBufferPointer(rebasing: p[raw]), as: UTF8.self) else {
                throw Failure.invalidUTF8
            }
            return s
        }
        guard let s = String(validating: scratch, as: UTF8.self) else { throw Failure.invalidUTF8 }
        return s
    }

    /// A string literal, cleaned (NFC, whitespace collapsed); nil for JSON null.
    private mutating func cleanString(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) throws -> String {
        let raw = try decodeString(p, &i)
        let text: String?
        if let raw {
            text = CorpusText.clean(UnsafeBufferPointer(rebasing: p[raw]), scratch: &cleaned)
        } else {
            text = scratch.withUnsafeBufferPointer { CorpusText.clean($0, scratch: &cleaned) }
        }
        guard let text else { throw Failure.invalidUTF8 }
        return text
    }

    private mutating func textValue(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int, field: String) throws -> String? {
        if p[i] == UInt8(ascii: "\"") { return try cleanString(p, &i) }
        if try skipNull(p, &i) { return nil }
        throw Failure.syntax("'\(field)' must be a string")
    }

    private mutating func idValue(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) throws -> String? {
        if p[i] == UInt8(ascii: "\"") {
            let s = try cleanString(p, &i)
            return s.isEmpty ? nil : s
        }
        if try skipNull(p, &i) { return nil }
        let start = i
        try skipValue(p, &i, depth: 0)
        let raw = try rawText(p, start..<i)
        guard Double(raw) != nil else { throw Failure.syntax("'id' must be a string or a number") }
        return raw
    }

    /// A list of strings: a JSON array, or one string split at `separator` (and trimmed).
    fileprivate mutating func listValue(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int, field: String,
                                    separator: Character) throws -> [String]? {
        if p[i] == UInt8(ascii: "\"") {
            return Self.split(try cleanString(p, &i), separator: separator)
        }
        if try skipNull(p, &i) { return nil }
        guard p[i] == UInt8(ascii: "[") else { throw Failure.syntax("'\(field)' must be a list of strings or a string") }
        i += 1
        var items: [String] = []
        skipSpace(p, &i)
        if i < p.count && p[i] == UInt8(ascii: "]") { i += 1; return items }
        while true {
            skipSpace(p, &i)
            guard i < p.count else { throw truncated() }
            guard p[i] == UInt8(ascii: "\"") else { throw Failure.syntax("'\(field)' must be a list of strings") }
            let item = try cleanString(p, &i)
            if !item.isEmpty { items.append(item) }
            skipSpace(p, &i)
            guard i < p.count else { throw truncated() }
            if p[i] == UInt8(ascii: ",") { i += 1; continue }
            if p[i] == UInt8(ascii: "]") { i += 1; return items }
            throw Failure.syntax("expected ',' or ']' at column \(i + 1)")
        }
    }

    static func split(_ text: String, separator: Character) -> [String] {
        // Callers pass cleaned text: whitespace is already single ASCII spaces.
        let parts = text.split(separator: separator)
        return parts.compactMap { part in
            let trimmed = part.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed()
            return trimmed.isEmpty ? nil : String(trimmed)
        }
    }

    private func skipNull(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) throws -> Bool {
        guard p[i] == UInt8(ascii: "n") else { return false }
        try literal("null", p, &i)
        return true
    }

    private func literal(_ word: StaticString, _ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) throws {
        let n = word.utf8CodeUnitCount
        guard i + n <= p.count else { throw truncated() }
        for k in 0..<n where p[i + k] != word.utf8Start[k] {
            throw Failure.syntax("invalid literal at column \(i + 1)")
        }
        i += n
    }

    private func rawText(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) throws -> String {
        guard let s = String(validating: UnsafeBufferPointer(rebasing: p[r]), as: UTF8.self) else {
            throw Failure.invalidUTF8
        }
        return s
    }

    /// Steps over one JSON value of any kind, checking its syntax.
    private mutating func skipValue(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int, depth: Int) throws {
        guard i < p.count else { throw truncated() }
        guard depth < Self.maximumDepth else { throw Failure.syntax("values nested deeper than \(Self.maximumDepth)") }
        switch p[i] {
        case UInt8(ascii: "\""):
            _ = try decodeString(p, &i)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let isObject = p[i] == UInt8(ascii: "{")
            let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
            i += 1
            skipSpace(p, &i)
            guard i < p.count else { throw truncated() }
            if p[i] == close { i += 1; return }
            while true {
                skipSpace(p, &i)
                guard i < p.count else { throw truncated() }
                if isObject {
                    guard p[i] == UInt8(ascii: "\"") else { throw Failure.syntax("expected a field name at column \(i + 1)") }
                    _ = try decodeString(p, &i)
                    skipSpace(p, &i)
                    guard i < p.count else { throw truncated() }
                    guard p[i] == UInt8(ascii: ":") else { throw Failure.syntax("expected ':' at column \(i + 1)") }
                    i += 1
                    skipSpace(p, &i)
                }
                try skipValue(p, &i, depth: depth + 1)
                skipSpace(p, &i)
                guard i < p.count else { throw truncated() }
                if p[i] == UInt8(ascii: ",") { i += 1; continue }
                if p[i] == close { i += 1; return }
                throw Failure.syntax("expected ',' or '\(Character(Unicode.Scalar(close)))' at column \(i + 1)")
            }
        case UInt8(ascii: "t"): try literal("true", p, &i)
        case UInt8(ascii: "f"): try literal("false", p, &i)
        case UInt8(ascii: "n"): try literal("null", p, &i)
        case UInt8(ascii: "-"), 0x30...0x39:
            let start = i
            i += 1
            while i < p.count {
                let b = p[i]
                guard (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: ".") || b == UInt8(ascii: "e")
                    || b == UInt8(ascii: "E") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") else { break }
                i += 1
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
            guard Double(text) != nil else { throw Failure.syntax("invalid number at column \(start + 1)") }
        default:
            throw Failure.syntax("unexpected character at column \(i + 1)")
        }
    }
}

extension JSONLineParser {
    /// A raw JSON value read as a list of strings: an array of strings, or a string split at commas
    /// (or at spaces when it has no comma). Nil for null or anything else.
    mutating func stringList(_ raw: String) -> [String]? {
        var copy = raw
        return copy.withUTF8 { p -> [String]? in
            var i = 0
            while i < p.count && CorpusText.isASCIISpace(p[i]) { i += 1 }
            guard i < p.count else { return nil }
            let separator: Character
            if p[i] == UInt8(ascii: "\"") {
                let hasComma = p.contains(UInt8(ascii: ","))
                separator = hasComma ? "," : " "
            } else {
                separator = ","
            }
            guard let list = try? listValue(p, &i, field: "labels", separator: separator) else { return nil }
            while i < p.count && CorpusText.isASCIISpace(p[i]) { i += 1 }
            return i == p.count ? list : nil
        }
    }
}

extension JSONLineParser {
    /// The text of a raw JSON string literal (escapes decoded, not otherwise cleaned); nil if `raw` is not one.
    mutating func stringValue(_ raw: String) -> String? {
        var copy = raw
        return copy.withUTF8 { p -> String? in
            guard p.count >= 2, p[0] == UInt8(ascii: "\"") else { return nil }
            var i = 0
            let range: Range<Int>?
            do { range = try decodeString(p, &i) } catch { return nil }
            guard i == p.count else { return nil }
            if let range { return String(validating: UnsafeBufferPointer(rebasing: p[range]), as: UTF8.self) }
            return String(validating: scratch, as: UTF8.self)
        }
    }
}
