#if canImport(Glibc)
import Glibc
#endif

/// Binary L2-regularised logistic regression with an unregularised bias, solved as LIBLINEAR (≥ 2.40) does:
/// Newton steps from a diagonally preconditioned conjugate gradient (stopped by the quadratic-model rule), a
/// backtracking line search, Hessian-vector products only.
///
/// Minimises ½‖w‖² + Σᵢ cᵢ log(1 + exp(−yᵢ (w·xᵢ + b))) with cᵢ = C × (class weight of yᵢ).
/// Many problems on the same matrix (one per tag) are solved together, `LogisticRegressionBlock.lanes` per pass
/// over the rows, so the matrix is streamed once for all of them.
struct LogisticRegression {
    /// Result of one fit: weights (one per column), bias, Newton iterations, whether ‖∇f‖ ≤ tolerance × ‖∇f(0)‖.
    struct Fit {
        var weights: [Float]
        var bias: Float
        var iterations: Int
        var converged: Bool
    }

    /// One binary problem on the shared matrix: the label of every row, the per-class costs cᵢ and the
    /// relative gradient tolerance.
    struct Task {
        var positive: [Bool]
        var positiveCost: Double
        var negativeCost: Double
        var tolerance: Double
    }

    let x: SparseMatrix
    let task: Task

    /// `positive[i]` is the label of row i; `c` is C, the class weights multiply it per row.
    init(x: SparseMatrix, positive: [Bool], c: Double, positiveWeight: Double, negativeWeight: Double) {
        self.x = x
        self.task = Task(positive: positive, positiveCost: c * positiveWeight, negativeCost: c * negativeWeight, tolerance: 0)
    }

    /// Solves from zero until ‖∇f‖ ≤ tolerance × ‖∇f(0)‖ or `maxIterations` Newton steps.
    func solve(tolerance: Double, maxIterations: Int) -> Fit {
        var single = task
        single.tolerance = tolerance
        return Self.solve(x, tasks: [single], maxIterations: maxIterations)[0]
    }

    /// Solves every task on `x`, `LogisticRegressionBlock.lanes` at a time, each pass over the matrix on all
    /// cores; a lane takes the next task when its own finishes. A task's arithmetic is the same whatever lane it
    /// lands in and the passes sum in a fixed order, so results do not depend on the thread count.
    ///
    /// The solver numbers the columns from the most to the least frequent (`columnsByFrequency`): most stored
    /// entries of a TF-IDF matrix fall in a few thousand columns, whose rows of the dense factors then stay in
    /// cache through both products (on the arXiv categories 12% less CPU in the solver). The weights come back
    /// in the columns' own order.
    /// A caller that passes its last reference to `x` (`consume`) lets the CSR matrix go once its blocked copy
    /// exists, before the transpose and the product plans are built (about 1 GB less at the peak for 750k papers).
    static func solve(_ x: consuming SparseMatrix, tasks: [Task], maxIterations: Int) -> [Fit] {
        guard !tasks.isEmpty else { return [] }
        let (order, rank) = BlockedSparseMatrix.columnsByFrequency(x)
        let blocked = BlockedSparseMatrix(x, columnRank: rank)  // takes x: the last use, so the CSR arrays go here
        let blockedTranspose = BlockedSparseMatrix(transposeOf: blocked)
        let fits = LogisticRegressionBlock(blocked: blocked, blockedTranspose: blockedTranspose, tasks: tasks)
            .solve(maxIterations: maxIterations)
        return fits.map { fit in
            var original = fit
            for (k, c) in order.enumerated() { original.weights[Int(c)] = fit.weights[k] }
            return original
        }
    }

    static func logOnePlusExp(_ t: Double) -> Double { t > 0 ? t + log1p(exp(-t)) : log1p(exp(t)) }
}
