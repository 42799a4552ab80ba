/// A linear axis: its domain and "nice" ticks (1, 2 or 5 × 10^k apart), with locale-free tick labels.
struct AxisScale: Sendable, Equatable {
    /// The domain the axis shows.
    let lower: Double
    let upper: Double
    /// Tick values, ascending, all inside the domain.
    let ticks: [Double]
    /// Distance between ticks, `mantissa` × 10^`exponent` with mantissa 1, 2 or 5.
    let step: Double
    let exponent: Int

    /// A scale covering `lower...upper` with at most `maxTicks` ticks. Unless `fixed`, the domain is widened
    /// to the nearest ticks outside it. Non-finite bounds fall back to 0...1; a zero-width domain is padded.
    static func nice(_ lower: Double, _ upper: Double, maxTicks: Int = 6, fixed: Bool = false) -> AxisScale {
        var lo = lower.isFinite ? lower : 0
        var hi = upper.isFinite ? upper : 1
        if !lower.isFinite && !upper.isFinite { lo = 0; hi = 1 }
        if hi < lo { swap(&lo, &hi) }
        lo = max(lo, -1e300)
        hi = min(hi, 1e300)
        if hi - lo <= max(abs(hi), abs(lo)) * 1e-12 || hi - lo < 1e-200 {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad
            hi += pad
            if lower >= 0 && lo < 0 && !fixed { lo = 0 }
        }
        let count = max(2, maxTicks)
        let span = hi - lo
        // Candidate steps ascending; the first with at most `count` ticks wins, unless (for a widened domain)
        // the step before it needs one tick more but wastes clearly less of the axis (0–110: 0–120 by 20, not 0–150 by 50).
        var previous: AxisScale?
        var exponent = Int((span / Double(count)).log10Floor) - 1
        while true {
            var power = 1.0
            for _ in 0..<abs(exponent) { power *= 10 }
            for mantissa in [1.0, 2.0, 5.0] {
                let step = exponent >= 0 ? mantissa * power : mantissa / power
                // Ticks are k × step for integer k; k × mantissa is exact, so one multiplication or division by
                // the power of ten gives the double nearest the decimal tick (0.6, not 3 × 0.2 = 0.6000000000000001).
                let value = { (k: Double) -> Double in (exponent >= 0 ? k * mantissa * power : k * mantissa / power) + 0.0 }
                let first = (lo / step - 1e-9).rounded(.up)
                let last = (hi / step + 1e-9).rounded(.down)
                let niceFirst = (lo / step + 1e-9).rounded(.down)
                let niceLast = (hi / step - 1e-9).rounded(.up)
                let from = fixed ? first : niceFirst, to = fixed ? last : niceLast
                let ticks = to - from + 1
                if ticks > Double(count + 1) { continue }
                let candidate = AxisScale(lower: fixed ? lo : min(lo, value(niceFirst)), upper: fixed ? hi : max(hi, value(niceLast)),
                                          ticks: to < from ? [] : (0...Int(to - from)).map { value(from + Double($0)) },
                                          step: step, exponent: exponent)
                if ticks == Double(count + 1) {
                    previous = fixed ? nil : candidate
                    continue
                }
                if let previous, candidate.waste(span) - previous.waste(span) > 0.1 { return previous }
                return candidate
            }
            exponent += 1
        }
    }

    /// Share of the axis the data span leaves empty.
    private func waste(_ span: Double) -> Double { upper > lower ? 1 - span / (upper - lower) : 0 }

    /// Pixel position of `value` on a span from `start` (domain lower) to `end` (domain upper).
    func position(_ value: Double, from start: Double, to end: Double) -> Double {
        let width = upper - lower
        guard width > 0, width.isFinite else { return (start + end) / 2 }
        // Far-off values (clipped by the caller) still give finite pixels.
        var t = (value - lower) / width
        if !t.isFinite { t = value.isNaN ? 0 : (value > lower ? 1000 : -1000) }
        return start + min(1000, max(-1000, t)) * (end - start)
    }

    /// Tick label: decimals from the step; thousands ("k") and millions ("M") when ticks reach 10,000.
    func label(_ value: Double) -> String {
        let largest = ticks.map(abs).max() ?? 0
        if largest >= 1e9 || exponent < -6 {
            // Scientific notation with one shared power of ten, so labels stay short and distinct.
            if value == 0 { return "0" }
            let power = Int(largest.log10Floor)
            var scale = 1.0
            for _ in 0..<abs(power) { scale *= 10 }
            let mantissa = power >= 0 ? value / scale : value * scale
            return ChartNumber.format(mantissa, decimals: max(0, power - exponent)) + "e" + (power < 0 ? "\u{2212}" : "") + "\(abs(power))"
        }
        if value == 0 { return ChartNumber.format(0, decimals: max(0, -exponent)) }
        if largest >= 1e6 {
            return ChartNumber.format(value / 1e6, decimals: max(0, 6 - exponent)) + "M"
        }
        if largest >= 1e4 {
            return ChartNumber.format(value / 1e3, decimals: max(0, 3 - exponent)) + "k"
        }
        return ChartNumber.format(value, decimals: max(0, -exponent))
    }
}

extension Double {
    /// floor(log10(self)) for positive finite values, 0 otherwise.
    var log10Floor: Double {
        guard self > 0, isFinite else { return 0 }
        var e = 0.0
        var v = self
        while v >= 10 { v /= 10; e += 1 }
        while v < 1 { v *= 10; e -= 1 }
        return e
    }
}
