#if canImport(Glibc)
import Glibc
#endif

/// Binary L2-regularised logistic regression with an unregularised bias, solved by a trust-region Newton
/// method (LIBLINEAR's TRON: conjugate gradient inside a trust region, Hessian-vector products only).
///
/// Minimises ½‖w‖² + Σᵢ cᵢ log(1 + exp(−yᵢ (w·xᵢ + b))) with cᵢ = C × (class weight of yᵢ).
struct LogisticRegression {
    /// Result of one fit: weights (one per column), bias, Newton iterations, whether ‖∇f‖ ≤ tolerance × ‖∇f(w₀)‖.
    struct Fit {
        var weights: [Float]
        var bias: Float
        var iterations: Int
        var converged: Bool
    }

    let x: SparseMatrix
    /// ±1 per row.
    let y: [Double]
    /// cᵢ per row.
    let cost: [Double]

    /// `positive[i]` is the label of row i; `c` is C, the class weights multiply it per row.
    init(x: SparseMatrix, positive: [Bool], c: Double, positiveWeight: Double, negativeWeight: Double) {
        self.x = x
        self.y = positive.map { $0 ? 1 : -1 }
        self.cost = positive.map { c * ($0 ? positiveWeight : negativeWeight) }
    }

    var dimension: Int { x.columns + 1 }

    /// x·w + b for every row (w = p[0..<columns], b = p[columns]).
    func margins(_ p: [Double], into z: inout [Double]) {
        let bias = p[x.columns]
        x.rowPointers.withUnsafeBufferPointer { rp in
        x.columnIndices.withUnsafeBufferPointer { ci in
        x.values.withUnsafeBufferPointer { v in
        p.withUnsafeBufferPointer { w in
        z.withUnsafeMutableBufferPointer { z in
            for i in 0..<x.rows {
                var s = 0.0
                for k in rp[i]..<rp[i + 1] { s += Double(v[k]) * w[Int(ci[k])] }
                z[i] = s + bias
            }
        }}}}}
    }

    /// out[0..<columns] = Σᵢ aᵢ xᵢ, out[columns] = Σᵢ aᵢ (overwrites out).
    func transposeTimes(_ a: [Double], into out: inout [Double]) {
        x.rowPointers.withUnsafeBufferPointer { rp in
        x.columnIndices.withUnsafeBufferPointer { ci in
        x.values.withUnsafeBufferPointer { v in
        out.withUnsafeMutableBufferPointer { o in
            for j in 0..<o.count { o[j] = 0 }
            var sum = 0.0
            for i in 0..<x.rows {
                let ai = a[i]
                if ai == 0 { continue }
                sum += ai
                for k in rp[i]..<rp[i + 1] { o[Int(ci[k])] += ai * Double(v[k]) }
            }
            o[x.columns] = sum
        }}}}
    }

    static func logOnePlusExp(_ t: Double) -> Double { t > 0 ? t + log1p(exp(-t)) : log1p(exp(t)) }

    /// f(p), and the margins z for it.
    func objective(_ p: [Double], z: inout [Double]) -> Double {
        margins(p, into: &z)
        var f = 0.0
        for j in 0..<x.columns { f += p[j] * p[j] }
        f *= 0.5
        for i in 0..<x.rows { f += cost[i] * LogisticRegression.logOnePlusExp(-y[i] * z[i]) }
        return f
    }

    /// ∇f from margins z; also fills the Hessian's diagonal terms dᵢ = cᵢ σ(1 − σ).
    func gradient(_ p: [Double], z: [Double], g: inout [Double], d: inout [Double], scratch: inout [Double]) {
        for i in 0..<x.rows {
            let s = 1 / (1 + exp(-y[i] * z[i]))
            d[i] = cost[i] * s * (1 - s)
            scratch[i] = cost[i] * (s - 1) * y[i]
        }
        transposeTimes(scratch, into: &g)
        for j in 0..<x.columns { g[j] += p[j] }
    }

    /// H·v = v (without bias) + Xᵀ D (X v + v_b), in one pass over the rows (each row is read once).
    func hessianTimes(_ v: [Double], d: [Double], out: inout [Double]) {
        let columns = x.columns
        x.rowPointers.withUnsafeBufferPointer { rp in
        x.columnIndices.withUnsafeBufferPointer { ci in
        x.values.withUnsafeBufferPointer { val in
        v.withUnsafeBufferPointer { v in
        d.withUnsafeBufferPointer { d in
        out.withUnsafeMutableBufferPointer { o in
            for j in 0..<o.count { o[j] = 0 }
            let bias = v[columns]
            var sum = 0.0
            for i in 0..<x.rows {
                let range = rp[i]..<rp[i + 1]
                var z = bias
                for k in range { z += Double(val[k]) * v[Int(ci[k])] }
                let a = z * d[i]
                sum += a
                for k in range { o[Int(ci[k])] += a * Double(val[k]) }
            }
            for j in 0..<columns { o[j] += v[j] }
            o[columns] = sum
        }}}}}}
    }

    /// Solves from `initial` (zeros when nil) until ‖∇f‖ ≤ tolerance × ‖∇f(0)‖ or `maxIterations` Newton steps.
    func solve(tolerance: Double, maxIterations: Int, initial: [Double]? = nil) -> Fit {
        let n = dimension
        var w = initial ?? [Double](repeating: 0, count: n)
        var z = [Double](repeating: 0, count: x.rows)
        var d = z, scratch = z
        var g = [Double](repeating: 0, count: n)
        var s = g, r = g, dir = g, hd = g
        let eta0 = 1e-4, eta1 = 0.25, eta2 = 0.75, sigma1 = 0.25, sigma2 = 0.5, sigma3 = 4.0

        var f = objective(w, z: &z)
        gradient(w, z: z, g: &g, d: &d, scratch: &scratch)
        // The reference gradient norm is the one at w = 0, so warm starts stop at the same accuracy.
        var gnorm0 = norm(g)
        if initial != nil {
            var z0 = [Double](repeating: 0, count: x.rows), g0 = g, d0 = d, s0 = scratch
            let zero = [Double](repeating: 0, count: n)
            _ = objective(zero, z: &z0)
            gradient(zero, z: z0, g: &g0, d: &d0, scratch: &s0)
            gnorm0 = norm(g0)
        }
        var delta = norm(g)
        var iterations = 0
        var converged = norm(g) <= tolerance * gnorm0
        var wNew = w
        var zNew = z
        var attempts = 0
        while !converged && iterations < maxIterations && attempts < 20 * maxIterations + 20 {
            attempts += 1
            // Truncated conjugate gradient for H s = −g inside ‖s‖ ≤ delta.
            for j in 0..<n { s[j] = 0; r[j] = -g[j]; dir[j] = r[j] }
            var rTr = dot(r, r)
            let cgTolerance = 0.1 * norm(g)
            var cgSteps = 0
            while rTr.squareRoot() > cgTolerance && cgSteps < 1000 {
                cgSteps += 1
                hessianTimes(dir, d: d, out: &hd)
                let dHd = dot(dir, hd)
                if dHd <= 0 { break }
                var alpha = rTr / dHd
                for j in 0..<n { s[j] += alpha * dir[j] }
                if norm(s) > delta {
                    for j in 0..<n { s[j] -= alpha * dir[j] }
                    let std = dot(s, dir), sts = dot(s, s), dtd = dot(dir, dir), dsq = delta * delta
                    let rad = (std * std + dtd * (dsq - sts)).squareRoot()
                    alpha = std >= 0 ? (dsq - sts) / (std + rad) : (rad - std) / dtd
                    for j in 0..<n { s[j] += alpha * dir[j]; r[j] -= alpha * hd[j] }
                    break
                }
                for j in 0..<n { r[j] -= alpha * hd[j] }
                let rNew = dot(r, r)
                let beta = rNew / rTr
                for j in 0..<n { dir[j] = r[j] + beta * dir[j] }
                rTr = rNew
            }
            for j in 0..<n { wNew[j] = w[j] + s[j] }
            let gs = dot(g, s)
            let predicted = -0.5 * (gs - dot(s, r))
            let fNew = objective(wNew, z: &zNew)
            let actual = f - fNew
            let snorm = norm(s)
            if iterations == 0 { delta = min(delta, snorm) }
            let alpha = fNew - f - gs <= 0 ? sigma3 : max(sigma1, -0.5 * (gs / (fNew - f - gs)))
            if actual < eta0 * predicted {
                delta = min(max(alpha, sigma1) * snorm, sigma2 * delta)
            } else if actual < eta1 * predicted {
                delta = max(sigma1 * delta, min(alpha * snorm, sigma2 * delta))
            } else if actual < eta2 * predicted {
                delta = max(sigma1 * delta, min(alpha * snorm, sigma3 * delta))
            } else {
                delta = max(delta, min(alpha * snorm, sigma3 * delta))
            }
            if actual > eta0 * predicted {
                iterations += 1
                swap(&w, &wNew)
                swap(&z, &zNew)
                f = fNew
                gradient(w, z: z, g: &g, d: &d, scratch: &scratch)
                if norm(g) <= tolerance * gnorm0 { converged = true; break }
            }
            if abs(actual) <= 0 && predicted <= 0 { break }
            if abs(actual) <= 1e-12 * abs(f) && abs(predicted) <= 1e-12 * abs(f) { break }
            if delta < 1e-300 { break }
        }
        return Fit(weights: w[0..<x.columns].map { Float($0) }, bias: Float(w[x.columns]),
                   iterations: iterations, converged: converged)
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in
            var s = 0.0
            for j in 0..<a.count { s += a[j] * b[j] }
            return s
        }}
    }

    private func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }
}
