/// LLVM's prefetch intrinsic (a `prefetcht0` on x86-64, `prfm` on arm64): starts loading a cache line without
/// waiting for it, so a batch of lookups into tables larger than the caches overlaps its misses. Unlike a load
/// whose value is kept (the older "touch" passes), a prefetch retires at once and never stalls the pipeline.
@_silgen_name("llvm.prefetch.p0")
private func llvmPrefetch(_ address: UnsafeRawPointer, _ write: Int32, _ locality: Int32, _ dataCache: Int32)

enum Prefetch {
    /// Asks for the cache line holding `address` to be brought into every cache level (read, high locality).
    /// Never faults, whatever the address.
    @inline(__always)
    static func read(_ address: UnsafeRawPointer) { llvmPrefetch(address, 0, 3, 1) }
}
