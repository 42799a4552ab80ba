#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Errors from writing output files.
public enum OutputError: Error, CustomStringConvertible {
    case cannotCreate(path: String, reason: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotCreate(path, reason): return "cannot create \(path): \(reason)"
        case let .writeFailed(path, reason): return "cannot write \(path): \(reason)"
        }
    }
}

/// Writes every byte of `bytes` to `fd`, retrying short and interrupted writes; `path` names it in errors.
func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws {
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
        if n < 0 {
            if errno == EINTR { continue }
            throw OutputError.writeFailed(path: path, reason: String(cString: strerror(errno)))
        }
        offset += n
    }
}

/// A file written under a temporary name in the destination's directory and renamed into place
/// by `commit()`, so readers only ever see the old file or the complete new one.
///
/// Dropping the writer without `commit()` removes the temporary file.
public final class AtomicFileWriter {
    public let path: String
    public let temporaryPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var finished = false

    public init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        var template = Array("\(dir)/.\(name).tmp-XXXXXX".utf8CString)
        var fd: Int32 = -1
        let created = try AtomicFileWriter.registry.creating {
            fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard fd >= 0 else {
                throw OutputError.cannotCreate(path: path, reason: String(cString: strerror(errno)))
            }
            return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        }
        guard let temporaryPath = created else {
            // Only reached after an interrupt: `make` throws on its own failures.
            throw OutputError.cannotCreate(path: path, reason: "interrupted")
        }
        self.fd = fd
        self.temporaryPath = temporaryPath
        buffer.reserveCapacity(1 << 16)
    }

    deinit { if !finished { abort() } }

    /// Appends bytes (buffered).
    public func write<S: Sequence>(_ bytes: S) throws where S.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Appends the UTF-8 bytes of `text`.
    public func write(_ text: String) throws { try write(text.utf8) }

    private func flush() throws {
        try writeAll(buffer, to: fd, path: path)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and renames the temporary file onto `path`.
    public func commit() throws {
        try flush()
        fchmod(fd, 0o644)
        fsync(fd)
        close(fd)
        finished = true
        let result = AtomicFileWriter.registry.install(temporaryPath, as: path)
        guard result.installed else {
            let reason = result.errno == 0 ? "interrupted; the old file is unchanged" : String(cString: strerror(result.errno))
            throw OutputError.writeFailed(path: path, reason: reason)
        }
    }

    /// Discards the temporary file; the destination is left untouched.
    public func abort() {
        guard !finished else { return }
        finished = true
        close(fd)
        unlink(temporaryPath)
        AtomicFileWriter.registry.remove(temporaryPath)
    }

    /// Writes `bytes` to `path` atomically in one call.
    public static func write<S: Sequence>(_ bytes: S, to path: String) throws where S.Element == UInt8 {
        let writer = try AtomicFileWriter(path: path)
        try writer.write(bytes)
        try writer.commit()
    }

    /// Temporary paths not yet committed or aborted; a signal handler removes them on Ctrl-C.
    public static let registry = TemporaryPathRegistry()
}

/// The set of temporary paths currently being written, for clean-up on interruption.
public final class TemporaryPathRegistry: @unchecked Sendable {
    private var paths = Set<String>()
    private var closed = false
    private let lock = NSLock()
    func add(_ p: String) { lock.lock(); paths.insert(p); lock.unlock() }
    func remove(_ p: String) { lock.lock(); paths.remove(p); lock.unlock() }
    /// Removes every registered temporary file or directory; the process is about to exit, so from now on
    /// `ifOpen` refuses to install anything. Waits for an install already under way to finish first.
    public func removeAll() {
        lock.lock(); defer { lock.unlock() }
        closed = true
        // A writer may still create a file inside a temporary directory while it is being removed (the
        // removal then finds it non-empty): retry until it is gone.
        for p in paths {
            for _ in 0..<100 {
                try? FileManager.default.removeItem(atPath: p)
                if access(p, F_OK) != 0 { break }
            }
        }
        paths.removeAll()
    }
    /// Runs `body` (moving a finished temporary into place) unless `removeAll` has run, so an interrupt
    /// never deletes a temporary while it is being renamed; false when it did not run.
    func ifOpen(_ body: () throws -> Void) rethrows -> Bool {
        lock.lock(); defer { lock.unlock() }
        if closed { return false }
        try body()
        return true
    }
    /// Creates a temporary with `make` (returning its path, nil when it failed) and registers it in one step,
    /// so an interrupt never falls between the two; after an interrupt nothing is created and nil returned.
    func creating(_ make: () throws -> String?) rethrows -> String? {
        lock.lock(); defer { lock.unlock() }
        if closed { return nil }
        guard let path = try make() else { return nil }
        paths.insert(path)
        return path
    }
    /// Renames the registered temporary `from` onto `to` and unregisters it in one step; false when an
    /// interrupt has already removed it.
    func install(_ from: String, as to: String) -> (installed: Bool, errno: Int32) {
        lock.lock(); defer { lock.unlock() }
        if closed { return (false, 0) }
        let ok = rename(from, to) == 0
        let code = errno
        if !ok { unlink(from) }
        paths.remove(from)
        return (ok, ok ? 0 : code)
    }
    /// Registers a temporary directory (model bundles are written as directories).
    public func addDirectory(_ p: String) { add(p) }
    /// Unregisters a temporary directory once it has been renamed or removed.
    public func removeDirectory(_ p: String) { remove(p) }
}
