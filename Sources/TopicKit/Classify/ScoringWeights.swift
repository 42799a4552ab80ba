#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// A linear model's weights laid out for scoring TF-IDF rows: feature-major rows of `stride` floats (the tag
/// count rounded up to 16, zero-padded), 64-byte aligned, so the row of a feature is whole cache lines (two for
/// 17–32 tags instead of two or three) and whole `SIMD16` vectors. When the tag count is not a multiple of 16,
/// the float after a row's weights holds the feature's idf, so building a TF-IDF row for scoring reads the
/// idf from the line that scoring loads anyway (`idfOffset`).
final class ScoringWeights: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    /// Floats per feature row (a multiple of 16).
    let stride: Int
    let tagCount: Int
    /// Byte offset of the idf copy within a row, when the rows hold one.
    let idfOffset: Int?

    init(_ weights: [Float], idf: [Float], tagCount: Int) {
        let features = tagCount > 0 ? weights.count / tagCount : 0
        self.tagCount = tagCount
        let stride = max(16, (tagCount + 15) / 16 * 16)
        self.stride = stride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, features * stride) * MemoryLayout<Float>.stride,
                                                   alignment: 64)
        let rows = raw.bindMemory(to: Float.self, capacity: max(1, features * stride))
        let withIdf = stride > tagCount && idf.count == features
        // Rows are written (and their fresh pages faulted in) on all cores: this runs once per process, before
        // the first paper is scored.
        let chunks = Parallel.chunks(count: features, minimumChunk: 4096, maximumChunks: 64)
        weights.withUnsafeBufferPointer { w in
            idf.withUnsafeBufferPointer { d in
                Parallel.forEachChunk(chunks) { _, range in
                    for j in range {
                        let r = rows + j * stride
                        r.initialize(from: w.baseAddress! + j * tagCount, count: tagCount)
                        (r + tagCount).initialize(repeating: 0, count: stride - tagCount)
                        if withIdf { r[tagCount] = d[j] }
                    }
                }
            }
        }
        idfOffset = withIdf ? tagCount * MemoryLayout<Float>.stride : nil
        pointer = rows
    }

    /// The rows, to prefetch while TF-IDF rows are built (with the idf copy, when present).
    var rows: RowPrefetcher {
        RowPrefetcher(base: UnsafeRawPointer(pointer), stride: stride * MemoryLayout<Float>.stride, idfOffset: idfOffset)
    }

    deinit { pointer.deallocate() }

    /// `bias[t] + Σ values[k] · w[columns[k], t]` for every tag, accumulated entry by entry in the order given,
    /// then the logistic function: the same operations, in the same order, as the scalar loop, so the same bits
    /// (lanes past the tag count, which may accumulate the idf copy, are never read).
    @inline(__always)
    func probabilities(_ columns: UnsafeBufferPointer<Int32>, _ values: UnsafeBufferPointer<Float>,
                       biases: UnsafePointer<Float>, into row: UnsafeMutablePointer<Float>) {
        if stride == 32 {
            var a0 = SIMD16<Float>(repeating: 0), a1 = SIMD16<Float>(repeating: 0)
            for t in 0..<tagCount { if t < 16 { a0[t] = biases[t] } else { a1[t - 16] = biases[t] } }
            let base = UnsafeRawPointer(pointer)
            for k in 0..<columns.count {
                let v = SIMD16<Float>(repeating: values[k])
                let p = base + Int(columns[k]) &* 128
                a0 = a0 + v * p.load(as: SIMD16<Float>.self)
                a1 = a1 + v * p.load(fromByteOffset: 64, as: SIMD16<Float>.self)
            }
            for t in 0..<tagCount { row[t] = 1 / (1 + expf(-(t < 16 ? a0[t] : a1[t - 16]))) }
        } else if stride == 16 {
            var a0 = SIMD16<Float>(repeating: 0)
            for t in 0..<tagCount { a0[t] = biases[t] }
            let base = UnsafeRawPointer(pointer)
            for k in 0..<columns.count {
                let v = SIMD16<Float>(repeating: values[k])
                a0 = a0 + v * base.load(fromByteOffset: Int(columns[k]) &* 64, as: SIMD16<Float>.self)
            }
            for t in 0..<tagCount { row[t] = 1 / (1 + expf(-a0[t])) }
        } else {
            for t in 0..<tagCount { row[t] = biases[t] }
            for k in 0..<columns.count {
                let value = values[k]
                let w = pointer + Int(columns[k]) &* stride
                for t in 0..<tagCount { row[t] += value * w[t] }
            }
            for t in 0..<tagCount { row[t] = 1 / (1 + expf(-row[t])) }
        }
    }
}

/// Builds a tagger's `ScoringWeights` on first use (training never scores through them, so it does not pay
/// for the copy) and shares them between copies of the tagger and threads.
final class LazyScoringWeights: @unchecked Sendable {
    private var built: ScoringWeights?
    private let lock = DispatchSemaphore(value: 1)

    func get(_ weights: [Float], idf: [Float], tagCount: Int) -> ScoringWeights {
        lock.wait()
        defer { lock.signal() }
        if let built { return built }
        let w = ScoringWeights(weights, idf: idf, tagCount: tagCount)
        built = w
        return w
    }
}
