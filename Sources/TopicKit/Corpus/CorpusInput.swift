#if canImport(Glibc)
import Glibc
#endif

/// An open input: a file, or standard input for "-". Refuses missing files and directories up front.
final class CorpusInput {
    /// How the input is named in messages: the path, or `<stdin>`.
    let name: String
    let path: String
    private let fd: Int32
    private let ownsDescriptor: Bool
    /// Read buffer: one `read(2)` fills at most this much.
    private let chunk = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << 20)

    init(path: String) throws {
        self.path = path
        if path == "-" {
            name = "<stdin>"
            fd = 0
            ownsDescriptor = false
            return
        }
        name = path
        var info = stat()
        if stat(path, &info) != 0 {
            if errno == ENOENT || errno == ENOTDIR { throw CorpusError.fileNotFound(path: path) }
            throw CorpusError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        if info.st_mode & S_IFMT == S_IFDIR { throw CorpusError.notARegularFile(path: path) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CorpusError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        self.fd = fd
        ownsDescriptor = true
    }

    deinit {
        chunk.deallocate()
        if ownsDescriptor { close(fd) }
    }

    /// Reads up to `buffer.count` bytes into `buffer`; returns how many (0 at end of input).
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = Glibc.read(fd, base, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw CorpusError.unreadable(path: name, reason: String(cString: strerror(errno))) }
        }
    }

    /// Appends up to `count` bytes to `buffer`; returns how many were read (0 at end of input).
    func read(appendingTo buffer: inout [UInt8], count: Int) throws -> Int {
        let n = try read(into: UnsafeMutableRawBufferPointer(start: chunk.baseAddress, count: min(count, chunk.count)))
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[..<n]))
        return n
    }
}
