import Foundation

/// A two-sided confidence interval with the method that produced it (`report.json`'s `ci`).
///
/// An unbounded side is `nil` (e.g. the upper bound of a percentile whose upper order statistic is censored).
public struct ConfidenceInterval: Sendable, Hashable, Codable {
    /// The confidence level, e.g. 0.95.
    public var level: Double
    /// The lower bound; `nil` when unbounded.
    public var low: Double?
    /// The upper bound; `nil` when unbounded.
    public var high: Double?
    /// The method, e.g. `wilson`, `garwood`, `order-statistic`, `t`.
    public var method: String

    /// Creates an interval.
    /// - Parameters:
    ///   - level: The confidence level.
    ///   - low: The lower bound.
    ///   - high: The upper bound.
    ///   - method: The method's name.
    public init(level: Double = 0.95, low: Double?, high: Double?, method: String) {
        self.level = level
        self.low = low
        self.high = high
        self.method = method
    }

    /// The interval with both bounds clamped to `range` (e.g. a t interval of a share to [0, 1]).
    /// - Parameter range: The values the quantity can take.
    /// - Returns: The clamped interval.
    public func clamped(to range: ClosedRange<Double>) -> ConfidenceInterval {
        var copy = self
        copy.low = low.map { min(max($0, range.lowerBound), range.upperBound) }
        copy.high = high.map { min(max($0, range.lowerBound), range.upperBound) }
        return copy
    }

    /// The Wilson score interval for `k` successes in `n` trials (catalogue D1); `nil` when `n == 0`.
    /// - Parameters:
    ///   - k: Successes.
    ///   - n: Trials.
    ///   - level: The confidence level.
    /// - Returns: The interval, clamped to [0, 1].
    public static func wilson(_ k: Int, _ n: Int, level: Double = 0.95) -> ConfidenceInterval? {
        guard n > 0 else { return nil }
        let z = SpecialFunctions.normalQuantile(1 - (1 - level) / 2)
        let nd = Double(n)
        let p = Double(k) / nd
        let denominator = 1 + z * z / nd
        let centre = (p + z * z / (2 * nd)) / denominator
        let half = z * (p * (1 - p) / nd + z * z / (4 * nd * nd)).squareRoot() / denominator
        return ConfidenceInterval(
            level: level, low: k == 0 ? 0 : max(0, centre - half), high: k == n ? 1 : min(1, centre + half),
            method: "wilson")
    }

    /// The exact Poisson (Garwood) interval for the rate of `k` events in `exposure` (catalogue D4).
    /// - Parameters:
    ///   - k: Events.
    ///   - exposure: Exposure, e.g. robot-hours; must be > 0.
    ///   - level: The confidence level.
    /// - Returns: The interval of the rate `k / exposure`; `nil` for no exposure.
    public static func garwood(_ k: Int, exposure: Double, level: Double = 0.95) -> ConfidenceInterval? {
        guard exposure > 0 else { return nil }
        let alpha = 1 - level
        let low = k == 0 ? 0 : SpecialFunctions.chiSquareQuantile(alpha / 2, dof: Double(2 * k)) / (2 * exposure)
        let high = SpecialFunctions.chiSquareQuantile(1 - alpha / 2, dof: Double(2 * k + 2)) / (2 * exposure)
        return ConfidenceInterval(level: level, low: low, high: high, method: "garwood")
    }

    /// The t interval of the mean of `values`; `nil` for fewer than two values.
    /// - Parameters:
    ///   - values: The sample (replications, batch means or per-robot values).
    ///   - level: The confidence level.
    ///   - method: The name to record, `t` by default.
    /// - Returns: `mean ± t_{n−1} s / √n`.
    public static func t(_ values: [Double], level: Double = 0.95, method: String = "t") -> ConfidenceInterval? {
        guard values.count >= 2 else { return nil }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        let half = SpecialFunctions.studentQuantile(1 - (1 - level) / 2, dof: n - 1) * (variance / n).squareRoot()
        return ConfidenceInterval(level: level, low: mean - half, high: mean + half, method: method)
    }

    /// The 1-based ranks `(l, u)` of the distribution-free order-statistic interval for the `p`-quantile of `n`
    /// values (catalogue D5): the shortest equal-tailed ranks with `P(X_(l) ≤ ξ_p ≤ X_(u)) ≥ level`.
    ///
    /// A side is `nil` when no rank achieves its half of the confidence (e.g. the upper side of p95 for n < 59).
    /// - Parameters:
    ///   - n: The sample size.
    ///   - p: The quantile, in (0, 1).
    ///   - level: The confidence level.
    /// - Returns: The ranks.
    public static func orderStatisticRanks(n: Int, p: Double, level: Double = 0.95) -> (lower: Int?, upper: Int?) {
        guard n > 0 else { return (nil, nil) }
        let tail = (1 - level) / 2
        // Upper: smallest u with P(Bin(n, p) ≤ u − 1) ≥ 1 − tail.
        var upper: Int?
        for u in 1...n where SpecialFunctions.binomialCDF(u - 1, n: n, p: p) >= 1 - tail {
            upper = u
            break
        }
        // Lower: largest l with P(Bin(n, p) ≤ l − 1) ≤ tail.
        var lower: Int?
        for l in stride(from: n, through: 1, by: -1) where SpecialFunctions.binomialCDF(l - 1, n: n, p: p) <= tail {
            lower = l
            break
        }
        return (lower, upper)
    }

    /// The number of consecutive successes that demonstrates reliability `reliability` with confidence
    /// `confidence` when no failure is seen (success-run theorem, catalogue D3): `⌈ln(1−C)/ln R⌉`.
    /// - Parameters:
    ///   - reliability: R, in (0, 1).
    ///   - confidence: C, in (0, 1).
    /// - Returns: The required n.
    public static func successRunSize(reliability: Double, confidence: Double) -> Int {
        Int((log(1 - confidence) / log(reliability) - 1e-9).rounded(.up))
    }

    /// The MOVER interval (Zou & Donner; Newcombe's hybrid score method when both inputs are Wilson intervals)
    /// for the difference `b − a` of two independent estimates with their intervals.
    /// - Parameters:
    ///   - a: The first estimate and its interval.
    ///   - b: The second estimate and its interval.
    /// - Returns: The interval of `b − a`; `nil` when a bound is missing.
    public static func moverDifference(
        a: (estimate: Double, ci: ConfidenceInterval), b: (estimate: Double, ci: ConfidenceInterval)
    ) -> ConfidenceInterval? {
        guard let al = a.ci.low, let ah = a.ci.high, let bl = b.ci.low, let bh = b.ci.high else { return nil }
        let d = b.estimate - a.estimate
        let low = d - ((b.estimate - bl) * (b.estimate - bl) + (ah - a.estimate) * (ah - a.estimate)).squareRoot()
        let high = d + ((bh - b.estimate) * (bh - b.estimate) + (a.estimate - al) * (a.estimate - al)).squareRoot()
        return ConfidenceInterval(level: a.ci.level, low: low, high: high, method: "mover")
    }
}
