import Foundation

/// A trained model on disk: a directory holding `config.json` (settings and provenance),
/// `vocab.txt` (one term a line, in the row order of the matrices) and `model.safetensors`
/// (the tensors, readable by Python's `safetensors`/NumPy as is).
///
/// A generic, strictly validated container: callers put what they fitted into `config` and
/// `tensors` and read it back with the shape-checking accessors (`floats`, `ints`).
/// Limits: safetensors header at most 100 MiB, config.json at most 64 MiB, JSON nesting 256 levels;
/// terms are non-empty, unique and contain no line breaks; vocab.txt ends with a newline.
public struct ModelBundle: Equatable, Sendable {
    /// The bundle format this build writes and reads.
    public static let formatVersion = 1
    public static let configFile = "config.json"
    public static let vocabularyFile = "vocab.txt"
    public static let tensorsFile = "model.safetensors"

    /// A JSON object; `save` sets its `format_version`, `topickit_version` and `vocab_size`.
    public var config: JSONValue
    /// The terms, in the row order of the matrices.
    public var vocabulary: [String]
    /// The tensors by name.
    public var tensors: [String: Tensor]

    public init(config: JSONValue = .object([:]), vocabulary: [String], tensors: [String: Tensor]) {
        self.config = config
        self.vocabulary = vocabulary
        self.tensors = tensors
    }

    /// The tensor `name`, or an error listing the tensors the bundle has.
    public func tensor(_ name: String) throws -> Tensor {
        guard let t = tensors[name] else {
            throw ModelBundleError.missingTensor(name: name, available: tensors.keys.sorted())
        }
        return t
    }

    /// The elements of F32 tensor `name`, which must have exactly `shape`.
    public func floats(_ name: String, shape: [Int]) throws -> [Float] {
        let t = try checked(name, shape: shape, dtype: .f32)
        guard case let .float32(v) = t.storage else { throw ModelBundleError.tensorMismatch(name: name, reason: "not F32") }
        return v
    }

    /// The elements of I32 tensor `name`, which must have exactly `shape`.
    public func ints(_ name: String, shape: [Int]) throws -> [Int32] {
        let t = try checked(name, shape: shape, dtype: .i32)
        guard case let .int32(v) = t.storage else { throw ModelBundleError.tensorMismatch(name: name, reason: "not I32") }
        return v
    }

    /// The elements of I64 tensor `name`, which must have exactly `shape`.
    public func int64s(_ name: String, shape: [Int]) throws -> [Int64] {
        let t = try checked(name, shape: shape, dtype: .i64)
        guard case let .int64(v) = t.storage else { throw ModelBundleError.tensorMismatch(name: name, reason: "not I64") }
        return v
    }

    /// The elements of F64 tensor `name`, which must have exactly `shape`.
    public func doubles(_ name: String, shape: [Int]) throws -> [Double] {
        let t = try checked(name, shape: shape, dtype: .f64)
        guard case let .float64(v) = t.storage else { throw ModelBundleError.tensorMismatch(name: name, reason: "not F64") }
        return v
    }

    private func checked(_ name: String, shape: [Int], dtype: TensorDType) throws -> Tensor {
        let t = try tensor(name)
        guard t.dtype == dtype else {
            throw ModelBundleError.tensorMismatch(name: name, reason: "dtype is \(t.dtype.rawValue), expected \(dtype.rawValue)")
        }
        guard t.shape == shape else {
            throw ModelBundleError.tensorMismatch(name: name, reason: "shape is \(t.shape), expected \(shape)")
        }
        return t
    }
}

// MARK: - Loading

extension ModelBundle {
    /// Loads and validates the bundle in directory `path`: every file present, config.json valid JSON
    /// of a known format version, vocab.txt with exactly `vocab_size` valid terms, model.safetensors
    /// consistent (see `SafeTensors.decode`).
    public static func load(from path: String) throws -> ModelBundle {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ModelBundleError.missingDirectory(path: path)
        }
        let configPath = path + "/" + configFile
        let config = try loadConfig(configPath)
        guard let vocabSize = config["vocab_size"]?.intValue, vocabSize >= 0 else {
            throw ModelBundleError.invalidConfig(path: configPath, reason: "missing or invalid \"vocab_size\"")
        }
        let vocabPath = path + "/" + vocabularyFile
        let vocabulary = try parseVocabulary(try FileBytes.read(vocabPath), path: vocabPath)
        guard vocabulary.count == vocabSize else {
            throw ModelBundleError.vocabularySizeMismatch(path: vocabPath, lines: vocabulary.count, expected: vocabSize)
        }
        let tensorsPath = path + "/" + tensorsFile
        let bytes = try FileBytes.read(tensorsPath)
        do {
            let (tensors, _) = try SafeTensors.decode(bytes)
            return ModelBundle(config: config, vocabulary: vocabulary, tensors: tensors)
        } catch let error as SafeTensorsError {
            throw ModelBundleError.invalidTensors(path: tensorsPath, reason: error)
        }
    }

    static func loadConfig(_ path: String) throws -> JSONValue {
        let config: JSONValue
        do { config = try JSONValue.parse(try FileBytes.read(path)) } catch let error as JSONError {
            throw ModelBundleError.invalidConfig(path: path, reason: "\(error)")
        }
        guard case .object = config else {
            throw ModelBundleError.invalidConfig(path: path, reason: "is \(config.kindName), expected a JSON object")
        }
        guard let version = config["format_version"] else {
            throw ModelBundleError.invalidConfig(path: path, reason: "no \"format_version\": not a TopicKit model bundle")
        }
        guard case let .integer(v) = version, v >= 1 else {
            let text = (try? version.serializedString(pretty: false)) ?? version.kindName
            throw ModelBundleError.unknownFormat(path: path, value: text)
        }
        if v > formatVersion { throw ModelBundleError.newerFormat(path: path, version: v) }
        if let tk = config["topickit_version"], tk.stringValue == nil {
            throw ModelBundleError.invalidConfig(path: path, reason: "\"topickit_version\" is \(tk.kindName), expected a string")
        }
        return config
    }

    /// Splits vocab.txt: UTF-8, one non-empty unique term per line, each ending with a newline
    /// (so a truncated file is always detected).
    static func parseVocabulary(_ bytes: [UInt8], path: String) throws -> [String] {
        try VocabularyFile.parse(bytes, path: path)
    }

    /// Why `term` cannot be a vocabulary line, or nil.
    static func problem(with term: String) -> String? {
        if term.isEmpty { return "empty term" }
        if term.utf8.contains(0x0A) || term.utf8.contains(0x0D) {
            return "term \(term.debugDescription) contains a line break"
        }
        return nil
    }
}
