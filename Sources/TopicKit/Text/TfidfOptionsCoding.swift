// Readable JSON for the option enums in a model bundle's config.json:
// DocumentFrequency as {"count": 5} or {"proportion": 0.5}; StopWordList as "none", "english" or ["a", "b"].

extension DocumentFrequency {
    private enum Keys: String, CodingKey { case count, proportion }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        if let n = try c.decodeIfPresent(Int.self, forKey: .count) {
            self = .count(n)
        } else if let p = try c.decodeIfPresent(Double.self, forKey: .proportion) {
            self = .proportion(p)
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "a document frequency needs \"count\" (integer) or \"proportion\" (0...1)"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .count(let n): try c.encode(n, forKey: .count)
        case .proportion(let p): try c.encode(p, forKey: .proportion)
        }
    }
}

extension StopWordList {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let name = try? c.decode(String.self) {
            switch name {
            case "none": self = .none
            case "english": self = .english
            default:
                throw DecodingError.dataCorruptedError(in: c,
                    debugDescription: "unknown stop-word list \"\(name)\": use \"none\", \"english\" or a list of words")
            }
        } else {
            self = .custom(try c.decode([String].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .none: try c.encode("none")
        case .english: try c.encode("english")
        case .custom(let words): try c.encode(words)
        }
    }
}
