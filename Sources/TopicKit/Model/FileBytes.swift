#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Whole-file reads and durable writes used by the model bundle.
enum FileBytes {
    /// Reads a regular file with one allocation of its real size (from fstat, never from its contents).
    /// Files larger than `maximumBytes` are refused before anything is allocated.
    static func read(_ path: String, maximumBytes: Int = .max) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw ModelBundleError.missingFile(path: path) }
            throw ModelBundleError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw ModelBundleError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw ModelBundleError.unreadable(path: path, reason: "not a regular file")
        }
        let size = Int(st.st_size)
        guard size <= maximumBytes else {
            throw ModelBundleError.fileTooLarge(path: path, bytes: size, limit: maximumBytes)
        }
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + done, size - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ModelBundleError.unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            done += n
        }
        if done < size { bytes.removeSubrange(done...) }
        return bytes
    }

    /// Creates `path` (which must not exist), writes `bytes` and fsyncs it.
    static func writeNew(_ bytes: [UInt8], to path: String) throws {
        let fd = try createNew(path)
        defer { close(fd) }
        try write(bytes, to: fd, path: path)
    }

    /// Creates `path` (which must not exist) for writing; the caller closes the descriptor.
    static func createNew(_ path: String) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ModelBundleError.writeFailed(path: path, reason: String(cString: strerror(errno))) }
        return fd
    }

    /// Writes all of `bytes` to `fd` and fsyncs it.
    static func write(_ bytes: [UInt8], to fd: Int32, path: String) throws {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ModelBundleError.writeFailed(path: path, reason: String(cString: strerror(errno)))
            }
            done += n
        }
        guard fsync(fd) == 0 else {
            throw ModelBundleError.writeFailed(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// fsyncs a directory so renames inside it are durable.
    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
