#if canImport(Glibc)
import Glibc
#endif

/// Where output goes: stdout, a non-regular file written in place, or a regular file written atomically.
final class OutputTarget {
    private let path: String
    private let atomic: AtomicFileWriter?
    private let fd: Int32
    private let ownsDescriptor: Bool

    init(path: String) throws {
        self.path = path
        if path == "-" {
            atomic = nil; fd = 1; ownsDescriptor = false
            return
        }
        var info = stat()
        if stat(path, &info) == 0 && info.st_mode & S_IFMT != S_IFREG {
            if info.st_mode & S_IFMT == S_IFDIR {
                throw OutputError.cannotCreate(path: path, reason: "is a directory")
            }
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw OutputError.cannotCreate(path: path, reason: String(cString: strerror(errno))) }
            atomic = nil; self.fd = fd; ownsDescriptor = true
            return
        }
        atomic = try AtomicFileWriter(path: path)
        fd = -1; ownsDescriptor = false
    }

    deinit { if ownsDescriptor { close(fd) } }

    func write(_ bytes: [UInt8]) throws {
        if let atomic { return try atomic.write(bytes) }
        try writeAll(bytes, to: fd, path: path == "-" ? "<stdout>" : path)
    }

    func commit() throws { try atomic?.commit() }

    func abort() { atomic?.abort() }
}
