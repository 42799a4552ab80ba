#if canImport(Glibc)
import Glibc
#endif
import Foundation

extension ModelBundle {
    /// The three files' bytes, deterministic for a given bundle: config.json with `format_version`,
    /// `topickit_version` and `vocab_size` set (canonical JSON), vocab.txt, model.safetensors.
    public func encodedFiles() throws -> (config: [UInt8], vocabulary: [UInt8], tensors: [UInt8]) {
        guard case var .object(members) = config else {
            throw ModelBundleError.invalidConfig(path: ModelBundle.configFile, reason: "config must be a JSON object, not \(config.kindName)")
        }
        members["format_version"] = .integer(ModelBundle.formatVersion)
        members["topickit_version"] = .string(TopicKit.version)
        members["vocab_size"] = .integer(vocabulary.count)
        let configBytes: [UInt8]
        do { configBytes = try JSONValue.object(members).serialized(pretty: true) } catch {
            throw ModelBundleError.invalidConfig(path: ModelBundle.configFile, reason: "\(error)")
        }
        guard vocabulary.count <= Limits.maximumVocabularySize else {
            throw ModelBundleError.vocabularyTooLarge(path: ModelBundle.vocabularyFile, terms: vocabulary.count,
                                                      limit: Limits.maximumVocabularySize)
        }
        var vocabBytes: [UInt8] = []
        var seen = Set<String>()
        for (i, term) in vocabulary.enumerated() {
            if let reason = ModelBundle.problem(with: term) {
                throw ModelBundleError.invalidVocabulary(path: ModelBundle.vocabularyFile, reason: "term \(i): \(reason)")
            }
            guard seen.insert(term).inserted else {
                throw ModelBundleError.invalidVocabulary(path: ModelBundle.vocabularyFile, reason: "term \(i) \"\(term)\" is a duplicate")
            }
            vocabBytes.append(contentsOf: term.utf8)
            vocabBytes.append(0x0A)
        }
        let tensorBytes: [UInt8]
        do { tensorBytes = try SafeTensors.encode(tensors) } catch let error as SafeTensorsError {
            throw ModelBundleError.invalidTensors(path: ModelBundle.tensorsFile, reason: error)
        }
        return (configBytes, vocabBytes, tensorBytes)
    }

    /// Writes the bundle to directory `path` atomically: the files go to a temporary directory
    /// `.NAME.tmp-XXXXXX` next to it, are fsynced, and the directory is then renamed into place
    /// (an existing bundle is swapped out with `renameat2(RENAME_EXCHANGE)` where the file system
    /// supports it), so readers see the old bundle or the complete new one, never a mix.
    /// Refuses to replace a regular file or a non-empty directory without config.json.
    public func save(to path: String) throws {
        try save(to: path, beforeInstall: { _ in })
    }

    /// `save(to:)` with a hook run after the files are written and before they are put in place
    /// (tests use it to simulate a failure at the last moment).
    func save(to path: String, beforeInstall: (String) throws -> Void) throws {
        let files = try encodedFiles()
        var destination = path
        while destination.count > 1 && destination.hasSuffix("/") { destination.removeLast() }
        let url = URL(fileURLWithPath: destination)
        let parent = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        let exists = try ModelBundle.checkReplaceable(destination)

        let temporary = try ModelBundle.makeRegisteredDirectory(parent: parent, name: name, destination: destination)
        defer {
            try? FileManager.default.removeItem(atPath: temporary)
            AtomicFileWriter.registry.removeDirectory(temporary)
        }
        chmod(temporary, 0o755)
        // All three files are created before any is written: an interrupt handler removing the
        // directory while the (slow) writes run then never meets an entry created after it listed
        // the directory, which left the directory behind (KillTests).
        var descriptors: [(fd: Int32, path: String, bytes: [UInt8])] = []
        defer { for d in descriptors { close(d.fd) } }
        for (file, bytes) in [(ModelBundle.configFile, files.config), (ModelBundle.vocabularyFile, files.vocabulary),
                              (ModelBundle.tensorsFile, files.tensors)] {
            let filePath = temporary + "/" + file
            descriptors.append((try FileBytes.createNew(filePath), filePath, bytes))
        }
        for d in descriptors { try FileBytes.write(d.bytes, to: d.fd, path: d.path) }
        FileBytes.syncDirectory(temporary)
        try beforeInstall(temporary)

        let installed = try AtomicFileWriter.registry.ifOpen {
            if !exists {
                guard rename(temporary, destination) == 0 else {
                    throw ModelBundleError.writeFailed(path: destination, reason: String(cString: strerror(errno)))
                }
            } else if ModelBundle.exchange(temporary, destination) {
                // `temporary` now holds the old bundle; the deferred removal deletes it.
            } else if case let code = errno, code == EINVAL || code == ENOSYS || code == ENOTSUP {
                try ModelBundle.replaceByRenamingAside(temporary, destination, parent: parent, name: name)
            } else {
                // Not "unsupported" but e.g. ENOENT: the temporary bundle vanished (removed by the Ctrl-C
                // handler). Moving the old bundle aside now would lose it (KillTests).
                throw ModelBundleError.writeFailed(path: destination, reason: String(cString: strerror(errno)))
            }
        }
        guard installed else {
            throw ModelBundleError.writeFailed(path: destination, reason: "interrupted before the new bundle was put in place; the old one is unchanged")
        }
        FileBytes.syncDirectory(parent)
    }

    /// Creates the temporary directory `PARENT/.NAME.tmp-XXXXXX`, registered for Ctrl-C removal *before*
    /// it is created: registered after mkdtemp, a SIGINT between the two left it behind (KillTests).
    static func makeRegisteredDirectory(parent: String, name: String, destination: String) throws -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
        var random = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let suffix = String(decoding: (0..<6).map { _ in letters[Int(random.next() % UInt64(letters.count))] }, as: UTF8.self)
            let path = "\(parent)/.\(name).tmp-\(suffix)"
            var code: Int32 = 0
            let created = AtomicFileWriter.registry.creating { () -> String? in
                if mkdir(path, 0o700) == 0 { return path }
                code = errno
                return nil
            }
            if let created { return created }
            if code == 0 {
                throw ModelBundleError.writeFailed(path: destination, reason: "interrupted before the new bundle was written; the old one is unchanged")
            }
            if code != EEXIST {
                throw ModelBundleError.writeFailed(path: destination, reason: "cannot create a temporary directory in \(parent): \(String(cString: strerror(code)))")
            }
        }
        throw ModelBundleError.writeFailed(path: destination, reason: "cannot create a temporary directory in \(parent): 100 names taken")
    }

    /// Whether `path` exists; throws if it exists and is not something a bundle may replace.
    static func checkReplaceable(_ path: String) throws -> Bool {
        var st = stat()
        if lstat(path, &st) != 0 {
            if errno == ENOENT { return false }
            throw ModelBundleError.writeFailed(path: path, reason: String(cString: strerror(errno)))
        }
        switch st.st_mode & S_IFMT {
        case S_IFDIR:
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            if !entries.isEmpty && !entries.contains(configFile) {
                throw ModelBundleError.notABundle(path: path, reason: "it is a non-empty directory without \(configFile), not a TopicKit model bundle")
            }
            return true
        case S_IFLNK:
            throw ModelBundleError.notABundle(path: path, reason: "it is a symbolic link; pass the directory it points to")
        default:
            throw ModelBundleError.notABundle(path: path, reason: "it is a file, not a model bundle directory")
        }
    }

    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// Swaps two directory entries atomically with Linux renameat2(RENAME_EXCHANGE); false (errno set) when the
    /// C library or file system does not offer it.
    static func exchange(_ a: String, _ b: String) -> Bool {
        #if os(Linux)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { errno = ENOSYS; return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let renameExchange: UInt32 = 2
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
        #else
        return false
        #endif
    }

    /// Moves the old bundle to a temporary name, renames the new one in, then removes the old one;
    /// on failure the old bundle is put back.
    static func replaceByRenamingAside(_ temporary: String, _ destination: String, parent: String, name: String) throws {
        var template = Array("\(parent)/.\(name).old-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw ModelBundleError.writeFailed(path: destination, reason: "cannot create a temporary directory in \(parent): \(String(cString: strerror(errno)))")
        }
        let aside = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        // `aside` is not registered for Ctrl-C removal: until the new bundle is in place it holds the
        // only copy of the old one.
        guard rename(destination, aside) == 0 else {
            let reason = String(cString: strerror(errno))
            rmdir(aside)
            throw ModelBundleError.writeFailed(path: destination, reason: reason)
        }
        guard rename(temporary, destination) == 0 else {
            let reason = String(cString: strerror(errno))
            rename(aside, destination)
            throw ModelBundleError.writeFailed(path: destination, reason: reason)
        }
        try? FileManager.default.removeItem(atPath: aside)
    }
}
