#if canImport(Glibc)
import Glibc
#endif

/// Randomized truncated SVD (Halko, Martinsson & Tropp 2011) of a sparse TF-IDF matrix: the LSA step.
///
/// A Gaussian start `Ω` (papers × `components + oversamples`), `powerIterations` rounds of subspace iteration
/// `Q ← orth(X·Xᵀ·Q)` on the papers' side, then the eigen-decomposition of the small Gram `B·Bᵀ` of
/// `B = Qᵀ·X`. `Xᵀ·Q` is only ever held one term slab at a time, so no vocabulary-sized dense matrix exists
/// unless the basis is kept. Sparse products run on all cores; dense parts go to BLAS/LAPACK. The same seed
/// gives the same model for any thread count.
///
/// Signs: each component is oriented so that the largest-magnitude entry of its embedding column (`U·Σ`, the
/// first on a tie) is positive. Directions with `σ ≤ 1e-5·σ₁` (rank-deficient input) get `σ = 0` and zero
/// embedding and basis columns.
public struct TruncatedSVD: Sendable {
    /// Dimensions kept (scikit-learn's `n_components`); clamped to `min(rows, columns)` of the input.
    public var components: Int
    /// Extra sketch columns beyond `components` (scikit-learn's `n_oversamples`); the sketch width is rounded
    /// up to a multiple of 8.
    public var oversamples: Int
    /// Subspace (power) iterations, each one product with X and one with Xᵀ (at least one is always run);
    /// more sharpens the small singular values (scikit-learn's `n_iter`). The default 4 (9 sparse products; 6 took
    /// 13) clusters arxiv-daily as well as 6 did: over k-means seeds 0–4, mean inertia 51,222 vs 51,385 and mean
    /// NMI 0.2284 vs 0.2295 (scikit-learn, n_iter 5: 51,326 and 0.2275).
    public var powerIterations: Int
    /// Seed of the random projection.
    public var seed: UInt64

    public init(components: Int = 128, oversamples: Int = 10, powerIterations: Int = 4, seed: UInt64 = 0) {
        self.components = components
        self.oversamples = oversamples
        self.powerIterations = powerIterations
        self.seed = seed
    }

    /// Fits the basis of the `components` leading right singular vectors of `x`.
    ///
    /// When `components` exceeds `min(x.rows, x.columns)` (a tiny corpus or vocabulary) the model keeps
    /// `min(x.rows, x.columns)` dimensions instead: check `LSAModel.dimensions`.
    public func fit(_ x: SparseMatrix) throws -> LSAModel {
        try fitTransform(x).model
    }

    /// Fits the model and returns the rows of `x` in LSA space, `U·Σ` (not renormalised), as scikit-learn's
    /// `fit_transform` does; cheaper than `fit` followed by `transform`.
    public func fitTransform(_ x: SparseMatrix) throws -> (model: LSAModel, embedding: DenseMatrix) {
        var x = x
        return try fitTransform(&x, lending: false)
    }

    /// `fitTransform` for large matrices: `x` is emptied while the SVD works on its blocked copies and is given
    /// back, identical, before this returns (also when it throws after the copies exist), so the matrix is not
    /// held three times. The result equals `fitTransform(x)`.
    public func fitTransform(lending x: inout SparseMatrix) throws -> (model: LSAModel, embedding: DenseMatrix) {
        try fitTransform(&x, lending: true)
    }

    /// With `keepingBasis: false` the model keeps only its singular values and dimensions (an empty
    /// `0 × dimensions` basis) and the basis is never computed: no vocabulary-sized matrix exists at any point.
    func fitTransform(_ x: inout SparseMatrix, lending: Bool,
                      keepingBasis: Bool = true) throws -> (model: LSAModel, embedding: DenseMatrix) {
        guard x.rows > 0, x.columns > 0 else {
            throw LinearAlgebraError.invalidShape("cannot compute an SVD of an empty \(x.rows) × \(x.columns) matrix")
        }
        guard components >= 1 else {
            throw LinearAlgebraError.invalidShape("the SVD needs at least 1 component, got \(components)")
        }
        guard oversamples >= 0, powerIterations >= 0 else {
            throw LinearAlgebraError.invalidShape("oversamples (\(oversamples)) and power iterations (\(powerIterations)) must not be negative")
        }
        if let bad = x.values.firstIndex(where: { !$0.isFinite }) {
            let row = x.rowPointers.lastIndex(where: { $0 <= bad }) ?? 0
            throw LinearAlgebraError.nonFiniteValue("the matrix holds a non-finite value (\(x.values[bad])) in row \(row)")
        }
        let rank = min(x.rows, x.columns)
        let k = min(components, rank)
        // Sketch width rounded up to a multiple of 8 (full SIMD lanes in the sparse products).
        let l = min((k + oversamples + 7) / 8 * 8, rank)
        let rows = x.rows
        // Terms are stored by decreasing frequency (see `columnsByFrequency`): term slabs are ranges of that order.
        let (termOrder, termRank) = BlockedSparseMatrix.columnsByFrequency(x)
        var blocked = BlockedSparseMatrix(x, columnRank: termRank)
        MemoryLog.stage("svd: blocked X")
        // Only the blocked X is held while the SVD works (a lent CSR matrix is released): products with Xᵀ read
        // it too, term slab by term slab, so Xᵀ is never stored.
        if lending { x = SparseMatrix(rows: 0, columns: 0, rowPointers: [0], columnIndices: [], values: []) }
        defer { if lending { x = blocked.takeSparseMatrix(columnOrder: termOrder) } }
        // Building the blocked form frees many column-sized scratch arrays into the allocator's arenas.
        FreedMemory.release()

        let slabs = blocked.termSlabs(width: l)
        var scratch: [Float] = []

        // Range finder on the papers' side only: Q ← orth(X·Xᵀ·Q) from a Gaussian Q (papers × l), each product a
        // term slab at a time (`multiplyGram`), so Xᵀ·Q (vocabulary × l, 2.3 GB on a 4M-term vocabulary) is never
        // stored. With Q orthonormal, X·Xᵀ·Q has condition about (σ₁/σₗ)², which one Cholesky-QR pass handles
        // (`orthonormalize` falls back to Householder when it cannot); the last Q is orthonormal to working
        // precision.
        var q = gaussianSketch(rows: rows, columns: l)
        MemoryLog.stage("svd: sketch")
        var y = DenseMatrix(rows: rows, columns: l)
        let rounds = max(1, powerIterations)
        for round in 0..<rounds {
            blocked.multiplyGram(q, slabs: slabs, scratch: &scratch, into: &y)
            swap(&q, &y)
            _ = try Self.orthonormalize(&q, exact: round == rounds - 1)
        }
        y = DenseMatrix(rows: 0, columns: 0)
        MemoryLog.stage("svd: power iterations")

        // X ≈ Q·B with B = Qᵀ·X = Zᵀ (Z = Xᵀ·Q). B·Bᵀ = Σ_slabs Z_sᵀ·Z_s = U_B·Σ²·U_Bᵀ, so X ≈ (Q·U_B·Σ)·Vᵀ with
        // V = Z·U_B·Σ⁻¹: the embedding needs only Q and the small U_B·Σ; the basis takes one more slab pass.
        var gram = GramAccumulator(width: l)
        blocked.forEachTransposeSlab(q, slabs: slabs, scratch: &scratch) { slab, z in gram.add(rows: slab.count, z) }
        let (embeddingFactor, basisFactor, singularValues) = try Self.finish(gram: gram.symmetric, width: l, components: k)
        var embedding = BLAS.multiply(q, embeddingFactor)
        let flips = Self.fixSigns(embedding: &embedding)
        var basisFactorSigned = basisFactor
        for r in 0..<l { for c in 0..<k where flips[c] { basisFactorSigned[r, c] = -basisFactorSigned[r, c] } }
        MemoryLog.stage("svd: embedding")
        var basis = DenseMatrix(rows: 0, columns: k)
        if keepingBasis {
            basis = DenseMatrix(rows: blocked.columns, columns: k)
            var rowsOfSlab = [Float](repeating: 0, count: slabs.largest * k)
            basis.values.withUnsafeMutableBufferPointer { vb in
                basisFactorSigned.values.withUnsafeBufferPointer { fb in
                    rowsOfSlab.withUnsafeMutableBufferPointer { sb in
                        blocked.forEachTransposeSlab(q, slabs: slabs, scratch: &scratch) { slab, z in
                            BLAS.gemm(transposeA: false, transposeB: false, m: slab.count, n: k, k: l, a: z, lda: l,
                                      b: fb.baseAddress!, ldb: k, c: sb.baseAddress!, ldc: k)
                            for j in slab {
                                (vb.baseAddress! + Int(termOrder[j]) * k)
                                    .update(from: sb.baseAddress! + (j - slab.lowerBound) * k, count: k)
                            }
                        }
                    }
                }
            }
            MemoryLog.stage("svd: basis")
        }
        q = DenseMatrix(rows: 0, columns: 0)
        scratch = []
        return (LSAModel(basis: basis, singularValues: singularValues), embedding)
    }

    /// Relative size below which a singular value counts as zero: `Z` is computed in Float, so directions with
    /// `σ ≤ 1e-5·σ₁` cannot be told from rounding noise (a rank-deficient or all-identical input has them).
    static let nullRelativeTolerance = 1e-5

    /// From the Gram `B·Bᵀ` (`width × width`, Double, row-major): `U_k·Σ` (`width × k`, the embedding is
    /// `Q·U_k·Σ`), `U_k·Σ⁻¹` (`width × k`, the basis is `Z·U_k·Σ⁻¹`) and the `k` leading singular values,
    /// decreasing. A null direction (`σ ≤ nullRelativeTolerance·σ₁`, or every `σ` when `σ₁ = 0`) gets singular
    /// value 0 and zero columns in both factors: its embedding column and basis column are zero, never NaN.
    static func finish(gram: [Double], width l: Int, components k: Int) throws
        -> (embedding: DenseMatrix, basis: DenseMatrix, singularValues: [Float]) {
        let (eigenvalues, vectors) = try LAPACK.symmetricEigen(doubles: gram, n: l)
        var embedding = DenseMatrix(rows: l, columns: k), basis = DenseMatrix(rows: l, columns: k)
        var singularValues = [Float](repeating: 0, count: k)
        let largest = max(eigenvalues.last ?? 0, 0).squareRoot()
        for c in 0..<k {
            let e = l - 1 - c
            let sigma = max(eigenvalues[e], 0).squareRoot()
            guard largest > 0, sigma.isFinite, sigma > nullRelativeTolerance * largest else { continue }
            singularValues[c] = Float(sigma)
            for r in 0..<l {
                embedding[r, c] = Float(vectors[r * l + e] * sigma)
                basis[r, c] = Float(vectors[r * l + e] / sigma)
            }
        }
        return (embedding, basis, singularValues)
    }

    /// Standard normal `rows × columns` matrix (Box–Muller, both outputs used), generated in fixed chunks of
    /// rows with one derived stream each, so it does not depend on the thread count.
    private func gaussianSketch(rows: Int, columns: Int) -> DenseMatrix {
        var out = DenseMatrix(rows: rows, columns: columns)
        let chunks = Parallel.chunks(count: rows, minimumChunk: 1024, maximumChunks: 256)
        let root = SeededGenerator(seed: seed)
        out.values.withUnsafeMutableBufferPointer { buf in
            let base = buf.baseAddress!
            Parallel.forEachChunk(chunks) { i, range in
                var rng = root.derived(UInt64(i))
                var p = range.lowerBound * columns
                let end = range.upperBound * columns
                while p < end {
                    let u1 = max(rng.nextUnitFloat(), Float.leastNormalMagnitude)
                    let angle = 2 * Float.pi * rng.nextUnitFloat()
                    let radius = (-2 * logf(u1)).squareRoot()
                    base[p] = radius * cosf(angle)
                    if p + 1 < end { base[p + 1] = radius * sinf(angle) }
                    p += 2
                }
            }
        }
        return out
    }

    /// Replaces the columns of `y` by an orthonormal basis of their span and returns `R` with `y = Q·R`.
    ///
    /// Cholesky QR done twice (two BLAS-3 passes, fast on tall-skinny matrices); Householder QR
    /// (`sgeqrf`/`sorgqr`) when the Gram matrix is too ill-conditioned for Float32 or rank-deficient.
    /// With `exact: false` one Cholesky pass is made: the columns then span the same space and are orthonormal
    /// only to about 1e-3, which is all an intermediate subspace iteration needs.
    public static func orthonormalize(_ y: inout DenseMatrix, exact: Bool = true) throws -> DenseMatrix {
        // A refused pass leaves y as it was, so no copy of y is kept: the fallback factors the current y and
        // R accumulates the pass that did succeed (y₀ = y₁·R₁ and y₁ = Q·R give y₀ = Q·(R·R₁)).
        guard let r1 = choleskyPass(&y, maximumConditionEstimate: 300) else { return try householder(&y) }
        if !exact { return r1 }
        if let r2 = choleskyPass(&y, maximumConditionEstimate: 10) { return BLAS.multiply(r2, r1) }
        return BLAS.multiply(try householder(&y), r1)
    }

    /// Householder QR (`sgeqrf`/`sorgqr`): y becomes Q, R is returned.
    private static func householder(_ y: inout DenseMatrix) throws -> DenseMatrix {
        let (q, r) = try LAPACK.qr(y)
        y = q
        return r
    }

    /// One Cholesky-QR pass; nil when the factorisation is not trustworthy, and then `y` is left unchanged (the
    /// checks run before the triangular solve, the only write to `y`).
    private static func choleskyPass(_ y: inout DenseMatrix, maximumConditionEstimate: Float) -> DenseMatrix? {
        let n = y.columns, m = y.rows
        var g = DenseMatrix(rows: n, columns: n)
        var ok = true
        y.values.withUnsafeMutableBufferPointer { yb in
            g.values.withUnsafeMutableBufferPointer { gb in
                BLAS.gramUpper(rows: m, columns: n, a: yb.baseAddress!, c: gb.baseAddress!)
                guard gb.allSatisfy({ $0.isFinite }), LAPACK.choleskyUpper(gb.baseAddress!, n: n) else { ok = false; return }
                var largest: Float = 0, smallest = Float.infinity
                for i in 0..<n {
                    let d = abs(gb[i * n + i])
                    largest = max(largest, d)
                    smallest = min(smallest, d)
                }
                guard smallest > 0, largest / smallest <= maximumConditionEstimate else { ok = false; return }
                BLAS.solveRightUpper(m: m, n: n, u: gb.baseAddress!, b: yb.baseAddress!)
            }
        }
        return ok ? g : nil
    }

    /// Makes the largest-magnitude entry of every embedding column positive (the first such entry on a tie; a
    /// zero column is left alone) and returns which columns were negated, so the caller negates the same basis
    /// columns. Decided on the embedding (papers × k), which exists whether or not the basis is kept, so the
    /// output does not depend on the sign conventions of the BLAS/LAPACK build or on `keepingBasis`.
    static func fixSigns(embedding: inout DenseMatrix) -> [Bool] {
        let k = embedding.columns, rows = embedding.rows
        let chunks = Parallel.chunks(count: rows, minimumChunk: 4096, maximumChunks: 64)
        // Per chunk and column: the largest magnitude and its signed value (first occurrence within the chunk).
        let partial: [[(Float, Float)]] = embedding.values.withUnsafeBufferPointer { e in
            Parallel.mapChunks(chunks) { range -> [(Float, Float)] in
                var best = [(Float, Float)](repeating: (-1, 0), count: k)
                for r in range {
                    let row = e.baseAddress! + r * k
                    for c in 0..<k where abs(row[c]) > best[c].0 { best[c] = (abs(row[c]), row[c]) }
                }
                return best
            }
        }
        var flips = [Bool](repeating: false, count: k)
        for c in 0..<k {
            var best: (Float, Float) = (-1, 0)
            for chunk in partial where chunk[c].0 > best.0 { best = chunk[c] }
            flips[c] = best.1 < 0
        }
        guard flips.contains(true) else { return flips }
        embedding.values.withUnsafeMutableBufferPointer { e in
            let base = e.baseAddress!
            Parallel.forEachChunk(chunks) { _, range in
                for r in range { for c in 0..<k where flips[c] { base[r * k + c] = -base[r * k + c] } }
            }
        }
        return flips
    }
}

/// A fitted LSA basis: projects TF-IDF rows onto the leading singular directions of the training corpus.
public struct LSAModel: Sendable, Equatable {
    /// Right singular vectors, `vocabulary × dimensions`, row-major (the layout the projection reads).
    public let basis: DenseMatrix
    /// Singular values, decreasing, one per dimension.
    public let singularValues: [Float]

    /// Number of LSA dimensions.
    public var dimensions: Int { basis.columns }
    /// Vocabulary size the model was fitted on.
    public var vocabularySize: Int { basis.rows }
    /// The basis as scikit-learn's `components_`: `dimensions × vocabulary`, row-major.
    public var components: DenseMatrix { basis.transposed() }

    /// A model from a stored basis (`vocabulary × dimensions`) and its singular values.
    public init(basis: DenseMatrix, singularValues: [Float]) {
        self.basis = basis
        self.singularValues = singularValues
    }

    /// A model from scikit-learn-layout `components` (`dimensions × vocabulary`).
    public init(components: DenseMatrix, singularValues: [Float]) {
        self.init(basis: components.transposed(), singularValues: singularValues)
    }

    /// Projects TF-IDF rows (`x.columns` must be the fitted vocabulary size) into LSA space; with
    /// `normalize`, rows are scaled to unit length (cosine geometry; empty rows stay zero).
    public func transform(_ x: SparseMatrix, normalize: Bool = true) throws -> DenseMatrix {
        guard x.columns == basis.rows else {
            throw LinearAlgebraError.invalidShape("the matrix has \(x.columns) terms but the LSA model was fitted on \(basis.rows)")
        }
        var out = x.multiply(basis)
        if normalize { out.normalizeRows() }
        return out
    }
}
