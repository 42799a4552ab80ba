#if canImport(Glibc)
import Glibc
#endif

extension DenseMatrix {
    /// Rows per BLAS call in `multiplyInPlace` (a 4096 × 128 Float scratch block is 2 MB).
    static let inPlaceBlockRows = 4096

    /// Replaces `self` (`rows × l`) by `self · op(b)` (`rows × n`, `n ≤ l`) one block of rows at a time, so the
    /// product never exists beside the factor: on a 4M-term vocabulary the two would be 4.5 GB.
    ///
    /// Row `r` of the product is written at `r · n ≤ r · l`, over rows already consumed; each block goes
    /// through a small scratch buffer first, so it may overlap its own input. Values may differ in the last
    /// bits from one `sgemm` over all rows (OpenBLAS's summation order depends on how its threads split the
    /// rows). The pages past the shrunken matrix are handed back to the system.
    mutating func multiplyInPlace(by b: DenseMatrix, transposeB: Bool = false) {
        let l = columns
        let inner = transposeB ? b.columns : b.rows
        let n = transposeB ? b.rows : b.columns
        precondition(inner == l && n <= l, "DenseMatrix.multiplyInPlace: \(rows) × \(l) times \(inner) × \(n)")
        let rowCount = rows
        let step = Self.inPlaceBlockRows
        var scratch = [Float](repeating: 0, count: min(step, max(rowCount, 1)) * n)
        var storage = values
        values = []
        storage.withUnsafeMutableBufferPointer { v in
            b.values.withUnsafeBufferPointer { pb in
                scratch.withUnsafeMutableBufferPointer { s in
                    var start = 0
                    while start < rowCount {
                        let m = min(step, rowCount - start)
                        if l > 0 {
                            BLAS.gemm(transposeA: false, transposeB: transposeB, m: m, n: n, k: l,
                                      a: v.baseAddress! + start * l, lda: l, b: pb.baseAddress!, ldb: b.columns,
                                      c: s.baseAddress!, ldc: n)
                        } else {
                            s.baseAddress!.update(repeating: 0, count: m * n)
                        }
                        (v.baseAddress! + start * n).update(from: s.baseAddress!, count: m * n)
                        start += m
                    }
                }
            }
        }
        storage.removeLast(storage.count - rowCount * n)
        Self.releaseUnusedCapacity(of: &storage)
        self = DenseMatrix(rows: rowCount, columns: n, values: storage)
    }

    /// Returns the whole pages of `values`' spare capacity to the system (they read as zero if ever reused).
    private static func releaseUnusedCapacity(of values: inout [Float]) {
        #if canImport(Glibc)
        let used = values.count, capacity = values.capacity
        guard capacity > used else { return }
        values.withUnsafeMutableBufferPointer { v in
            guard let base = v.baseAddress else { return }
            let page = Int(sysconf(Int32(_SC_PAGESIZE)))
            let from = (Int(bitPattern: base + used) + page - 1) / page * page
            let to = Int(bitPattern: base + capacity) / page * page
            guard to > from, let start = UnsafeMutableRawPointer(bitPattern: from) else { return }
            _ = madvise(start, to - from, Int32(MADV_DONTNEED))
        }
        #endif
    }
}
