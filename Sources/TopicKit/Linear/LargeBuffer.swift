#if canImport(Glibc)
import Glibc
#endif

/// Zero-filled Float arrays whose big ones ask Linux for transparent huge pages (`MADV_HUGEPAGE`) before first
/// touch: the sparse × dense products read rows of 100 MB+ matrices at random, and with 4 KB pages nearly
/// every read also misses the TLB.
enum LargeBuffer {
    static let hugePageThreshold = 1 << 21

    static func zeros(_ count: Int) -> [Float] {
        guard count * MemoryLayout<Float>.stride >= hugePageThreshold else {
            return [Float](repeating: 0, count: count)
        }
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            let base = buffer.baseAddress!
            #if canImport(Glibc)
            let page = 1 << 21
            let start = (Int(bitPattern: base) + page - 1) & ~(page - 1)
            let end = (Int(bitPattern: base) + count * MemoryLayout<Float>.stride) & ~(page - 1)
            if end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) {
                _ = madvise(pointer, end - start, MADV_HUGEPAGE)
            }
            #endif
            base.initialize(repeating: 0, count: count)
            initialized = count
        }
    }
}
