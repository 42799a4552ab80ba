import CLAPACK

/// A dense linear-algebra routine failed (LAPACK `info != 0`) or got matrices of the wrong shape.
public enum LinearAlgebraError: Error, CustomStringConvertible, Equatable {
    /// LAPACK routine `routine` returned `info` (negative: bad argument; positive: no convergence or not definite).
    case lapackFailure(routine: String, info: Int)
    /// The operation needs a different shape, e.g. QR of a matrix with fewer rows than columns.
    case invalidShape(String)
    /// The input holds NaN or infinite values (named where found).
    case nonFiniteValue(String)

    public var description: String {
        switch self {
        case .lapackFailure(let routine, let info):
            return info < 0
                ? "LAPACK \(routine) rejected argument \(-info) (info = \(info)); this is a TopicKit bug, please report it"
                : "LAPACK \(routine) did not converge (info = \(info)); the matrix may contain NaN or infinite values"
        case .invalidShape(let message), .nonFiniteValue(let message):
            return message
        }
    }
}

/// Wrappers over the LAPACK routines TopicKit calls, on row-major `DenseMatrix` values.
///
/// LAPACK is column-major; each wrapper transposes in and out, which is cheap next to the factorisation.
public enum LAPACK {
    /// Thin QR factorisation `A = Q·R` of an `m × n` matrix with `m ≥ n` (`sgeqrf_` + `sorgqr_`):
    /// `q` is `m × n` with orthonormal columns, `r` is `n × n` upper triangular.
    public static func qr(_ a: DenseMatrix) throws -> (q: DenseMatrix, r: DenseMatrix) {
        let m = a.rows, n = a.columns
        guard m >= n else {
            throw LinearAlgebraError.invalidShape("QR needs at least as many rows as columns, got \(m) × \(n)")
        }
        if n == 0 { return (DenseMatrix(rows: m, columns: 0), DenseMatrix(rows: 0, columns: 0)) }
        var colMajor = a.transposed().values
        var mm = Int32(m), nn = Int32(n), lda = Int32(m), info: Int32 = 0
        var tau = [Float](repeating: 0, count: n)
        var query: Float = 0, lwork: Int32 = -1
        sgeqrf_(&mm, &nn, &colMajor, &lda, &tau, &query, &lwork, &info)
        try check("sgeqrf", info)
        lwork = Int32(max(1, Int(query)))
        var work = [Float](repeating: 0, count: Int(lwork))
        sgeqrf_(&mm, &nn, &colMajor, &lda, &tau, &work, &lwork, &info)
        try check("sgeqrf", info)
        var r = DenseMatrix(rows: n, columns: n)
        for i in 0..<n {
            for j in i..<n { r[i, j] = colMajor[j * m + i] }
        }
        var kk = Int32(n)
        lwork = -1
        sorgqr_(&mm, &nn, &kk, &colMajor, &lda, &tau, &query, &lwork, &info)
        try check("sorgqr", info)
        lwork = Int32(max(1, Int(query)))
        if Int(lwork) > work.count { work = [Float](repeating: 0, count: Int(lwork)) }
        sorgqr_(&mm, &nn, &kk, &colMajor, &lda, &tau, &work, &lwork, &info)
        try check("sorgqr", info)
        let q = DenseMatrix(rows: n, columns: m, values: colMajor).transposed()
        return (q, r)
    }

    /// Thin singular value decomposition `A = U·diag(s)·Vᵀ` (`sgesdd_`, divide and conquer):
    /// with `p = min(m, n)`, `u` is `m × p`, `s` holds `p` values in decreasing order, `vt` is `p × n`.
    public static func svd(_ a: DenseMatrix) throws -> (u: DenseMatrix, s: [Float], vt: DenseMatrix) {
        let m = a.rows, n = a.columns, p = min(m, n)
        if p == 0 { return (DenseMatrix(rows: m, columns: 0), [], DenseMatrix(rows: 0, columns: n)) }
        var colMajor = a.transposed().values
        var mm = Int32(m), nn = Int32(n), lda = Int32(m), ldu = Int32(m), ldvt = Int32(p), info: Int32 = 0
        var s = [Float](repeating: 0, count: p)
        var u = [Float](repeating: 0, count: m * p)
        var vt = [Float](repeating: 0, count: p * n)
        var iwork = [Int32](repeating: 0, count: 8 * p)
        var query: Float = 0, lwork: Int32 = -1
        sgesdd_("S", &mm, &nn, &colMajor, &lda, &s, &u, &ldu, &vt, &ldvt, &query, &lwork, &iwork, &info, 1)
        try check("sgesdd", info)
        lwork = Int32(max(1, Int(query)))
        var work = [Float](repeating: 0, count: Int(lwork))
        sgesdd_("S", &mm, &nn, &colMajor, &lda, &s, &u, &ldu, &vt, &ldvt, &work, &lwork, &iwork, &info, 1)
        try check("sgesdd", info)
        // Column-major m × p and p × n read back as row-major transposes.
        let uRow = DenseMatrix(rows: p, columns: m, values: u).transposed()
        let vtRow = DenseMatrix(rows: n, columns: p, values: vt).transposed()
        return (uRow, s, vtRow)
    }

    /// Eigen-decomposition of a symmetric `n × n` matrix (`ssyevd_`): eigenvalues in increasing order and
    /// the matching unit eigenvectors as the columns of `vectors`.
    public static func symmetricEigen(_ a: DenseMatrix) throws -> (values: [Float], vectors: DenseMatrix) {
        let n = a.rows
        guard a.columns == n else {
            throw LinearAlgebraError.invalidShape("eigen-decomposition needs a square matrix, got \(a.rows) × \(a.columns)")
        }
        if n == 0 { return ([], DenseMatrix(rows: 0, columns: 0)) }
        var colMajor = a.transposed().values
        var nn = Int32(n), lda = Int32(n), info: Int32 = 0
        var w = [Float](repeating: 0, count: n)
        var query: Float = 0, iquery: Int32 = 0, lwork: Int32 = -1, liwork: Int32 = -1
        ssyevd_("V", "U", &nn, &colMajor, &lda, &w, &query, &lwork, &iquery, &liwork, &info, 1, 1)
        try check("ssyevd", info)
        lwork = Int32(max(1, Int(query)))
        liwork = max(1, iquery)
        var work = [Float](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: Int(liwork))
        ssyevd_("V", "U", &nn, &colMajor, &lda, &w, &work, &lwork, &iwork, &liwork, &info, 1, 1)
        try check("ssyevd", info)
        return (w, DenseMatrix(rows: n, columns: n, values: colMajor).transposed())
    }

    /// Eigen-decomposition of a symmetric `n × n` Double matrix given row-major (`dsyevd_`; only the upper
    /// triangle is read): eigenvalues in increasing order and the matching unit eigenvectors as the columns of
    /// the row-major `n × n` result. For the small Gram matrices whose eigenvalues are squared singular values,
    /// where Float would lose the small ones.
    static func symmetricEigen(doubles a: [Double], n: Int) throws -> (values: [Double], vectors: [Double]) {
        guard a.count == n * n else {
            throw LinearAlgebraError.invalidShape("eigen-decomposition needs \(n * n) values for \(n) × \(n), got \(a.count)")
        }
        if n == 0 { return ([], []) }
        // Row-major upper triangle = column-major lower triangle.
        var colMajor = a
        var nn = Int32(n), lda = Int32(n), info: Int32 = 0
        var w = [Double](repeating: 0, count: n)
        var query: Double = 0, iquery: Int32 = 0, lwork: Int32 = -1, liwork: Int32 = -1
        dsyevd_("V", "L", &nn, &colMajor, &lda, &w, &query, &lwork, &iquery, &liwork, &info, 1, 1)
        try check("dsyevd", info)
        lwork = Int32(max(1, Int(query)))
        liwork = max(1, iquery)
        var work = [Double](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: Int(liwork))
        dsyevd_("V", "L", &nn, &colMajor, &lda, &w, &work, &lwork, &iwork, &liwork, &info, 1, 1)
        try check("dsyevd", info)
        // Column-major eigenvectors (column j = vector j) read back row-major.
        var vectors = [Double](repeating: 0, count: n * n)
        for j in 0..<n { for i in 0..<n { vectors[i * n + j] = colMajor[j * n + i] } }
        return (w, vectors)
    }

    /// Cholesky factor `R` (upper triangular, `G = Rᵀ·R`) of a symmetric positive definite row-major `n × n`
    /// buffer whose upper triangle is filled; overwrites it with `R` and zeroes the strict lower triangle.
    /// Returns false when `G` is not numerically positive definite.
    static func choleskyUpper(_ g: UnsafeMutablePointer<Float>, n: Int) -> Bool {
        // Row-major upper triangle = column-major lower triangle.
        var nn = Int32(n), lda = Int32(n), info: Int32 = 0
        spotrf_("L", &nn, g, &lda, &info, 1)
        guard info == 0 else { return false }
        for i in 0..<n {
            for j in 0..<i { g[i * n + j] = 0 }
        }
        return true
    }

    private static func check(_ routine: String, _ info: Int32) throws {
        if info != 0 { throw LinearAlgebraError.lapackFailure(routine: routine, info: Int(info)) }
    }
}
