/// A fixed-size, zero-initialised run of `UInt64` whose first element starts a 64-byte cache line, for hash
/// tables whose 32-byte slots must not straddle two lines (an `Array`'s elements start 32 bytes into its heap
/// block, which puts every such slot of a large table across a line boundary).
///
/// Storage is shared, not copied on write: a table writes into it only while it is being built, before the
/// table is handed to other threads.
final class AlignedWords: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<UInt64>
    let count: Int

    init(zeroed count: Int) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * MemoryLayout<UInt64>.stride,
                                                   alignment: 64)
        pointer = raw.initializeMemory(as: UInt64.self, repeating: 0, count: count)
    }

    deinit { pointer.deallocate() }
}
