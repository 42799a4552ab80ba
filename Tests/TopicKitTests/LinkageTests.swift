import CBLAS
import CLAPACK
import XCTest

/// Proves the system BLAS and LAPACK are linked and callable, against answers computed by hand.
final class LinkageTests: XCTestCase {
    func testSgemmMultipliesSmallMatrices() {
        // [1 2; 3 4] × [5 6; 7 8] = [19 22; 43 50]
        let a: [Float] = [1, 2, 3, 4], b: [Float] = [5, 6, 7, 8]
        var c = [Float](repeating: 0, count: 4)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 2, 2, 2, 1, a, 2, b, 2, 0, &c, 2)
        XCTAssertEqual(c, [19, 22, 43, 50])
    }

    func testSsyevdFindsEigenvaluesOfSymmetricMatrix() {
        // [2 1; 1 2] has eigenvalues 1 and 3 with eigenvectors (1,-1)/√2 and (1,1)/√2.
        var a: [Float] = [2, 1, 1, 2]
        var n: Int32 = 2, lda: Int32 = 2, info: Int32 = 0
        var w = [Float](repeating: 0, count: 2)
        var lwork: Int32 = -1, liwork: Int32 = -1
        var wq: Float = 0, iwq: Int32 = 0
        ssyevd_("V", "U", &n, &a, &lda, &w, &wq, &lwork, &iwq, &liwork, &info, 1, 1)
        XCTAssertEqual(info, 0)
        lwork = Int32(wq); liwork = iwq
        var work = [Float](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: Int(liwork))
        ssyevd_("V", "U", &n, &a, &lda, &w, &work, &lwork, &iwork, &liwork, &info, 1, 1)
        XCTAssertEqual(info, 0)
        XCTAssertEqual(w[0], 1, accuracy: 1e-5)
        XCTAssertEqual(w[1], 3, accuracy: 1e-5)
        XCTAssertEqual(abs(a[2]), Float(0.5).squareRoot(), accuracy: 1e-5)
        XCTAssertEqual(a[2] * a[3], 0.5, accuracy: 1e-5) // second eigenvector is ±(1,1)/√2
    }

    func testSgesddFindsSingularValues() {
        // diag-like 3×2 matrix [[3,0],[0,4],[0,0]] (column-major) has singular values 4 and 3.
        var a: [Float] = [3, 0, 0, 0, 4, 0]
        var m: Int32 = 3, n: Int32 = 2, lda: Int32 = 3, ldu: Int32 = 3, ldvt: Int32 = 2, info: Int32 = 0
        var s = [Float](repeating: 0, count: 2)
        var u = [Float](repeating: 0, count: 9), vt = [Float](repeating: 0, count: 4)
        var iwork = [Int32](repeating: 0, count: 16)
        var lwork: Int32 = -1, wq: Float = 0
        sgesdd_("S", &m, &n, &a, &lda, &s, &u, &ldu, &vt, &ldvt, &wq, &lwork, &iwork, &info, 1)
        lwork = Int32(wq)
        var work = [Float](repeating: 0, count: Int(lwork))
        sgesdd_("S", &m, &n, &a, &lda, &s, &u, &ldu, &vt, &ldvt, &work, &lwork, &iwork, &info, 1)
        XCTAssertEqual(info, 0)
        XCTAssertEqual(s[0], 4, accuracy: 1e-5)
        XCTAssertEqual(s[1], 3, accuracy: 1e-5)
    }
}
