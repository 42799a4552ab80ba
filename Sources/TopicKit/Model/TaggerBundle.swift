import Foundation

/// Where a model came from, recorded in `config.json`.
public struct Provenance: Codable, Equatable, Sendable {
    /// ISO 8601 time of training (`SOURCE_DATE_EPOCH` when set, for reproducible bundles).
    public var createdAt: String
    /// SHA-256 of the training papers and labels (see `LabeledCorpus.digest`).
    public var trainingDigest: String
    public var trainingPapers: Int
    /// The input files, as given.
    public var sources: [String]

    public init(createdAt: String = Provenance.now(), trainingDigest: String, trainingPapers: Int, sources: [String]) {
        self.createdAt = createdAt
        self.trainingDigest = trainingDigest
        self.trainingPapers = trainingPapers
        self.sources = sources
    }

    /// Now as ISO 8601 UTC, or `SOURCE_DATE_EPOCH` (seconds) when that is set, so a rebuilt model is
    /// byte-identical.
    public static func now() -> String {
        let env = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap { TimeInterval($0) }
        let date = env.map { Date(timeIntervalSince1970: $0) } ?? Date()
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}

/// Tensor and config names shared by every bundle kind.
enum BundleKeys {
    static let idf = "vectorizer.idf"
    static let weight = "tagger.weight"
    static let bias = "tagger.bias"
    static let threshold = "tagger.threshold"
    static let lsaBasis = "lsa.basis"
    static let lsaSingularValues = "lsa.singular_values"
    static let centroids = "kmeans.centroids"
}

extension ModelBundle {
    /// The bundle's kinds (`tagger`, `clusters`), from config.json.
    public var kinds: [String] { config["kinds"]?.arrayValue?.compactMap(\.stringValue) ?? [] }

    /// The vectorizer stored in any bundle: options from config.json, idf from the tensors.
    public func vectorizer() throws -> TfidfVectorizer {
        guard let decoded = try section("vectorizer", as: TfidfOptions.self) else {
            throw ModelBundleError.invalidConfig(path: ModelBundle.configFile, reason: "no \"vectorizer\" settings")
        }
        let idf = try floats(BundleKeys.idf, shape: [vocabulary.count])
        return try TfidfVectorizer(options: decoded, vocabulary: vocabulary, idf: idf)
    }

    /// The provenance recorded at training time, if any.
    public var provenance: Provenance? { try? section("provenance", as: Provenance.self) }

    /// Decodes config.json's `key`, or nil when absent; a malformed section is an error naming it.
    public func section<T: Decodable>(_ key: String, as type: T.Type) throws -> T? {
        guard let value = config[key] else { return nil }
        do { return try value.decode(T.self) } catch {
            throw ModelBundleError.invalidConfig(path: ModelBundle.configFile, reason: "\"\(key)\": \(error)")
        }
    }

    /// Fails unless the bundle holds a model of `kind`.
    func require(kind: String) throws {
        guard kinds.contains(kind) else {
            let has = kinds.isEmpty ? "nothing TopicKit knows" : kinds.joined(separator: " and ")
            throw ModelBundleError.invalidConfig(path: ModelBundle.configFile,
                                                 reason: "this bundle holds \(has), not a \(kind) model")
        }
    }
}

extension Tagger {
    /// This tagger as a model bundle: settings, thresholds and cross-validated metrics in config.json,
    /// idf, weights (`[features, tags]`), biases and thresholds in model.safetensors.
    public func modelBundle(report: TrainingReport?, provenance: Provenance) throws -> ModelBundle {
        let v = vectorizer.featureCount, t = tags.count
        var config: [String: JSONValue] = [
            "kinds": .array([.string("tagger")]),
            "tags": .array(tags.map { .string($0) }),
            "vectorizer": try JSONValue(encoding: vectorizer.options),
            "tagger": try JSONValue(encoding: options),
            "thresholds": .object(Dictionary(uniqueKeysWithValues: zip(tags, thresholds).map { ($0, JSONValue.double(Double("\($1)") ?? Double($1))) })),
            "implications": try JSONValue(encoding: implications),
            "provenance": try JSONValue(encoding: provenance),
        ]
        if let report { config["training_report"] = try JSONValue(encoding: report) }
        return ModelBundle(config: .object(config), vocabulary: vectorizer.vocabulary, tensors: [
            BundleKeys.idf: try Tensor(floats: vectorizer.idf, shape: [v]),
            BundleKeys.weight: try Tensor(floats: weights, shape: [v, t]),
            BundleKeys.bias: try Tensor(floats: biases, shape: [t]),
            BundleKeys.threshold: try Tensor(floats: thresholds, shape: [t]),
        ])
    }

    /// Rebuilds the tagger stored in `bundle`, checking every shape against the vocabulary and tags.
    public init(bundle: ModelBundle) throws {
        try bundle.require(kind: "tagger")
        guard let tags = bundle.config["tags"]?.arrayValue?.compactMap(\.stringValue), !tags.isEmpty else {
            throw ModelBundleError.invalidConfig(path: ModelBundle.configFile, reason: "no \"tags\" list")
        }
        let vectorizer = try bundle.vectorizer()
        let v = vectorizer.featureCount, t = tags.count
        let options = try bundle.section("tagger", as: TaggerOptions.self) ?? TaggerOptions()
        let implications = try bundle.section("implications", as: [TagImplication].self) ?? []
        try self.init(tags: tags, vectorizer: vectorizer,
                      weights: try bundle.floats(BundleKeys.weight, shape: [v, t]),
                      biases: try bundle.floats(BundleKeys.bias, shape: [t]),
                      thresholds: try bundle.floats(BundleKeys.threshold, shape: [t]),
                      implications: implications, options: options)
    }

    /// The cross-validation report stored with the tagger, if any.
    public static func trainingReport(in bundle: ModelBundle) -> TrainingReport? {
        try? bundle.section("training_report", as: TrainingReport.self)
    }
}
