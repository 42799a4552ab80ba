/// A dense row-major Float32 matrix: LSA embeddings, centroids, SVD bases.
///
/// Element `(r, c)` lives at `values[r * columns + c]`, the layout `cblas_sgemm` reads with `CblasRowMajor`.
public struct DenseMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public var values: [Float]

    /// A `rows × columns` matrix of zeros.
    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        self.values = LargeBuffer.zeros(rows * columns)
    }

    /// Wraps row-major `values` (`values.count` must be `rows * columns`).
    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "DenseMatrix needs rows × columns values")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    public subscript(row: Int, column: Int) -> Float {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// Row `i` as a new array.
    public func row(_ i: Int) -> [Float] {
        Array(values[(i * columns)..<((i + 1) * columns)])
    }

    /// The rows at `indices`, in that order.
    public func selectingRows(_ indices: [Int]) -> DenseMatrix {
        var out = [Float](repeating: 0, count: indices.count * columns)
        values.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for (o, i) in indices.enumerated() {
                    for c in 0..<columns { dst[o * columns + c] = src[i * columns + c] }
                }
            }
        }
        return DenseMatrix(rows: indices.count, columns: columns, values: out)
    }

    /// The first `count` columns.
    public func leadingColumns(_ count: Int) -> DenseMatrix {
        if count == columns { return self }
        var out = [Float](repeating: 0, count: rows * count)
        for r in 0..<rows {
            for c in 0..<count { out[r * count + c] = values[r * columns + c] }
        }
        return DenseMatrix(rows: rows, columns: count, values: out)
    }

    /// The transpose (`columns × rows`).
    public func transposed() -> DenseMatrix {
        var out = LargeBuffer.zeros(values.count)
        let (m, n) = (rows, columns)
        values.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let block = 64
                var r0 = 0
                while r0 < m {
                    var c0 = 0
                    while c0 < n {
                        for r in r0..<min(m, r0 + block) {
                            for c in c0..<min(n, c0 + block) { dst[c * m + r] = src[r * n + c] }
                        }
                        c0 += block
                    }
                    r0 += block
                }
            }
        }
        return DenseMatrix(rows: n, columns: m, values: out)
    }

    /// Squared Euclidean norm of every row.
    public func rowSquaredNorms() -> [Float] {
        var out = [Float](repeating: 0, count: rows)
        let n = columns
        values.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                Parallel.forEachChunk(Parallel.chunks(count: rows, minimumChunk: 4096)) { _, range in
                    for r in range {
                        var s: Float = 0
                        let row = src.baseAddress! + r * n
                        for c in 0..<n { s += row[c] * row[c] }
                        dst[r] = s
                    }
                }
            }
        }
        return out
    }

    /// Scales every row to unit Euclidean length (cosine geometry); all-zero rows stay zero.
    public mutating func normalizeRows() {
        let n = columns
        let count = rows
        values.withUnsafeMutableBufferPointer { buf in
            let base = buf.baseAddress
            Parallel.forEachChunk(Parallel.chunks(count: count, minimumChunk: 4096)) { _, range in
                guard let base else { return }
                for r in range {
                    let row = base + r * n
                    var s: Float = 0
                    for c in 0..<n { s += row[c] * row[c] }
                    guard s > 0, s.isFinite else { continue }
                    let scale = 1 / s.squareRoot()
                    for c in 0..<n { row[c] *= scale }
                }
            }
        }
    }
}
