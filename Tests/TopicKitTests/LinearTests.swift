import XCTest
@testable import TopicKit

/// Dense/sparse products, LAPACK wrappers and the randomized SVD, against dense references.
final class LinearTests: XCTestCase {
    /// A seeded random sparse matrix with roughly `density` of its entries set.
    private func randomSparse(rows: Int, columns: Int, density: Float, seed: UInt64) -> SparseMatrix {
        var rng = SeededGenerator(seed: seed)
        var dense = [Float](repeating: 0, count: rows * columns)
        for i in 0..<dense.count where rng.nextUnitFloat() < density { dense[i] = rng.nextUnitFloat() + 0.1 }
        return SparseMatrix(dense: dense, rows: rows, columns: columns)
    }

    private func randomDense(rows: Int, columns: Int, seed: UInt64) -> DenseMatrix {
        var rng = SeededGenerator(seed: seed)
        return DenseMatrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in rng.nextGaussian() })
    }

    private func naiveProduct(_ a: [Float], _ m: Int, _ k: Int, _ b: [Float], _ n: Int) -> [Float] {
        var out = [Float](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { var s: Float = 0; for t in 0..<k { s += a[i * k + t] * b[t * n + j] }; out[i * n + j] = s } }
        return out
    }

    func testGemmWrapperMatchesHandProductWithTransposes() {
        let a = DenseMatrix(rows: 2, columns: 3, values: [1, 2, 3, 4, 5, 6])
        let b = DenseMatrix(rows: 2, columns: 3, values: [1, 0, 1, 0, 1, 0])
        // A·Bᵀ = [[4, 2], [10, 5]]
        XCTAssertEqual(BLAS.multiply(a, b, transposeB: true).values, [4, 2, 10, 5])
        // Aᵀ·B = [[1,4,1],[2,5,2],[3,6,3]]
        XCTAssertEqual(BLAS.multiply(a, b, transposeA: true).values, [1, 4, 1, 2, 5, 2, 3, 6, 3])
    }

    func testSparseProductsMatchDenseReference() {
        let x = randomSparse(rows: 37, columns: 23, density: 0.2, seed: 1)
        let d = randomDense(rows: 23, columns: 5, seed: 2)
        let got = x.multiply(d)
        let want = naiveProduct(x.toDense(), 37, 23, d.values, 5)
        for (g, w) in zip(got.values, want) { XCTAssertEqual(g, w, accuracy: 1e-4) }

        let y = randomDense(rows: 37, columns: 4, seed: 3)
        let gotT = x.transposeMultiply(y)
        let xtDense = DenseMatrix(rows: 37, columns: 23, values: x.toDense()).transposed()
        let wantT = naiveProduct(xtDense.values, 23, 37, y.values, 4)
        XCTAssertEqual(gotT.rows, 23)
        for (g, w) in zip(gotT.values, wantT) { XCTAssertEqual(g, w, accuracy: 1e-4) }
        XCTAssertEqual(x.transposed().transposed(), x)
    }

    func testBlockedProductsMatchCSRProductsExactly() {
        // 20,000 rows force several row blocks (at most 8192 rows each).
        let x = randomSparse(rows: 20_000, columns: 60, density: 0.05, seed: 12)
        let d = randomDense(rows: 60, columns: 13, seed: 13)
        XCTAssertEqual(BlockedSparseMatrix(x).multiply(d), x.multiply(d))
        XCTAssertGreaterThan(BlockedSparseMatrix(x).blocks.count, 2)
        let y = randomDense(rows: 20_000, columns: 9, seed: 14)
        XCTAssertEqual(BlockedSparseMatrix(transposeOf: x).multiply(y), x.transposed().multiply(y))
        let small = randomSparse(rows: 7, columns: 5, density: 0.4, seed: 15)
        let e = randomDense(rows: 7, columns: 3, seed: 16)
        let want = naiveProduct(DenseMatrix(rows: 7, columns: 5, values: small.toDense()).transposed().values, 5, 7, e.values, 3)
        for (g, w) in zip(BlockedSparseMatrix(transposeOf: small).multiply(e).values, want) { XCTAssertEqual(g, w, accuracy: 1e-5) }
    }

    private func assertSameBlocks(_ a: BlockedSparseMatrix, _ b: BlockedSparseMatrix, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.rows, b.rows, file: file, line: line)
        XCTAssertEqual(a.columns, b.columns, file: file, line: line)
        XCTAssertEqual(a.blocks.count, b.blocks.count, file: file, line: line)
        for (p, q) in zip(a.blocks, b.blocks) {
            XCTAssertEqual(p.firstRow, q.firstRow, file: file, line: line)
            XCTAssertEqual(p.rowCount, q.rowCount, file: file, line: line)
            XCTAssertEqual(p.columnIDs, q.columnIDs, file: file, line: line)
            XCTAssertEqual(p.pointers, q.pointers, file: file, line: line)
            XCTAssertEqual(p.rowOffsets, q.rowOffsets, file: file, line: line)
            XCTAssertEqual(p.values, q.values, file: file, line: line)
        }
    }

    func testTransposeFromBlockedFormEqualsTransposeFromCSR() {
        // 20,000 papers make several source blocks; terms 0..<40 of 900 are dense, the rest sparse or empty.
        var rng = SeededGenerator(seed: 31)
        var dense = [Float](repeating: 0, count: 20_000 * 900)
        for r in 0..<20_000 where r % 7 != 3 {
            for c in 0..<900 where rng.nextUnitFloat() < (c < 40 ? 0.3 : c >= 850 ? 0 : 0.004) {
                dense[r * 900 + c] = rng.nextUnitFloat() + 0.1
            }
        }
        let x = SparseMatrix(dense: dense, rows: 20_000, columns: 900)
        let blocked = BlockedSparseMatrix(x)
        XCTAssertGreaterThan(blocked.blocks.count, 2)
        let fromBlocked = BlockedSparseMatrix(transposeOf: blocked)
        XCTAssertGreaterThan(fromBlocked.blocks.count, 5)
        assertSameBlocks(fromBlocked, BlockedSparseMatrix(transposeOf: x))
        let y = randomDense(rows: 20_000, columns: 9, seed: 32)
        XCTAssertEqual(fromBlocked.multiply(y), x.transposed().multiply(y))
        // The product with Xᵀ read from the blocked X: same term ranges, same values bit for bit.
        XCTAssertEqual(blocked.transposeRanges(), fromBlocked.blocks.map { $0.firstRow..<($0.firstRow + $0.rowCount) })
        var direct = DenseMatrix(rows: 0, columns: 0)
        blocked.transposeMultiply(y, ranges: blocked.transposeRanges(), into: &direct)
        XCTAssertEqual(direct, fromBlocked.multiply(y))
        let wide = randomDense(rows: 20_000, columns: 19, seed: 33)
        blocked.transposeMultiply(wide, ranges: blocked.transposeRanges(), into: &direct)
        XCTAssertEqual(direct, fromBlocked.multiply(wide))
        // A hand case: [[1, 0, 2], [0, 0, 0], [3, 4, 0]] has transpose rows 0: (0,1) (2,3); 1: (2,4); 2: (0,2).
        let small = SparseMatrix(dense: [1, 0, 2, 0, 0, 0, 3, 4, 0], rows: 3, columns: 3)
        let t = BlockedSparseMatrix(transposeOf: BlockedSparseMatrix(small))
        XCTAssertEqual(t.multiply(DenseMatrix(rows: 3, columns: 1, values: [1, 10, 100])).values, [301, 400, 2])
        assertSameBlocks(t, BlockedSparseMatrix(transposeOf: small))
    }

    func testInPlaceProductEqualsBLASProduct() {
        // 9,000 rows: two full 4096-row blocks and a partial one. OpenBLAS sums in an order that depends on
        // where its threads split the rows, so only the last bits may differ from the one-call product.
        let a = randomDense(rows: 9_000, columns: 24, seed: 41)
        let b = randomDense(rows: 24, columns: 17, seed: 42)
        var product = a
        product.multiplyInPlace(by: b)
        let want = BLAS.multiply(a, b)
        XCTAssertEqual(product.rows, 9_000)
        XCTAssertEqual(product.columns, 17)
        for (g, w) in zip(product.values, want.values) { XCTAssertEqual(g, w, accuracy: 1e-5 * max(1, abs(w))) }
        let c = randomDense(rows: 24, columns: 24, seed: 43)
        var square = a
        square.multiplyInPlace(by: c, transposeB: true)
        let wantSquare = BLAS.multiply(a, c, transposeB: true)
        XCTAssertEqual(square.columns, 24)
        for (g, w) in zip(square.values, wantSquare.values) { XCTAssertEqual(g, w, accuracy: 1e-5 * max(1, abs(w))) }
        // The last block's rows, computed alone, equal one BLAS call on those rows.
        let tail = DenseMatrix(rows: 9_000 - 8_192, columns: 24, values: Array(a.values[(8_192 * 24)...]))
        XCTAssertEqual(Array(product.values[(8_192 * 17)...]), BLAS.multiply(tail, b).values)
        var hand = DenseMatrix(rows: 2, columns: 3, values: [1, 2, 3, 4, 5, 6])
        hand.multiplyInPlace(by: DenseMatrix(rows: 1, columns: 3, values: [1, 0, -1]), transposeB: true)
        XCTAssertEqual(hand, DenseMatrix(rows: 2, columns: 1, values: [-2, -2]))
    }

    /// Rows of an 8-column dense matrix as SIMD8 lanes.
    private func lanes(_ m: DenseMatrix) -> [SIMD8<Float>] {
        (0..<m.rows).map { r in SIMD8<Float>((0..<8).map { m.values[r * 8 + $0] }) }
    }

    func testLaneProductsEqualBlockedProductsOfEightColumns() {
        let x = randomSparse(rows: 20_000, columns: 60, density: 0.05, seed: 21)
        let d = randomDense(rows: 60, columns: 8, seed: 22)
        let blocked = BlockedSparseMatrix(x)
        var out = [SIMD8<Float>](repeating: SIMD8(repeating: 7), count: x.rows)
        let input = lanes(d)
        out.withUnsafeMutableBufferPointer { o in blocked.multiplyLanes(input, into: o.baseAddress!) }
        XCTAssertEqual(out, lanes(blocked.multiply(d)))

        // Xᵀ·a and (X∘X)ᵀ·b in one pass.
        let a = randomDense(rows: x.rows, columns: 8, seed: 23), b = randomDense(rows: x.rows, columns: 8, seed: 24)
        let squaredX = SparseMatrix(rows: x.rows, columns: x.columns, rowPointers: x.rowPointers,
                                    columnIndices: x.columnIndices, values: x.values.map { $0 * $0 })
        var plain = [SIMD8<Float>](repeating: SIMD8(repeating: 1), count: x.columns)
        var squared = plain
        plain.withUnsafeMutableBufferPointer { p in
            squared.withUnsafeMutableBufferPointer { q in
                BlockedSparseMatrix(transposeOf: x).multiplyLanes(lanes(a), into: p.baseAddress!, squared: lanes(b),
                                                                  into: q.baseAddress!)
            }
        }
        XCTAssertEqual(plain, lanes(BlockedSparseMatrix(transposeOf: x).multiply(a)))
        XCTAssertEqual(squared, lanes(BlockedSparseMatrix(transposeOf: squaredX).multiply(b)))
    }

    func testPlannedLaneProductsEqualColumnLoopProductsBitForBit() {
        // Columns of very different lengths (dense ones and many with one or two entries, as in TF-IDF blocks),
        // frequency-ranked columns as the solver uses them, and a matrix with empty rows and columns.
        var g = SeededGenerator(seed: 41)
        let rows = 9000, columns = 700
        var dense = [Float](repeating: 0, count: rows * columns)
        for r in 0..<rows where r % 11 != 4 {
            for c in 0..<columns where c != 5 && g.nextUnitFloat() < 0.3 / Float(1 + c) + 0.002 {
                dense[r * columns + c] = g.nextUnitFloat() + 0.05
            }
        }
        let x = SparseMatrix(dense: dense, rows: rows, columns: columns)
        let (_, rank) = BlockedSparseMatrix.columnsByFrequency(x)
        let blocked = BlockedSparseMatrix(x, columnRank: rank)
        let transposed = BlockedSparseMatrix(transposeOf: blocked)
        XCTAssertGreaterThan(blocked.blocks.count, 1)
        XCTAssertGreaterThan(transposed.blocks.count, 1)

        // A plan loops over a block's leading columns of at least `minimumRun` entries and lists the column of
        // every later entry.
        let hybrid = LaneProductPlan(blocked, minimumRun: 3)
        XCTAssertTrue(hybrid.loopColumns.allSatisfy { $0 > 0 })
        XCTAssertTrue(zip(hybrid.loopColumns, blocked.blocks).allSatisfy { $0.0 < $0.1.columnIDs.count })
        for (b, block) in blocked.blocks.enumerated() {
            let head = hybrid.loopColumns[b]
            for c in 0..<head { XCTAssertGreaterThanOrEqual(block.pointers[c + 1] - block.pointers[c], 3) }
            XCTAssertLessThan(block.pointers[head + 1] - block.pointers[head], 3)
            var expected: [Int32] = []
            for c in head..<block.columnIDs.count {
                expected += [Int32](repeating: block.columnIDs[c], count: Int(block.pointers[c + 1] - block.pointers[c]))
            }
            XCTAssertEqual(hybrid.entryColumns[b], expected)
        }
        XCTAssertEqual(LaneProductPlan(blocked, minimumRun: 0).entryColumns.map(\.count), blocked.blocks.map { _ in 0 })
        XCTAssertEqual(LaneProductPlan(blocked, minimumRun: .max).entryColumns.map(\.count), blocked.blocks.map(\.values.count))

        let v = LaneTable(count: columns), a = LaneTable(count: rows), dd = LaneTable(count: rows)
        for j in 0..<columns { for t in 0..<8 { v.base[j][t] = g.nextGaussian() } }
        for i in 0..<rows { for t in 0..<8 { a.base[i][t] = g.nextGaussian(); dd.base[i][t] = g.nextUnitFloat() } }
        for threads in ["1", "2"] {
            setenv("TOPICKIT_THREADS", threads, 1)
            let loop = LaneTable(count: rows)
            blocked.multiplyLanes(v.base, into: loop.base)
            let loopPairs = LaneTable(count: 2 * columns)
            transposed.multiplyLanes(a.base, squared: dd.base, intoPairs: loopPairs.base)
            for run in [0, 3, 8, Int.max] {
                let flat = LaneTable(count: rows)
                for i in 0..<rows { flat.base[i] = Lanes(repeating: 3) }
                blocked.multiplyLanes(v.base, plan: LaneProductPlan(blocked, minimumRun: run), into: flat.base)
                for i in 0..<rows { XCTAssertEqual(flat.base[i], loop.base[i], "X·v row \(i), run \(run), \(threads) threads") }
                XCTAssertEqual(flat.base[4], Lanes(repeating: 0))

                let transposePlan = LaneProductPlan(transposed, minimumRun: run)
                let flatPairs = LaneTable(count: 2 * columns), plain = LaneTable(count: columns)
                for j in 0..<(2 * columns) { flatPairs.base[j] = Lanes(repeating: 5) }
                transposed.multiplyLanes(a.base, squared: dd.base, plan: transposePlan, intoPairs: flatPairs.base)
                transposed.multiplyLanes(a.base, plan: transposePlan, into: plain.base)
                for j in 0..<(2 * columns) {
                    XCTAssertEqual(flatPairs.base[j], loopPairs.base[j], "Xᵀ pair row \(j), run \(run), \(threads) threads")
                }
                for j in 0..<columns { XCTAssertEqual(plain.base[j], loopPairs.base[2 * j]) }
                XCTAssertEqual(plain.base[columns - 1], Lanes(repeating: 0))
            }
        }
        unsetenv("TOPICKIT_THREADS")
        // Column 5 is empty: stored last, its row of Xᵀ products is zero.
        XCTAssertEqual(Int(rank[5]), columns - 1)
    }

    func testLaneProductsOfAMatrixWithoutEntries() {
        let x = SparseMatrix(dense: [Float](repeating: 0, count: 12), rows: 4, columns: 3)
        let blocked = BlockedSparseMatrix(x)
        let v = LaneTable(count: 3), out = LaneTable(count: 4)
        for i in 0..<4 { out.base[i] = Lanes(repeating: 2) }
        blocked.multiplyLanes(v.base, plan: LaneProductPlan(blocked, minimumRun: 8), into: out.base)
        for i in 0..<4 { XCTAssertEqual(out.base[i], Lanes(repeating: 0)) }
    }

    func testSparseProductIsIdenticalForOneAndTwoThreads() {
        let x = randomSparse(rows: 3000, columns: 400, density: 0.05, seed: 9)
        let d = randomDense(rows: 400, columns: 16, seed: 10)
        setenv("TOPICKIT_THREADS", "1", 1)
        let one = x.multiply(d)
        setenv("TOPICKIT_THREADS", "2", 1)
        let two = x.multiply(d)
        unsetenv("TOPICKIT_THREADS")
        XCTAssertEqual(one, two)
    }

    func testQRReconstructsAndIsOrthonormal() throws {
        let a = randomDense(rows: 9, columns: 4, seed: 4)
        let (q, r) = try LAPACK.qr(a)
        let qtq = BLAS.multiply(q, q, transposeA: true)
        for i in 0..<4 { for j in 0..<4 { XCTAssertEqual(qtq[i, j], i == j ? 1 : 0, accuracy: 1e-5) } }
        for i in 1..<4 { for j in 0..<i { XCTAssertEqual(r[i, j], 0) } }
        let back = BLAS.multiply(q, r)
        for (g, w) in zip(back.values, a.values) { XCTAssertEqual(g, w, accuracy: 1e-4) }
        XCTAssertThrowsError(try LAPACK.qr(DenseMatrix(rows: 2, columns: 3)))
    }

    func testSymmetricEigenOfHandMatrix() throws {
        // [[2,1],[1,2]]: eigenvalues 1 and 3.
        let (values, vectors) = try LAPACK.symmetricEigen(DenseMatrix(rows: 2, columns: 2, values: [2, 1, 1, 2]))
        XCTAssertEqual(values[0], 1, accuracy: 1e-5)
        XCTAssertEqual(values[1], 3, accuracy: 1e-5)
        XCTAssertEqual(vectors[0, 1] * vectors[1, 1], 0.5, accuracy: 1e-5) // column 1 is ±(1,1)/√2
    }

    func testOrthonormalizeHandlesRankDeficientInput() throws {
        // Two identical columns: Cholesky fails, Householder takes over; Q stays orthonormal, no NaN.
        var y = DenseMatrix(rows: 5, columns: 2, values: [1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
        let r = try TruncatedSVD.orthonormalize(&y)
        XCTAssertFalse(y.values.contains { !$0.isFinite })
        let qtq = BLAS.multiply(y, y, transposeA: true)
        XCTAssertEqual(qtq[0, 0], 1, accuracy: 1e-5)
        XCTAssertEqual(qtq[1, 1], 1, accuracy: 1e-5)
        XCTAssertEqual(qtq[0, 1], 0, accuracy: 1e-5)
        XCTAssertEqual(abs(r[0, 0]), Float(55).squareRoot(), accuracy: 1e-4)
    }

    func testRandomizedSVDMatchesFullSVD() throws {
        // A random sparse matrix with a decaying spectrum: X = sparse + a strong rank-3 part.
        let rows = 120, cols = 80
        let base = randomSparse(rows: rows, columns: cols, density: 0.08, seed: 5).toDense()
        let u = randomDense(rows: rows, columns: 3, seed: 6), v = randomDense(rows: 3, columns: cols, seed: 7)
        var dense = base
        let low = BLAS.multiply(u, v)
        for i in 0..<dense.count where dense[i] != 0 || i % 3 == 0 { dense[i] += 0.5 * low.values[i] }
        let x = SparseMatrix(dense: dense, rows: rows, columns: cols)
        let k = 10
        let (model, embedding) = try TruncatedSVD(components: k, oversamples: 10, powerIterations: 6, seed: 1).fitTransform(x)
        let full = try LAPACK.svd(DenseMatrix(rows: rows, columns: cols, values: dense))
        XCTAssertEqual(model.dimensions, k)
        for i in 0..<k {
            XCTAssertEqual(model.singularValues[i], full.s[i], accuracy: 1e-3 * full.s[0], "singular value \(i)")
        }
        // Subspace agreement: |⟨v_i, v̂_i⟩| ≈ 1 for every leading right singular vector.
        for i in 0..<k {
            var dot: Float = 0
            for c in 0..<cols { dot += full.vt[i, c] * model.basis[c, i] }
            XCTAssertEqual(abs(dot), 1, accuracy: 1e-3, "singular vector \(i)")
        }
        // fitTransform's U·Σ equals X·V.
        let projected = try model.transform(x, normalize: false)
        for (a, b) in zip(projected.values, embedding.values) { XCTAssertEqual(a, b, accuracy: 1e-3 * full.s[0]) }
    }

    func testSVDIsDeterministicAcrossThreadCounts() throws {
        let x = randomSparse(rows: 3000, columns: 500, density: 0.02, seed: 11)
        setenv("TOPICKIT_THREADS", "1", 1)
        let one = try TruncatedSVD(components: 8, seed: 3).fit(x)
        setenv("TOPICKIT_THREADS", "2", 1)
        let two = try TruncatedSVD(components: 8, seed: 3).fit(x)
        unsetenv("TOPICKIT_THREADS")
        XCTAssertEqual(one, two)
    }

    func testSVDBadInputs() throws {
        XCTAssertThrowsError(try TruncatedSVD().fit(SparseMatrix(dense: [], rows: 0, columns: 5)))
        XCTAssertThrowsError(try TruncatedSVD(components: 0).fit(SparseMatrix(dense: [1, 0], rows: 1, columns: 2)))
        XCTAssertThrowsError(try TruncatedSVD().fit(SparseMatrix(dense: [1, .nan], rows: 1, columns: 2)))
        // More components than the rank allows: clamped to min(rows, columns), finite output.
        // Rank 1 ([1,0,2] and twice it): σ = (√5·√5, 0).
        let tiny = SparseMatrix(dense: [1, 0, 2, 2, 0, 4], rows: 2, columns: 3)
        let (model, embedding) = try TruncatedSVD(components: 128).fitTransform(tiny)
        XCTAssertEqual(model.dimensions, 2)
        XCTAssertFalse(embedding.values.contains { !$0.isFinite })
        XCTAssertEqual(model.singularValues[0], 5, accuracy: 1e-4)
        XCTAssertEqual(model.singularValues[1], 0, accuracy: 1e-4)
        XCTAssertThrowsError(try model.transform(SparseMatrix(dense: [1, 2], rows: 1, columns: 2)))
    }

    func testNormalizeRowsKeepsZeroRowsZero() {
        var m = DenseMatrix(rows: 2, columns: 2, values: [3, 4, 0, 0])
        m.normalizeRows()
        XCTAssertEqual(m.values, [0.6, 0.8, 0, 0])
    }

    // MARK: Slab-by-slab products and the Gram finish of the SVD

    func testGramProductEqualsTheTwoProductsExactlyForAnySlabSize() {
        for (rows, columns, seed) in [(300, 97, UInt64(21)), (40, 500, 22), (1, 3, 23)] {
            let x = randomSparse(rows: rows, columns: columns, density: 0.07, seed: seed)
            let blocked = BlockedSparseMatrix(x)
            for width in [13, 75] {
            let q = randomDense(rows: rows, columns: width, seed: seed + 100)
            var z = DenseMatrix(rows: 0, columns: 0)
            blocked.transposeMultiply(q, ranges: blocked.transposeRanges(), into: &z)
            let expected = blocked.multiply(z)
            for slabBytes in [1, width * 4 * 7, 1 << 22] {
                let slabs = blocked.termSlabs(width: width, slabBytes: slabBytes)
                XCTAssertEqual(slabs.slabs.first?.lowerBound, 0)
                XCTAssertEqual(slabs.slabs.last?.upperBound, columns)
                for (slab, pieces) in zip(slabs.slabs, slabs.pieces) {
                    XCTAssertEqual(pieces.first?.lowerBound, slab.lowerBound)
                    XCTAssertEqual(pieces.last?.upperBound, slab.upperBound)
                    XCTAssertLessThanOrEqual(pieces.count, TermSlabs.piecesPerSlab)
                }
                var scratch: [Float] = []
                var y = DenseMatrix(rows: 0, columns: 0)
                blocked.multiplyGram(q, slabs: slabs, scratch: &scratch, into: &y)
                XCTAssertEqual(y, expected, "slab bytes \(slabBytes)")
                // Reusing y and the scratch gives the same again.
                blocked.multiplyGram(q, slabs: slabs, scratch: &scratch, into: &y)
                XCTAssertEqual(y, expected)
                var seen: [Float] = []
                blocked.forEachTransposeSlab(q, slabs: slabs, scratch: &scratch) { slab, zs in
                    seen.append(contentsOf: UnsafeBufferPointer(start: zs, count: slab.count * width))
                }
                XCTAssertEqual(seen, z.values)
            }
            }
        }
    }

    func testDoubleSymmetricEigenOfHandMatrix() throws {
        // [[2,1,0],[1,2,0],[0,0,5]]: eigenvalues 1, 3, 5.
        let (values, vectors) = try LAPACK.symmetricEigen(doubles: [2, 1, 0, 1, 2, 0, 0, 0, 5], n: 3)
        XCTAssertEqual(values[0], 1, accuracy: 1e-12)
        XCTAssertEqual(values[1], 3, accuracy: 1e-12)
        XCTAssertEqual(values[2], 5, accuracy: 1e-12)
        XCTAssertEqual(abs(vectors[2 * 3 + 2]), 1, accuracy: 1e-12)      // column 2 is ±e₃
        XCTAssertEqual(vectors[0 * 3 + 1] * vectors[1 * 3 + 1], 0.5, accuracy: 1e-12) // column 1 is ±(1,1,0)/√2
        XCTAssertThrowsError(try LAPACK.symmetricEigen(doubles: [1, 2], n: 2))
    }

    func testSVDAgainstFullSVDWithBasisOrthonormalAndSignsFixed() throws {
        // 20 columns: the sketch (20 wide) spans X's whole column space, so U·Σ equals X·V to rounding.
        let rows = 150, cols = 20
        let base = randomSparse(rows: rows, columns: cols, density: 0.2, seed: 31).toDense()
        let u = randomDense(rows: rows, columns: 4, seed: 32), v = randomDense(rows: 4, columns: cols, seed: 33)
        let low = BLAS.multiply(u, v)
        var dense = base
        for i in 0..<dense.count where dense[i] != 0 || i % 2 == 0 { dense[i] += 0.3 * low.values[i] }
        var x = SparseMatrix(dense: dense, rows: rows, columns: cols)
        let k = 12
        let svd = TruncatedSVD(components: k, oversamples: 12, powerIterations: 5, seed: 4)
        let (model, embedding) = try svd.fitTransform(&x, lending: false, keepingBasis: true)
        let full = try LAPACK.svd(DenseMatrix(rows: rows, columns: cols, values: dense))
        for i in 0..<k { XCTAssertEqual(model.singularValues[i], full.s[i], accuracy: 1e-3 * full.s[0], "σ\(i)") }
        XCTAssertEqual(model.singularValues, model.singularValues.sorted(by: >))
        // Basis columns orthonormal, each the full SVD's right singular vector up to sign.
        let vtv = BLAS.multiply(model.basis, model.basis, transposeA: true)
        for i in 0..<k { for j in 0..<k { XCTAssertEqual(vtv[i, j], i == j ? 1 : 0, accuracy: 1e-4) } }
        for i in 0..<k {
            var dot: Float = 0
            for c in 0..<cols { dot += full.vt[i, c] * model.basis[c, i] }
            XCTAssertEqual(abs(dot), 1, accuracy: 1e-3, "v\(i)")
        }
        // The embedding is U·Σ: X·V, with orthogonal columns of norm σ; its largest-magnitude entries positive.
        let projected = try model.transform(x, normalize: false)
        for (a, b) in zip(projected.values, embedding.values) { XCTAssertEqual(a, b, accuracy: 1e-4 * full.s[0]) }
        let ete = BLAS.multiply(embedding, embedding, transposeA: true)
        for i in 0..<k {
            for j in 0..<k {
                let want = i == j ? model.singularValues[i] * model.singularValues[i] : 0
                XCTAssertEqual(ete[i, j], want, accuracy: 1e-4 * full.s[0] * full.s[0])
            }
            var best: Float = 0
            for r in 0..<rows where abs(embedding[r, i]) > abs(best) { best = embedding[r, i] }
            XCTAssertGreaterThan(best, 0, "component \(i)")
        }
        // Without the basis: the same embedding and singular values, an empty basis.
        let (lean, leanEmbedding) = try svd.fitTransform(&x, lending: false, keepingBasis: false)
        XCTAssertEqual(leanEmbedding, embedding)
        XCTAssertEqual(lean.singularValues, model.singularValues)
        XCTAssertEqual(lean.vocabularySize, 0)
        XCTAssertEqual(lean.dimensions, k)
    }

    func testSVDOfRankDeficientAndIdenticalRowsHasZeroDirectionsAndNoNaN() throws {
        // 40 identical rows: rank 1, σ₁ = √40·‖row‖; every other direction is null.
        let row: [Float] = [0, 1, 2, 0, 0, 3, 0, 1]
        var identical = SparseMatrix(dense: Array((0..<40).map { _ in row }.joined()), rows: 40, columns: 8)
        let (model, embedding) = try TruncatedSVD(components: 5, seed: 2).fitTransform(&identical, lending: true,
                                                                                         keepingBasis: true)
        XCTAssertEqual(identical.rows, 40)
        XCTAssertFalse(embedding.values.contains { !$0.isFinite })
        XCTAssertFalse(model.basis.values.contains { !$0.isFinite })
        XCTAssertEqual(model.singularValues[0], (40 * 15 as Float).squareRoot(), accuracy: 1e-3)
        XCTAssertEqual(Array(model.singularValues.dropFirst()), [0, 0, 0, 0])
        for r in 0..<40 {
            XCTAssertEqual(embedding[r, 0], Float(15).squareRoot(), accuracy: 1e-4)
            for c in 1..<5 { XCTAssertEqual(embedding[r, c], 0) }
        }
        for t in 0..<8 {
            XCTAssertEqual(model.basis[t, 0], row[t] / Float(15).squareRoot(), accuracy: 1e-5)
            for c in 1..<5 { XCTAssertEqual(model.basis[t, c], 0) }
        }
        // Rank 3 from a rank-3 product: the three leading values match the full SVD, the rest are zero.
        let a = randomDense(rows: 30, columns: 3, seed: 41), b = randomDense(rows: 3, columns: 20, seed: 42)
        let product = BLAS.multiply(a, b)
        let (m3, e3) = try TruncatedSVD(components: 8, seed: 1).fitTransform(SparseMatrix(dense: product.values, rows: 30, columns: 20))
        let full = try LAPACK.svd(product)
        for i in 0..<3 { XCTAssertEqual(m3.singularValues[i], full.s[i], accuracy: 1e-4 * full.s[0]) }
        XCTAssertEqual(Array(m3.singularValues[3...]), [0, 0, 0, 0, 0])
        XCTAssertFalse(e3.values.contains { !$0.isFinite })
        // An all-zero matrix: every direction null, zero embedding and basis.
        let zero = SparseMatrix(rows: 3, columns: 4, rowPointers: [0, 1, 1, 1], columnIndices: [2], values: [0])
        let (mz, ez) = try TruncatedSVD(components: 2).fitTransform(zero)
        XCTAssertEqual(mz.singularValues, [0, 0])
        XCTAssertTrue(ez.values.allSatisfy { $0 == 0 })
        XCTAssertTrue(mz.basis.values.allSatisfy { $0 == 0 })
    }

    func testFrequencyOrderedBlockedFormGivesTheMatrixBackAndTheSameGramProduct() {
        for (rows, columns, density, seed) in [(300, 97, Float(0.07), UInt64(51)), (20_000, 40, 0.05, 52), (5, 4, 0, 53)] {
            let x = randomSparse(rows: rows, columns: columns, density: density, seed: seed)
            let (order, rank) = BlockedSparseMatrix.columnsByFrequency(x)
            XCTAssertEqual(order.sorted(), (0..<Int32(columns)).map { $0 })
            var counts = [Int](repeating: 0, count: columns)
            for c in x.columnIndices { counts[Int(c)] += 1 }
            for j in 1..<columns {
                let a = Int(order[j - 1]), b = Int(order[j])
                XCTAssertTrue(counts[a] > counts[b] || (counts[a] == counts[b] && a < b))
                XCTAssertEqual(Int(rank[b]), j)
            }
            var permuted = BlockedSparseMatrix(x, columnRank: rank)
            if rows == 20_000 { XCTAssertGreaterThan(permuted.blocks.count, 1) }
            // X·Xᵀ·Q does not depend on the order the terms are stored in.
            let q = randomDense(rows: rows, columns: 9, seed: seed + 7)
            var scratch: [Float] = []
            var y = DenseMatrix(rows: 0, columns: 0), reference = DenseMatrix(rows: 0, columns: 0)
            permuted.multiplyGram(q, slabs: permuted.termSlabs(width: 9, slabBytes: 9 * 4 * 5), scratch: &scratch, into: &y)
            let plain = BlockedSparseMatrix(x)
            plain.multiplyGram(q, slabs: plain.termSlabs(width: 9), scratch: &scratch, into: &reference)
            for (a, b) in zip(y.values, reference.values) { XCTAssertEqual(a, b, accuracy: 1e-4 * max(1, abs(b))) }
            XCTAssertEqual(permuted.takeSparseMatrix(columnOrder: order), x)
            XCTAssertTrue(permuted.blocks.isEmpty)
        }
    }
}
