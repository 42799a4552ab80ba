#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TopicKit

/// What one fuzzing run feeds its input to, chosen with the environment variable FUZZ_TARGET.
enum FuzzTarget: String, CaseIterable {
    /// Listing dumps, format detected from the content (so every reader is reachable).
    case dump
    case jsonl, csv, tsv
    /// A labels TSV (`LabelTable.read`).
    case labels
    /// A whole model.safetensors file, decoded in memory.
    case safetensors
    /// A model bundle whose config.json / vocab.txt is the input, the other files from Models/default.
    case config, vocab

    static let current: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            fputs("set FUZZ_TARGET to one of: \(names)\n", stderr)
            exit(2)
        }
        return target
    }()

    /// A private scratch directory (in /dev/shm when there is one: one file write per input).
    static let scratch: String = {
        let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : NSTemporaryDirectory()
        let dir = "\(base)/topickit-fuzz-\(getpid())"
        mkdir(dir, 0o755)
        atexit { try? FileManager.default.removeItem(atPath: FuzzTarget.scratch) }
        return dir
    }()

    /// The model the bundle targets start from: TOPICKIT_FUZZ_MODEL or the repository's Models/default.
    static let model: String = {
        if let path = ProcessInfo.processInfo.environment["TOPICKIT_FUZZ_MODEL"] { return path }
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<5 { url.deleteLastPathComponent() }
        return url.path + "/Models/default"
    }()

    /// A bundle directory with the model's files, `file` to be overwritten by each input.
    static let bundle: String = {
        let dir = scratch + "/bundle"
        mkdir(dir, 0o755)
        for f in [ModelBundle.configFile, ModelBundle.vocabularyFile, ModelBundle.tensorsFile] {
            guard let data = FileManager.default.contents(atPath: model + "/" + f) else {
                fputs("cannot read \(model)/\(f); set TOPICKIT_FUZZ_MODEL\n", stderr)
                exit(2)
            }
            _ = FileManager.default.createFile(atPath: dir + "/" + f, contents: data)
        }
        return dir
    }()

    static let papers: [Paper] = [
        Paper(id: "2401.00001", title: "Neural architecture search for transformers",
              abstract: "We compress the KV cache of large language models with quantization and pruning."),
    ]

    /// Feeds `bytes` to this target. Any error that is not one of TopicKit's typed errors aborts
    /// (libFuzzer records it as a crash), as does any crash inside the library.
    func run(_ bytes: Data) {
        do {
            switch self {
            case .dump, .jsonl, .csv, .tsv:
                let path = FuzzTarget.scratch + "/input"
                _ = FileManager.default.createFile(atPath: path, contents: bytes)
                let format: InputFormat? = self == .dump ? nil : InputFormat(rawValue: rawValue)
                let skipBad = bytes.first.map { $0 & 1 == 1 } ?? false
                _ = try PaperReader.read([path], options: ReadOptions(format: format, skipBad: skipBad))
            case .labels:
                let path = FuzzTarget.scratch + "/labels.tsv"
                _ = FileManager.default.createFile(atPath: path, contents: bytes)
                _ = try LabelTable.read(path: path)
            case .safetensors:
                _ = try SafeTensors.decode(Array(bytes))
            case .config, .vocab:
                let file = self == .config ? ModelBundle.configFile : ModelBundle.vocabularyFile
                let dir = FuzzTarget.bundle
                _ = FileManager.default.createFile(atPath: dir + "/" + file, contents: bytes)
                let model = try TopicModel.load(from: dir)
                _ = try model.results(for: FuzzTarget.papers, explainTerms: 2)
            }
        } catch {
            let type = String(reflecting: Swift.type(of: error))
            guard type.hasPrefix("TopicKit.") else {
                fputs("untyped error \(type): \(error)\n", stderr)
                abort()
            }
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Data(bytes: $0, count: size) } ?? Data()
    FuzzTarget.current.run(bytes)
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// SwiftPM links an executable's entry point as `<module>_main`, which takes the place of libFuzzer's
/// own `main`; it hands over to libFuzzer's driver, as that `main` would.
@_cdecl("topickit_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzzOneInput)
}
