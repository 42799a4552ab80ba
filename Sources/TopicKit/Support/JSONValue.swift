import Foundation

/// A JSON document as a value: what `config.json` of a model bundle and the safetensors header hold.
///
/// Numbers keep their kind: a literal without fraction or exponent that fits in `Int` is `.integer`,
/// anything else is `.double` (so 64-bit seeds and counts survive a round trip exactly).
/// `.integer(3)` and `.double(3)` compare equal.
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case integer(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue: Equatable {
    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.integer(x), .integer(y)): return x == y
        case let (.double(x), .double(y)): return x == y
        case let (.integer(x), .double(y)), let (.double(y), .integer(x)): return Double(exactly: x) == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)): return x == y
        default: return false
        }
    }
}

// MARK: - Accessors

extension JSONValue {
    /// The member `key` of an object; nil for a missing key or a non-object.
    public subscript(key: String) -> JSONValue? {
        if case let .object(members) = self { return members[key] }
        return nil
    }

    /// The integer value of `.integer`, or of a `.double` holding an exact integer.
    public var intValue: Int? {
        switch self {
        case let .integer(i): return i
        case let .double(d): return Int(exactly: d)
        default: return nil
        }
    }

    /// The numeric value of `.integer` or `.double`.
    public var doubleValue: Double? {
        switch self {
        case let .integer(i): return Double(i)
        case let .double(d): return d
        default: return nil
        }
    }

    public var stringValue: String? { if case let .string(s) = self { return s }; return nil }
    public var boolValue: Bool? { if case let .bool(b) = self { return b }; return nil }
    public var arrayValue: [JSONValue]? { if case let .array(a) = self { return a }; return nil }
    public var objectValue: [String: JSONValue]? { if case let .object(o) = self { return o }; return nil }

    /// A short name of the value's kind, for error messages.
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

// MARK: - Errors

/// Why a byte string is not acceptable JSON, or a value cannot be written or converted.
public enum JSONError: Error, CustomStringConvertible, Equatable {
    /// Invalid JSON at a byte offset (1-based line and column are given for people).
    case syntax(message: String, offset: Int, line: Int, column: Int)
    /// The document is larger than the parser's `maximumBytes`.
    case tooLarge(bytes: Int, limit: Int)
    /// Arrays and objects are nested deeper than the parser's `maximumDepth`.
    case tooDeep(limit: Int, offset: Int)
    /// NaN or infinity cannot be written as JSON.
    case nonFiniteNumber(path: String)
    /// A `Codable` conversion failed.
    case conversion(String)

    public var description: String {
        switch self {
        case let .syntax(message, offset, line, column):
            return "invalid JSON at line \(line), column \(column) (byte \(offset)): \(message)"
        case let .tooLarge(bytes, limit):
            return "JSON document of \(bytes) bytes exceeds the limit of \(limit) bytes"
        case let .tooDeep(limit, offset):
            return "JSON nested deeper than \(limit) levels at byte \(offset)"
        case let .nonFiniteNumber(path):
            return "cannot write a non-finite number (NaN or infinity) as JSON at \(path)"
        case let .conversion(message):
            return "JSON conversion failed: \(message)"
        }
    }
}

// MARK: - Parsing

extension JSONValue {
    /// Default limit on the document size accepted by `parse` (64 MiB).
    public static let defaultMaximumBytes = 64 << 20
    /// Default limit on nesting of arrays and objects accepted by `parse`.
    public static let defaultMaximumDepth = 256

    /// Parses one JSON value (RFC 8259, strict: no comments, trailing commas, leading zeros,
    /// duplicate object keys, unescaped control characters or invalid UTF-8) surrounded only by
    /// whitespace.
    public static func parse<C: Collection>(
        _ bytes: C, maximumBytes: Int = defaultMaximumBytes, maximumDepth: Int = defaultMaximumDepth
    ) throws -> JSONValue where C.Element == UInt8 {
        if bytes.count > maximumBytes { throw JSONError.tooLarge(bytes: bytes.count, limit: maximumBytes) }
        let array = Array(bytes)
        return try array.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(bytes: buffer, maximumDepth: maximumDepth)
            return try parser.parseDocument()
        }
    }

    /// Parses the UTF-8 bytes of `text`.
    public static func parse(_ text: String) throws -> JSONValue {
        try parse(Array(text.utf8))
    }
}

/// A recursive-descent parser over UTF-8 bytes.
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let maximumDepth: Int
    var position = 0
    var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    mutating func parseDocument() throws -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if position < bytes.count { throw error("unexpected \(describe(bytes[position])) after the value") }
        return value
    }

    func error(_ message: String, at offset: Int? = nil) -> JSONError {
        let end = min(offset ?? position, bytes.count)
        var line = 1
        var lineStart = 0
        for i in 0..<end where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        return .syntax(message: message, offset: end, line: line, column: end - lineStart + 1)
    }

    func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16))"
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws -> JSONValue {
        guard position < bytes.count else { throw error("unexpected end of input, expected a value") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected \(describe(bytes[position])), expected a value")
        }
    }

    mutating func expectLiteral(_ literal: String) throws {
        let start = position
        let lit = Array(literal.utf8)
        let n = lit.count
        guard position + n <= bytes.count, (0..<n).allSatisfy({ bytes[start + $0] == lit[$0] }) else {
            throw error("invalid literal, expected \(literal)", at: start)
        }
        position += n
    }

    mutating func enter() throws {
        depth += 1
        if depth > maximumDepth { throw JSONError.tooDeep(limit: maximumDepth, offset: position) }
    }

    mutating func parseObject() throws -> JSONValue {
        try enter()
        position += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if position < bytes.count && bytes[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of input in an object") }
            guard bytes[position] == UInt8(ascii: "\"") else {
                throw error("expected a string key, found \(describe(bytes[position]))")
            }
            let keyStart = position
            let key = try parseString()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                throw error("expected ':' after an object key")
            }
            position += 1
            skipWhitespace()
            let value = try parseValue()
            if members.updateValue(value, forKey: key) != nil {
                throw error("duplicate key \"\(key)\"", at: keyStart)
            }
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of input in an object") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "}") { position += 1; break }
            throw error("expected ',' or '}' in an object, found \(describe(bytes[position]))")
        }
        depth -= 1
        return .object(members)
    }

    mutating func parseArray() throws -> JSONValue {
        try enter()
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count && bytes[position] == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of input in an array") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "]") { position += 1; break }
            throw error("expected ',' or ']' in an array, found \(describe(bytes[position]))")
        }
        depth -= 1
        return .array(elements)
    }

    mutating func parseHex4() throws -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[position]
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in \\u escape")
            }
            v = v << 4 | digit
            position += 1
        }
        return v
    }

    mutating func parseString() throws -> String {
        let start = position
        position += 1
        var out: [UInt8] = []
        var runStart = position
        while true {
            guard position < bytes.count else { throw error("unterminated string", at: start) }
            let c = bytes[position]
            if c == UInt8(ascii: "\"") {
                out.append(contentsOf: bytes[runStart..<position])
                position += 1
                break
            }
            if c < 0x20 { throw error("unescaped control character \(describe(c)) in a string") }
            if c != UInt8(ascii: "\\") { position += 1; continue }
            out.append(contentsOf: bytes[runStart..<position])
            position += 1
            guard position < bytes.count else { throw error("unterminated escape") }
            let e = bytes[position]
            position += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                let escapeStart = position - 2
                var scalar = try parseHex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard position + 2 <= bytes.count, bytes[position] == UInt8(ascii: "\\"),
                          bytes[position + 1] == UInt8(ascii: "u") else {
                        throw error("unpaired surrogate in \\u escape", at: escapeStart)
                    }
                    position += 2
                    let low = try parseHex4()
                    guard (0xDC00..<0xE000).contains(low) else {
                        throw error("invalid low surrogate in \\u escape", at: escapeStart)
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw error("unpaired surrogate in \\u escape", at: escapeStart)
                }
                guard let u = Unicode.Scalar(scalar) else { throw error("invalid \\u escape", at: escapeStart) }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default:
                throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))'", at: position - 2)
            }
            runStart = position
        }
        guard let s = String(validating: out, as: UTF8.self) else {
            throw error("string is not valid UTF-8", at: start)
        }
        return s
    }

    mutating func parseNumber() throws -> JSONValue {
        let start = position
        func isDigit(_ i: Int) -> Bool {
            i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9")
        }
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard isDigit(position) else { throw error("expected a digit", at: position) }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if isDigit(position) { throw error("leading zeros are not allowed in numbers", at: start) }
        } else {
            while isDigit(position) { position += 1 }
        }
        var integral = true
        if position < bytes.count && bytes[position] == UInt8(ascii: ".") {
            integral = false
            position += 1
            guard isDigit(position) else { throw error("expected a digit after '.'") }
            while isDigit(position) { position += 1 }
        }
        if position < bytes.count && (bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E")) {
            integral = false
            position += 1
            if position < bytes.count && (bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")) {
                position += 1
            }
            guard isDigit(position) else { throw error("expected a digit in the exponent") }
            while isDigit(position) { position += 1 }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if integral, let i = Int(text) { return .integer(i) }
        guard let d = Double(text), d.isFinite else { throw error("number \(text) is out of range", at: start) }
        return .double(d)
    }
}

// MARK: - Serialising

extension JSONValue {
    /// The canonical text: object keys sorted by their UTF-8 bytes, integers without ".0",
    /// doubles in shortest round-trip form; `pretty` indents by 2 spaces and ends with a newline.
    /// Non-finite doubles are refused.
    public func serialized(pretty: Bool = true) throws -> [UInt8] {
        var out: [UInt8] = []
        try write(to: &out, pretty: pretty, indent: 0, path: "$")
        if pretty { out.append(0x0A) }
        return out
    }

    /// `serialized(pretty:)` as a String.
    public func serializedString(pretty: Bool = true) throws -> String {
        String(decoding: try serialized(pretty: pretty), as: UTF8.self)
    }

    /// The canonical text of a finite double: integral values below 2^53 in magnitude as integers,
    /// others in Swift's shortest round-trip form (which is valid JSON).
    static func numberText(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 9_007_199_254_740_992 { return String(Int64(d)) }
        return d.description
    }

    private func write(to out: inout [UInt8], pretty: Bool, indent: Int, path: String) throws {
        func newline(_ level: Int) {
            guard pretty else { return }
            out.append(0x0A)
            out.append(contentsOf: repeatElement(UInt8(0x20), count: 2 * level))
        }
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case let .bool(b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case let .integer(i): out.append(contentsOf: String(i).utf8)
        case let .double(d):
            guard d.isFinite else { throw JSONError.nonFiniteNumber(path: path) }
            out.append(contentsOf: JSONValue.numberText(d).utf8)
        case let .string(s): JSONValue.writeString(s, to: &out)
        case let .array(elements):
            if elements.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(UInt8(ascii: "["))
            for (i, e) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                try e.write(to: &out, pretty: pretty, indent: indent + 1, path: "\(path)[\(i)]")
            }
            newline(indent)
            out.append(UInt8(ascii: "]"))
        case let .object(members):
            if members.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for (i, key) in keys.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                JSONValue.writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                if pretty { out.append(0x20) }
                try members[key]!.write(to: &out, pretty: pretty, indent: indent + 1, path: "\(path).\(key)")
            }
            newline(indent)
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writeString(_ s: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0..<0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 15)])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

// MARK: - Codable bridging

extension JSONValue: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let i = try? c.decode(Int.self) { self = .integer(i); return }
        if let d = try? c.decode(Double.self) { self = .double(d); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let a = try? c.decode([JSONValue].self) { self = .array(a); return }
        if let o = try? c.decode([String: JSONValue].self) { self = .object(o); return }
        throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a JSON value")
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case let .bool(b): try c.encode(b)
        case let .integer(i): try c.encode(i)
        case let .double(d): try c.encode(d)
        case let .string(s): try c.encode(s)
        case let .array(a): try c.encode(a)
        case let .object(o): try c.encode(o)
        }
    }

    /// The JSON form of any `Encodable` (e.g. an options struct to store in `config.json`).
    /// Non-finite floating-point values are refused.
    public init<T: Encodable>(encoding value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do { data = try encoder.encode(value) } catch {
            throw JSONError.conversion("cannot encode \(T.self): \(error)")
        }
        self = try JSONValue.parse(data)
    }

    /// Decodes a `Decodable` from this value (the inverse of `init(encoding:)`).
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let bytes = try serialized(pretty: false)
        do { return try JSONDecoder().decode(T.self, from: Data(bytes)) } catch let error as DecodingError {
            throw JSONError.conversion("cannot decode \(T.self): \(JSONValue.describe(error))")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ c: DecodingError.Context) -> String {
            let p = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return p.isEmpty ? "$" : "$" + p
        }
        switch error {
        case let .keyNotFound(key, c): return "missing key \"\(key.stringValue)\" at \(path(c))"
        case let .typeMismatch(t, c): return "expected \(t) at \(path(c)): \(c.debugDescription)"
        case let .valueNotFound(t, c): return "missing \(t) value at \(path(c))"
        case let .dataCorrupted(c): return "\(c.debugDescription) at \(path(c))"
        @unknown default: return "\(error)"
        }
    }
}
