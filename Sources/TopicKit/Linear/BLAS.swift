import CBLAS
#if canImport(Glibc)
import Glibc
#endif

/// Thin wrappers over the CBLAS routines TopicKit uses (row-major throughout).
///
/// OpenBLAS runs its own threads inside these calls: call them from one thread, never from inside a
/// `Parallel` loop, so the cores are not oversubscribed — except within `singleThreaded`.
public enum BLAS {
    /// Runs `body` with OpenBLAS limited to the calling thread (its thread count is restored afterwards), so that
    /// `body` may call BLAS from inside `Parallel` loops: many small GEMMs on our own row blocks, with no BLAS
    /// threads spinning between them, and bits that do not depend on how BLAS would split the work across its
    /// threads. The BLAS thread count is process-wide: do not run other BLAS work concurrently with `body`.
    /// With a BLAS other than OpenBLAS, `body` simply runs.
    public static func singleThreaded<T>(_ body: () throws -> T) rethrows -> T {
        guard let get = ThreadControl.get, let set = ThreadControl.set else { return try body() }
        let threads = get()
        if threads != 1 { set(1) }
        defer { if threads != 1 { set(threads) } }
        return try body()
    }

    /// OpenBLAS's `openblas_get_num_threads` / `openblas_set_num_threads`, looked up at run time (the CBLAS
    /// interface does not declare them, and other BLAS libraries lack them).
    private enum ThreadControl {
        typealias Getter = @convention(c) () -> Int32
        typealias Setter = @convention(c) (Int32) -> Void
        static let get: Getter? = symbol("openblas_get_num_threads").map { unsafeBitCast($0, to: Getter.self) }
        static let set: Setter? = symbol("openblas_set_num_threads").map { unsafeBitCast($0, to: Setter.self) }

        private static func symbol(_ name: String) -> UnsafeMutableRawPointer? {
            #if canImport(Glibc)
            return dlsym(UnsafeMutableRawPointer(bitPattern: 0), name)
            #else
            return nil
            #endif
        }
    }

    /// `C = alpha · op(A) · op(B) + beta · C` on raw row-major buffers (`op` is the transpose when asked).
    /// `m × n` is the shape of `C`, `k` the inner dimension.
    public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// `op(A) · op(B)` as a new matrix.
    public static func multiply(_ a: DenseMatrix, _ b: DenseMatrix, transposeA: Bool = false,
                                transposeB: Bool = false) -> DenseMatrix {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let kb = transposeB ? b.columns : b.rows
        let n = transposeB ? b.rows : b.columns
        precondition(k == kb, "BLAS.multiply: inner dimensions \(k) and \(kb) differ")
        var out = DenseMatrix(rows: m, columns: n)
        if k == 0 { return out }
        a.values.withUnsafeBufferPointer { pa in
            b.values.withUnsafeBufferPointer { pb in
                out.values.withUnsafeMutableBufferPointer { pc in
                    gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                         a: pa.baseAddress!, lda: a.columns, b: pb.baseAddress!, ldb: b.columns,
                         c: pc.baseAddress!, ldc: n)
                }
            }
        }
        return out
    }

    /// Upper triangle of `Aᵀ·A` for a row-major `rows × columns` buffer (`cblas_ssyrk`), written row-major
    /// into `c` (`columns × columns`); the strict lower triangle is left untouched.
    static func gramUpper(rows: Int, columns: Int, a: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>) {
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(columns), Int32(rows), 1, a, Int32(columns),
                    0, c, Int32(columns))
    }

    /// `B = B · U⁻¹` for an upper-triangular row-major `n × n` matrix `U` and a row-major `m × n` matrix `B`.
    static func solveRightUpper(m: Int, n: Int, u: UnsafePointer<Float>, b: UnsafeMutablePointer<Float>) {
        cblas_strsm(CblasRowMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit, Int32(m), Int32(n), 1,
                    u, Int32(n), b, Int32(n))
    }
}
