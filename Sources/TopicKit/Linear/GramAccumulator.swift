import CBLAS

/// The Gram matrix `ZᵀZ` (`width × width`) of a tall Float matrix `Z` handed over a slab of rows at a time, summed
/// in Double: its eigenvalues are squared singular values, and in Float the small ones would drown in the
/// rounding of the large (the error of a Float Gram is about `ε·σ₁²`, so `σ` below `√ε·σ₁` would be noise).
struct GramAccumulator {
    let width: Int
    /// Upper triangle of `ZᵀZ` so far, row-major (`dsyrk` leaves the strict lower triangle untouched).
    private(set) var upper: [Double]
    private var slab: [Double] = []

    init(width: Int) {
        self.width = width
        upper = [Double](repeating: 0, count: width * width)
    }

    /// Adds `slabᵀ·slab` for `rows` rows of `width` Floats (row-major). Call it from one thread: the BLAS runs
    /// its own.
    mutating func add(rows: Int, _ z: UnsafePointer<Float>) {
        guard rows > 0, width > 0 else { return }
        let count = rows * width
        if slab.count < count { slab = [Double](repeating: 0, count: count) }
        let n = width
        slab.withUnsafeMutableBufferPointer { s in
            for i in 0..<count { s[i] = Double(z[i]) }
            upper.withUnsafeMutableBufferPointer { g in
                cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(n), Int32(rows), 1, s.baseAddress!, Int32(n),
                            1, g.baseAddress!, Int32(n))
            }
        }
    }

    /// The full symmetric matrix (lower triangle mirrored from the upper), row-major.
    var symmetric: [Double] {
        var g = upper
        for i in 0..<width {
            for j in 0..<i { g[i * width + j] = g[j * width + i] }
        }
        return g
    }
}
