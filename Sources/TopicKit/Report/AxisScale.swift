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
        var exponent = Int((span / Double(count)).log10Floor) - 1
        while true {
            for mantissa in [1.0, 2.0, 5.0] {
                let step = AxisScale.step(mantissa, exponent)
                let first = (lo / step - 1e-9).rounded(.up)
                let last = (hi / step + 1e-9).rounded(.down)
                let niceFirst = (lo / step + 1e-9).rounded(.down)
                let niceLast = (hi / step - 1e-9).rounded(.up)
                let ticks = fixed ? last - first + 1 : niceLast - niceFirst + 1
                guard ticks <= Double(count) else { continue }
                let from = fixed ? first : niceFirst, to = fixed ? last : niceLast
                let values = stride(from: 0, through: Int(to - from), by: 1).map { clean((from + Double($0)) * step) }
                return AxisScale(lower: fixed ? lo : clean(niceFirst * step), upper: fixed ? hi : clean(niceLast * step),
                                 ticks: values, step: step, exponent: exponent)
            }
            exponent += 1
        }
    }

    /// `mantissa` × 10^`exponent`, computed so that e.g. 2 × 10^-1 is exactly the literal 0.2.
    private static func step(_ mantissa: Double, _ exponent: Int) -> Double {
        var power = 1.0
        for _ in 0..<abs(exponent) { power *= 10 }
        return exponent >= 0 ? mantissa * power : mantissa / power
    }

    /// Removes -0 and the last-bit noise of `i × step` (3 × 0.1 = 0.30000000000000004).
    private static func clean(_ value: Double) -> Double {
        let rounded = (value * 1e9).rounded() / 1e9
        return rounded == 0 ? 0 : (abs(rounded - value) < abs(value) * 1e-12 + 1e-15 ? rounded : value)
    }

    /// Pixel position of `value` on a span from `start` (domain lower) to `end` (domain upper).
    func position(_ value: Double, from start: Double, to end: Double) -> Double {
        let width = upper - lower
        guard width > 0 else { return (start + end) / 2 }
        return start + (value - lower) / width * (end - start)
    }

    /// Tick label: decimals from the step; thousands ("k") and millions ("M") when ticks reach 10,000.
    func label(_ value: Double) -> String {
        if value == 0 { return ChartNumber.format(0, decimals: max(0, -exponent)) }
        let largest = ticks.map(abs).max() ?? 0
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
