/// Why a model bundle cannot be saved or loaded. Every message names the path involved.
public enum ModelBundleError: Error, CustomStringConvertible {
    case missingDirectory(path: String)
    case missingFile(path: String)
    case unreadable(path: String, reason: String)
    case invalidConfig(path: String, reason: String)
    case newerFormat(path: String, version: Int)
    case unknownFormat(path: String, value: String)
    case invalidVocabulary(path: String, reason: String)
    case vocabularySizeMismatch(path: String, lines: Int, expected: Int)
    case invalidTensors(path: String, reason: SafeTensorsError)
    case missingTensor(name: String, available: [String])
    case tensorMismatch(name: String, reason: String)
    case notABundle(path: String, reason: String)
    case writeFailed(path: String, reason: String)
    /// A bundle file larger than its limit in `Limits` (refused before it is read).
    case fileTooLarge(path: String, bytes: Int, limit: Int)
    /// A vocabulary with more terms than `Limits.maximumVocabularySize`.
    case vocabularyTooLarge(path: String, terms: Int, limit: Int)

    public var description: String {
        switch self {
        case let .missingDirectory(path):
            return "model bundle \(path) does not exist (or is not a directory)"
        case let .missingFile(path):
            return "model bundle file \(path) is missing"
        case let .unreadable(path, reason):
            return "cannot read \(path): \(reason)"
        case let .invalidConfig(path, reason):
            return "\(path): \(reason)"
        case let .newerFormat(path, version):
            return "\(path) was made by a newer TopicKit (format \(version)); this build reads format "
                + "\(ModelBundle.formatVersion) — upgrade TopicKit"
        case let .unknownFormat(path, value):
            return "\(path) has unknown format_version \(value); this build reads format \(ModelBundle.formatVersion)"
        case let .invalidVocabulary(path, reason):
            return "\(path): \(reason)"
        case let .vocabularySizeMismatch(path, lines, expected):
            return "\(path) has \(lines) terms but config.json says vocab_size \(expected) (bundle damaged?)"
        case let .invalidTensors(path, reason):
            return "\(path): \(reason)"
        case let .missingTensor(name, available):
            return "model has no tensor \"\(name)\" (it has: \(available.joined(separator: ", ")))"
        case let .tensorMismatch(name, reason):
            return "tensor \"\(name)\": \(reason)"
        case let .notABundle(path, reason):
            return "refusing to overwrite \(path): \(reason)"
        case let .writeFailed(path, reason):
            return "cannot write model bundle \(path): \(reason)"
        case let .fileTooLarge(path, bytes, limit):
            return "\(path) is \(bytes) bytes, more than the limit of \(limit) bytes for this file (not a TopicKit bundle file?)"
        case let .vocabularyTooLarge(path, terms, limit):
            return "\(path): a vocabulary of \(terms) terms exceeds the limit of \(limit) terms"
        }
    }
}
