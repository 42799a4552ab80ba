#if canImport(Glibc)
import Glibc
#endif

/// Hands memory that is free inside the allocator back to the system between pipeline stages.
///
/// glibc keeps freed small and medium blocks in its per-thread arenas: after tokenising and counting a large
/// corpus on all cores, gigabytes of freed tables would stay resident while the SVD allocates fresh pages.
enum FreedMemory {
    private typealias Trim = @convention(c) (Int) -> Int32

    /// `malloc_trim(0)` where glibc provides it (looked up at run time: the Glibc module does not declare it).
    static func release() {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
        #endif
    }
}
