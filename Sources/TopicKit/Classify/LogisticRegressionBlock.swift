#if canImport(Glibc)
import Glibc
#endif

/// Many logistic-regression problems on one matrix, solved by LIBLINEAR's Newton method eight at a time in
/// SIMD lanes; a lane takes the next problem from the queue as soon as its own one finishes.
///
/// Every round makes one pass over X (X·v) and one over Xᵀ (Xᵀ·u) for all eight lanes, whatever each lane is
/// doing: a CG step (v = d, u = D(X·d + d_bias)), a line search along the Newton step followed by the gradient at
/// the new point (v = s, u = loss derivatives), or the gradient at zero of a problem just loaded. Lanes never
/// wait for each other: in lockstep the slowest CG of eight set the pace, and on the arXiv categories that was
/// twice the passes. Every lane runs the same operations in the same order whatever the other lanes hold, so a
/// problem's result does not depend on its lane, its neighbours or the thread count.
final class LogisticRegressionBlock {
    static let lanes = 8
    /// LIBLINEAR's constants: preconditioner mixing, Armijo slope, line-search halvings. The CG tolerance is
    /// TRON's 0.1 rather than the Newton solver's 0.5: with 0.5 the loose cross-validation fits on Data/ gave
    /// CV micro-F1 0.851 (0.859 at 0.1, 0.865 with the former TRON solver); arXiv F1 is the same, CPU +15%.
    static let preconditionerMix = 0.01
    static let cgTolerance = 0.1
    static let armijo = 0.01
    static let maximumHalvings = 20

    /// What a lane does in the coming round.
    enum Phase {
        /// No problem left to load.
        case idle
        /// Just loaded: the round computes f and ∇f at w = 0.
        case start
        /// The round computes H·d for one CG step.
        case conjugateGradient
        /// The round searches along s (X·s) and computes ∇f at the accepted point.
        case lineSearch
    }

    /// The scalars of one lane's Newton and CG iterations.
    struct LaneState {
        var task = -1
        var phase = Phase.idle
        var iterations = 0
        var f = 0.0, wTw = 0.0, gnorm0 = 0.0, tolerance = 0.0
        var cgSteps = 0, q = 0.0, zTr = 0.0, cgTolerance = 0.0
        var sTs = 0.0, wTs = 0.0, gTs = 0.0
    }

    /// Papers (rows of X).
    let rows: Int
    /// Cache-blocked copies of X and Xᵀ for the products (see `BlockedSparseMatrix`).
    let blocked: BlockedSparseMatrix, blockedTranspose: BlockedSparseMatrix
    /// How the products walk them: a block's leading columns of at least `loopRun` entries column by column, the
    /// rest in one flat loop. Measured on the arXiv categories: X·d 15% less CPU than all flat, which was 17% less
    /// than all looped (runs of 16 or 32 no better); Xᵀ products 4% less than all flat.
    let plan: LaneProductPlan, transposePlan: LaneProductPlan
    static let loopRun = 8
    let tasks: [LogisticRegression.Task]
    let columns: Int
    /// Variables per problem: the weights, then the bias at index `columns`.
    let variables: Int
    let maximumCGSteps: Int

    // Per row: labels (±1), costs cᵢ, curvature Dᵢ = cᵢσ(1−σ), X·s + s_bias of the step, and the vector the round
    // multiplies by Xᵀ (X·v on the way in).
    let labels: LaneTable, costs: LaneTable, curvature: LaneTable, stepMargins: LaneTable, rowProducts: LaneTable
    /// Fixed row chunks for the per-row loops (independent of the thread count).
    let rowChunks: [Range<Int>]
    /// w·xᵢ + b per row and lane (row-major, `lanes` per row), in Double as LIBLINEAR keeps them.
    var margins: [Double]
    // Per variable: iterate, gradient, step, CG residual, CG direction (the step during a line search),
    // Xᵀ·u (H·d is d plus it, added where needed), preconditioner; and Xᵀ·u with (X∘X)ᵀ·D side by side
    // (rows 2j, 2j + 1) in rounds that need the preconditioner.
    let w: LaneTable, g: LaneTable, s: LaneTable, r: LaneTable, d: LaneTable, hd: LaneTable, m: LaneTable
    let pairs: LaneTable
    /// The dot products keep Float partial sums over runs of 256 variables and add them up in Double; the
    /// per-variable loops run such groups in parallel (fixed chunks), store each group's partials and sum them
    /// in group order, exactly as one serial loop would.
    static let groupSize = 256
    let groups: Int
    let groupChunks: [Range<Int>]
    let partials: [LaneTable]

    var state: [LaneState]
    var fits: [LogisticRegression.Fit?]
    var nextTask = 0

    init(blocked: BlockedSparseMatrix, blockedTranspose: BlockedSparseMatrix,
         tasks: [LogisticRegression.Task]) {
        rows = blocked.rows
        self.blocked = blocked
        self.blockedTranspose = blockedTranspose
        plan = LaneProductPlan(blocked, minimumRun: Self.loopRun)
        transposePlan = LaneProductPlan(blockedTranspose, minimumRun: Self.loopRun)
        self.tasks = tasks
        rowChunks = Parallel.chunks(count: blocked.rows, minimumChunk: 4096, maximumChunks: 16)
        columns = blocked.columns
        variables = blocked.columns + 1
        maximumCGSteps = max(variables, 5)
        labels = LaneTable(count: blocked.rows)
        costs = LaneTable(count: blocked.rows)
        curvature = LaneTable(count: blocked.rows)
        stepMargins = LaneTable(count: blocked.rows)
        rowProducts = LaneTable(count: blocked.rows)
        margins = [Double](repeating: 0, count: blocked.rows * Self.lanes)
        w = LaneTable(count: variables)
        g = LaneTable(count: variables)
        s = LaneTable(count: variables)
        r = LaneTable(count: variables)
        d = LaneTable(count: variables)
        hd = LaneTable(count: variables)
        m = LaneTable(count: variables)
        pairs = LaneTable(count: 2 * variables)
        let groups = (blocked.columns + Self.groupSize) / Self.groupSize
        self.groups = groups
        groupChunks = Parallel.chunks(count: groups, minimumChunk: 16, maximumChunks: 16)
        partials = (0..<4).map { _ in LaneTable(count: groups) }
        state = [LaneState](repeating: LaneState(), count: Self.lanes)
        fits = [LogisticRegression.Fit?](repeating: nil, count: tasks.count)
    }

    /// Runs rounds until every problem converged or stopped; the fits in task order.
    func solve(maxIterations: Int) -> [LogisticRegression.Fit] {
        var loaded = [Bool](repeating: false, count: Self.lanes)
        for t in 0..<Self.lanes { loaded[t] = load(lane: t) }
        resetRows(loaded)
        while state.contains(where: { $0.phase != .idle }) {
            round(maxIterations: maxIterations)
        }
        return fits.map { $0! }
    }

    /// Puts the next queued problem in `lane` (its vectors are zeroed by the caller); false when none is left.
    private func load(lane: Int) -> Bool {
        guard nextTask < tasks.count else {
            state[lane] = LaneState()
            return false
        }
        var lane0 = LaneState()
        lane0.task = nextTask
        lane0.phase = .start
        lane0.tolerance = tasks[nextTask].tolerance
        state[lane] = lane0
        nextTask += 1
        return true
    }

    private func mask(_ lanes: [Bool]) -> SIMDMask<SIMD8<Int32>> {
        var result = SIMDMask<SIMD8<Int32>>(repeating: false)
        for t in 0..<Self.lanes { result[t] = lanes[t] }
        return result
    }

    private func doubleMask(_ lanes: [Bool]) -> SIMDMask<SIMD8<Int64>> {
        var result = SIMDMask<SIMD8<Int64>>(repeating: false)
        for t in 0..<Self.lanes { result[t] = lanes[t] }
        return result
    }

    /// Labels, costs and zero margins and curvature in the rows of every lane in `lanes`.
    private func resetRows(_ lanes: [Bool]) {
        guard lanes.contains(true) else { return }
        let width = Self.lanes
        let taskOf = state.map(\.task)
        let zero = mask(lanes)
        margins.withUnsafeMutableBufferPointer { z in
            Parallel.forEachChunk(rowChunks) { _, range in
                for i in range {
                    for t in 0..<width where lanes[t] {
                        let task = tasks[taskOf[t]]
                        labels.base[i][t] = task.positive[i] ? 1 : -1
                        costs.base[i][t] = Float(task.positive[i] ? task.positiveCost : task.negativeCost)
                        z[i * width + t] = 0
                    }
                    curvature.base[i].replace(with: 0, where: zero)
                }
            }
        }
    }

    /// Σᵢ cᵢ log(1 + exp(−yᵢ(zᵢ + step·(X·s)ᵢ))) for every lane in `lanes` (0 elsewhere): the loss part of
    /// f(w + step·s). Row chunks in parallel, their sums added in chunk order.
    private func losses(steps: [Double], lanes: [Bool]) -> [Double] {
        let width = Self.lanes
        let partials = margins.withUnsafeBufferPointer { z in
            Parallel.mapChunks(rowChunks) { range -> [Double] in
                var sums = [Double](repeating: 0, count: width)
                for t in 0..<width where lanes[t] {
                    let step = steps[t]
                    var sum = 0.0
                    for i in range {
                        let c = Double(costs.base[i][t])
                        let y = Double(labels.base[i][t])
                        let margin = z[i * width + t] + step * Double(stepMargins.base[i][t])
                        sum += c * LogisticRegression.logOnePlusExp(-y * margin)
                    }
                    sums[t] = sum
                }
                return sums
            }
        }
        var total = [Double](repeating: 0, count: width)
        for p in partials { for t in 0..<width { total[t] += p[t] } }
        return total
    }

    /// One pass over X and one over Xᵀ, and every lane's step of its own iteration.
    private func round(maxIterations: Int) {
        let width = Self.lanes
        let phase = state.map(\.phase)
        let inCG = phase.map { $0 == .conjugateGradient }
        let searching = phase.map { $0 == .lineSearch }
        for t in 0..<width where inCG[t] { state[t].cgSteps += 1 }

        // X·d (d holds s in searching lanes); then t = X·d + d_bias: D·t for CG lanes, the step's margins for
        // searching lanes.
        blocked.multiplyLanes(d.base, plan: plan, into: rowProducts.base)
        let dBias = d.base[columns]
        Parallel.forEachChunk(rowChunks) { _, range in
            for i in range {
                let t = rowProducts.base[i] + dBias
                rowProducts.base[i] = curvature.base[i] * t
                stepMargins.base[i] = t
            }
        }

        var accepted = [Bool](repeating: false, count: width)
        var alpha = [Double](repeating: 0, count: width)
        var finished = [Bool](repeating: false, count: width)
        var fOld = state.map(\.f)
        if searching.contains(true) {
            // Backtracking from step 1 (halving), accepting f(w + αs) − f(w) ≤ η α gᵀs; a failed search stops.
            for t in 0..<width where searching[t] { alpha[t] = 1 }
            var open = searching
            for _ in 0..<Self.maximumHalvings where open.contains(true) {
                let loss = losses(steps: alpha, lanes: open)
                for t in 0..<width where open[t] {
                    let a = alpha[t], lane = state[t]
                    let fNew = loss[t] + (a * a * lane.sTs + lane.wTw + 2 * a * lane.wTs) / 2
                    if fNew - lane.f <= Self.armijo * a * lane.gTs {
                        state[t].f = fNew
                        accepted[t] = true
                        open[t] = false
                    } else {
                        alpha[t] = a * 0.5
                    }
                }
            }
            for t in 0..<width where searching[t] {
                if accepted[t] {
                    // Kept in Double alongside f and the margins (LIBLINEAR's update): recomputing it from the
                    // Float weights would shift f by their rounding and fail the next Armijo test near the optimum.
                    state[t].wTw += alpha[t] * alpha[t] * state[t].sTs + 2 * alpha[t] * state[t].wTs
                } else {
                    finished[t] = true
                    alpha[t] = 0
                }
            }
        }

        // Lanes that need ∇f and the preconditioner at their (new) point: σ, Dᵢ and the loss derivative.
        let gradientLanes = (0..<width).map { phase[$0] == .start || accepted[$0] }
        let starting = phase.map { $0 == .start }
        let anyGradient = gradientLanes.contains(true)
        let sums = margins.withUnsafeMutableBufferPointer { z in
            Parallel.mapChunks(rowChunks) { range -> SIMD8<Double> in
                var loss = SIMD8<Double>(repeating: 0)
                if anyGradient {
                    for i in range {
                        var a = rowProducts.base[i], dd = curvature.base[i]
                        for t in 0..<width where gradientLanes[t] {
                            if accepted[t] { z[i * width + t] += alpha[t] * Double(stepMargins.base[i][t]) }
                            let y = Double(labels.base[i][t]), c = Double(costs.base[i][t])
                            let margin = z[i * width + t]
                            if starting[t] { loss[t] += c * LogisticRegression.logOnePlusExp(-y * margin) }
                            let sigma = 1 / (1 + exp(-y * margin))
                            dd[t] = Float(c * sigma * (1 - sigma))
                            a[t] = Float(c * (sigma - 1) * y)
                        }
                        rowProducts.base[i] = a
                        curvature.base[i] = dd
                    }
                }
                return loss
            }
        }
        var startLoss = SIMD8<Double>(repeating: 0)
        for l in sums { startLoss += l }
        // The bias entries Σᵢ uᵢ and Σᵢ Dᵢ, in row order: in Double per row for gradient lanes, in Float over runs
        // of 256 rows for CG lanes (LIBLINEAR's sums; serial, as the row chunks would regroup them).
        var uSum = SIMD8<Double>(repeating: 0), dSum = SIMD8<Double>(repeating: 0), cgSum = SIMD8<Double>(repeating: 0)
        var cgPartial = Lanes(repeating: 0)
        for i in 0..<rows {
            let u = rowProducts.base[i]
            uSum += SIMD8<Double>(u)
            dSum += SIMD8<Double>(curvature.base[i])
            cgPartial += u
            if i & 255 == 255 { cgSum += SIMD8<Double>(cgPartial); cgPartial = Lanes(repeating: 0) }
        }
        cgSum += SIMD8<Double>(cgPartial)
        uSum.replace(with: cgSum, where: doubleMask(inCG))
        for t in 0..<width where starting[t] {
            state[t].f = startLoss[t]
            fOld[t] = startLoss[t]
        }

        // Xᵀ·u, and (X∘X)ᵀ·D when some lane needs its preconditioner.
        if anyGradient {
            blockedTranspose.multiplyLanes(rowProducts.base, squared: curvature.base, plan: transposePlan,
                                           intoPairs: pairs.base)
        } else {
            blockedTranspose.multiplyLanes(rowProducts.base, plan: transposePlan, into: hd.base)
        }

        // One sweep over the variables. Gradient lanes: w += αs, g = w + Xᵀa, M = (1 − μ) + μ·diag(H), and the
        // start of CG (s = 0, r = −g, rᵀM⁻¹r) in case the tests below begin it (a lane that stops instead is
        // zeroed at the end of the round). CG lanes: dᵀHd with Hd = d + Xᵀ D X d, which is not stored: the CG
        // update recomputes it from the product with the same operation.
        var step = Lanes(repeating: 0)
        for t in 0..<width where accepted[t] { step[t] = Float(alpha[t]) }
        let anyAccepted = accepted.contains(true)
        let gradientMask = mask(gradientLanes)
        let mix = Float(Self.preconditionerMix)
        let wb = w.base, gb = g.base, sb = s.base, rb = r.base, db = d.base, mb = m.base
        let pb = pairs.base
        let products = anyGradient ? pairs.base : hd.base, productStride = anyGradient ? 2 : 1
        let biasProduct = Lanes(uSum), biasCurvature = Lanes(dSum)
        let columns = self.columns
        let p0 = partials[0].base, p1 = partials[1].base, p2 = partials[2].base, p3 = partials[3].base
        forEachGroup { k, range in
          var pdHd = Lanes(repeating: 0), pgg = Lanes(repeating: 0), pzr = Lanes(repeating: 0)
          for j in range {
            let bias = j == columns
            let product = bias ? biasProduct : products[productStride * j]
            let dj = db[j]
            pdHd += dj * (bias ? product : product + dj)
            if anyGradient {
                var wj = wb[j]
                if anyAccepted {
                    wj = wj + step * sb[j]
                    wb[j] = wj
                }
                var gj = gb[j], mj = mb[j]
                gj.replace(with: bias ? product : product + wj, where: gradientMask)
                mj.replace(with: (1 - mix) + mix * (bias ? biasCurvature : 1 + pb[2 * j + 1]), where: gradientMask)
                gb[j] = gj
                mb[j] = mj
                pgg += gj * gj
                let rj = -gj
                sb[j].replace(with: 0, where: gradientMask)
                rb[j].replace(with: rj, where: gradientMask)
                pzr += rj / mj * rj
            }
          }
          p0[k] = pdHd
          p1[k] = pgg
          p3[k] = pzr
        }
        let dHd = total(0)
        let gg = anyGradient ? total(1) : SIMD8<Double>(repeating: 0)
        let startZr = anyGradient ? total(3) : SIMD8<Double>(repeating: 0)

        // Per lane: the CG step length, or the Newton stopping tests.
        var cgAlpha = Lanes(repeating: 0)
        var stopCG = [Bool](repeating: false, count: width)
        var beginCG = [Bool](repeating: false, count: width)
        var converged = [Bool](repeating: false, count: width)
        for t in 0..<width {
            if inCG[t] {
                if dHd[t] <= 1e-16 { stopCG[t] = true } else { cgAlpha[t] = Float(state[t].zTr / dHd[t]) }
            } else if gradientLanes[t] {
                let gnorm = gg[t].squareRoot()
                if starting[t] {
                    state[t].gnorm0 = gnorm
                    if gnorm <= state[t].tolerance * gnorm { converged[t] = true; finished[t] = true } else { beginCG[t] = true }
                } else {
                    state[t].iterations += 1
                    let f = state[t].f
                    if gnorm <= state[t].tolerance * state[t].gnorm0 {
                        converged[t] = true
                        finished[t] = true
                    } else if state[t].iterations >= maxIterations || f < -1e32 || abs(fOld[t] - f) <= 1e-12 * abs(f) {
                        finished[t] = true
                    } else {
                        beginCG[t] = true
                    }
                }
            }
        }
        for t in 0..<width where finished[t] { record(lane: t, converged: converged[t]) }

        // CG lanes: s += αd, r −= α·Hd, then sᵀr, sᵀg, rᵀM⁻¹r (lanes beginning CG got theirs above).
        let stepping = inCG.indices.map { inCG[$0] && !stopCG[$0] }
        var sr = SIMD8<Double>(repeating: 0), sg = SIMD8<Double>(repeating: 0), zr = startZr
        if stepping.contains(true) {
            let steppingMask = mask(stepping)
            forEachGroup { k, range in
              var psr = Lanes(repeating: 0), psg = Lanes(repeating: 0), pzr = Lanes(repeating: 0)
              for j in range {
                let bias = j == columns
                let product = bias ? biasProduct : products[productStride * j]
                let dj = db[j]
                let hdj = bias ? product : product + dj
                let sj = sb[j] + cgAlpha * dj
                let rj = rb[j] - cgAlpha * hdj
                sb[j].replace(with: sj, where: steppingMask)
                rb[j].replace(with: rj, where: steppingMask)
                psr += sj * rj
                psg += sj * gb[j]
                pzr += rj * rj / mb[j]
              }
              p0[k] = psr
              p1[k] = psg
              p2[k] = pzr
            }
            sr = total(0)
            sg = total(1)
            zr.replace(with: total(2), where: doubleMask(stepping))
        }

        // LIBLINEAR's quadratic-model rule ends a lane's CG; its next round searches along s.
        var beta = Lanes(repeating: 0)
        for t in 0..<width {
            if stepping[t] {
                let newQ = -0.5 * (sr[t] - sg[t])
                let qDiff = newQ - state[t].q
                if newQ <= 0 && qDiff <= 0 && Double(state[t].cgSteps) * qDiff < state[t].cgTolerance * newQ
                    && state[t].cgSteps < maximumCGSteps {
                    state[t].q = newQ
                    beta[t] = Float(zr[t] / state[t].zTr)
                    state[t].zTr = zr[t]
                } else {
                    stopCG[t] = true
                }
            } else if beginCG[t] {
                state[t].zTr = zr[t]
                state[t].cgTolerance = min(Self.cgTolerance, zr[t].squareRoot().squareRoot())
                state[t].q = 0
                state[t].cgSteps = 0
            }
        }
        var reload = [Bool](repeating: false, count: width)
        for t in 0..<width {
            if finished[t] {
                reload[t] = load(lane: t)
            } else if stopCG[t] {
                state[t].phase = .lineSearch
            } else if beginCG[t] {
                state[t].phase = .conjugateGradient
            }
        }

        // Next direction d = M⁻¹r + βd (d = s in lanes about to search, with sᵀs, wᵀs, gᵀs for the search);
        // the vectors of finished lanes start from zero (M from one). When no lane searches or finishes, only
        // r, M and d are read.
        let toSearch = mask(stopCG), fresh = mask(beginCG), zero = mask(finished)
        let idle = mask(state.map { $0.phase == .idle }) .| zero
        let anyFinished = finished.contains(true), anyStopping = stopCG.contains(true)
        let needsDirection = anyStopping || (0..<width).contains { state[$0].phase == .conjugateGradient }
        let none = Lanes(repeating: 0)
        if needsDirection && !anyStopping && !anyFinished {
            forEachGroup { _, range in
              for j in range {
                let preconditioned = rb[j] / mb[j]
                var dj = (preconditioned + beta * db[j]).replacing(with: preconditioned, where: fresh)
                dj.replace(with: none, where: idle)
                db[j] = dj
              }
            }
        } else if needsDirection || anyFinished {
            forEachGroup { k, range in
              var psTs = none, pwTs = none, pgTs = none
              for j in range {
                let sj = sb[j], preconditioned = rb[j] / mb[j]
                var dj = (preconditioned + beta * db[j]).replacing(with: preconditioned, where: fresh)
                dj.replace(with: sj, where: toSearch)
                dj.replace(with: none, where: idle)
                db[j] = dj
                if j < columns {
                    psTs += sj * sj
                    pwTs += wb[j] * sj
                }
                pgTs += gb[j] * sj
                if anyFinished {
                    wb[j].replace(with: none, where: zero)
                    gb[j].replace(with: none, where: zero)
                    sb[j].replace(with: none, where: zero)
                    rb[j].replace(with: none, where: zero)
                    mb[j].replace(with: Lanes(repeating: 1), where: zero)
                }
              }
              p0[k] = psTs
              p1[k] = pwTs
              p2[k] = pgTs
            }
            let sTs = total(0), wTs = total(1), gTs = total(2)
            for t in 0..<width where stopCG[t] && !finished[t] {
                state[t].sTs = sTs[t]
                state[t].wTs = wTs[t]
                state[t].gTs = gTs[t]
            }
        }
        resetRows(reload)
    }

    /// Runs `body(group, variables)` for every group of `groupSize` variables, chunks of groups in parallel.
    private func forEachGroup(_ body: (Int, Range<Int>) -> Void) {
        let variables = self.variables
        Parallel.forEachChunk(groupChunks) { _, chunk in
            for k in chunk { body(k, (k * Self.groupSize)..<min(variables, (k + 1) * Self.groupSize)) }
        }
    }

    /// Σ in Double of the group partials in `partials[index]`, in group order.
    private func total(_ index: Int) -> SIMD8<Double> {
        var sum = SIMD8<Double>(repeating: 0)
        let base = partials[index].base
        for k in 0..<groups { sum += SIMD8<Double>(base[k]) }
        return sum
    }

    /// Stores the fit of the problem in `lane` (its weights and bias as they stand).
    private func record(lane t: Int, converged: Bool) {
        var weights = [Float](repeating: 0, count: columns)
        let wb = w.base
        for j in 0..<columns { weights[j] = wb[j][t] }
        fits[state[t].task] = LogisticRegression.Fit(weights: weights, bias: wb[columns][t],
                                                     iterations: state[t].iterations, converged: converged)
    }
}
