#if canImport(Glibc)
import Glibc
#endif

/// Hands memory that is free inside the allocator back to the system between pipeline stages.
///
/// glibc keeps freed small and medium blocks in its per-thread arenas: after tokenising and counting a large
/// corpus on all cores, gigabytes of freed tables would stay resident while the SVD allocates fresh pages.
enum FreedMemory {
    private typealias Trim = @convention(c) (Int) -> Int32
    private typealias Option = @convention(c) (Int32, Int32) -> Int32

    /// `malloc_trim(0)` where glibc provides it (looked up at run time: the Glibc module does not declare it).
    static func release() {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
        #endif
    }

    /// Blocks of at least `threshold` bytes are mapped on their own and unmapped when freed, from now on.
    ///
    /// glibc raises its mapping threshold each time such a block is freed (up to 32 MB), after which the
    /// tens-of-megabytes arrays of a large run (per-chunk rows, count tables) live in arenas and their memory
    /// stays resident after they are freed, so one stage's garbage adds to the next stage's peak. A fixed
    /// threshold (`mallopt(M_MMAP_THRESHOLD)`) keeps them mapped. Used by the large-corpus paths only.
    static func unmapLargeBlocksWhenFreed(threshold: Int = 4 << 20) {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mMmapThreshold: Int32 = -3
        _ = unsafeBitCast(symbol, to: Option.self)(mMmapThreshold, Int32(clamping: threshold))
        #endif
    }
}
