/// Eight Float lanes, one per problem of a `LogisticRegressionBlock`.
typealias Lanes = SIMD8<Float>

/// A zero-initialised buffer of `Lanes` rows: row j holds the j-th entry of eight vectors side by side, so a
/// pass over the sparse matrix reads or updates all eight with one 32-byte access per stored entry.
final class LaneTable {
    let count: Int
    let base: UnsafeMutablePointer<Lanes>

    init(count: Int) {
        self.count = count
        // Cache-line aligned, so rows 2k and 2k + 1 share one 64-byte line (see `multiplyLanes(_:squared:plan:intoPairs:)`).
        base = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Lanes>.stride, alignment: 64)
            .bindMemory(to: Lanes.self, capacity: max(count, 1))
        base.initialize(repeating: Lanes(repeating: 0), count: max(count, 1))
    }

    deinit { base.deallocate() }

    /// Lane `lane` of every row, in row order.
    func lane(_ lane: Int) -> [Float] { (0..<count).map { base[$0][lane] } }
}
