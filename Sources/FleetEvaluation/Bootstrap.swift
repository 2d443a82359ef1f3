import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): a small seeded generator, so that every bootstrap interval is
/// reproducible from the seed in the report (and by a few lines of Python).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator.
    /// - Parameter seed: The seed.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Bootstrap intervals over clusters (replications, robots): resample the clusters with replacement, recompute the
/// statistic, take quantiles of the resampled statistics (catalogue D6/D7).
///
/// Resample `b` draws its `n` cluster indices as `next() % n` from one ``SplitMix64`` stream, resample after
/// resample; quantiles are Hyndman–Fan type 7 (numpy's default).
public enum Bootstrap {
    /// The interval method.
    public enum Method: String, Sendable, Hashable, Codable {
        /// Percentile bootstrap: the α/2 and 1 − α/2 quantiles of the resampled statistics.
        case percentile
        /// Bias-corrected and accelerated (Efron 1987): quantile levels shifted by the bias `z0` (share of
        /// resampled statistics below the estimate) and the acceleration `a` (jackknife over clusters).
        case bca
    }

    /// The resampled statistics: `resamples` values of `statistic` over cluster indices drawn with replacement.
    /// - Parameters:
    ///   - clusters: The number of clusters.
    ///   - resamples: How many resamples.
    ///   - seed: The generator's seed.
    ///   - statistic: The statistic of a multiset of cluster indices.
    /// - Returns: The values, in resample order.
    public static func replicates(
        clusters: Int, resamples: Int, seed: UInt64, statistic: ([Int]) -> Double
    ) -> [Double] {
        guard clusters > 0 else { return [] }
        var generator = SplitMix64(seed: seed)
        var indices = [Int](repeating: 0, count: clusters)
        var values: [Double] = []
        values.reserveCapacity(resamples)
        for _ in 0..<resamples {
            for i in 0..<clusters { indices[i] = Int(generator.next() % UInt64(clusters)) }
            values.append(statistic(indices))
        }
        return values
    }

    /// A bootstrap interval of `statistic` over `clusters` clusters.
    /// - Parameters:
    ///   - clusters: The number of clusters (at least 2).
    ///   - method: Percentile or BCa.
    ///   - resamples: How many resamples.
    ///   - seed: The seed.
    ///   - level: The confidence level.
    ///   - statistic: The statistic of a multiset of cluster indices (`0..<clusters` gives the estimate).
    /// - Returns: The interval, its method naming resamples and seed; `nil` for fewer than two clusters or when a
    ///   statistic is not finite.
    public static func interval(
        clusters: Int, method: Method = .bca, resamples: Int = 2000, seed: UInt64 = 1, level: Double = 0.95,
        statistic: ([Int]) -> Double
    ) -> ConfidenceInterval? {
        guard clusters >= 2, resamples > 0 else { return nil }
        let estimate = statistic(Array(0..<clusters))
        let values = replicates(clusters: clusters, resamples: resamples, seed: seed, statistic: statistic)
        guard estimate.isFinite, values.allSatisfy(\.isFinite) else { return nil }
        let alpha = 1 - level
        var levels = (alpha / 2, 1 - alpha / 2)
        if method == .bca {
            let below = Double(values.filter { $0 < estimate }.count) / Double(values.count)
            let z0 = SpecialFunctions.normalQuantile(min(max(below, 1e-12), 1 - 1e-12))
            let jackknife = (0..<clusters).map { left in statistic((0..<clusters).filter { $0 != left }) }
            let mean = jackknife.reduce(0, +) / Double(clusters)
            let cubes = jackknife.reduce(0) { $0 + pow(mean - $1, 3) }
            let squares = jackknife.reduce(0) { $0 + pow(mean - $1, 2) }
            let a = squares > 0 ? cubes / (6 * pow(squares, 1.5)) : 0
            func shifted(_ p: Double) -> Double {
                let z = SpecialFunctions.normalQuantile(p)
                return normalCDF(z0 + (z0 + z) / (1 - a * (z0 + z)))
            }
            levels = (shifted(alpha / 2), shifted(1 - alpha / 2))
        }
        let name = method == .bca ? "BCa bootstrap" : "percentile bootstrap"
        return ConfidenceInterval(
            level: level, low: Quantile.of(values, levels.0), high: Quantile.of(values, levels.1),
            method: "\(name) over \(clusters) clusters (\(resamples) resamples, SplitMix64 seed \(seed))")
    }

    /// The bootstrap interval of a pooled ratio `Σ numerator / Σ denominator` over clusters (e.g. successes over
    /// tasks per run).
    /// - Parameters:
    ///   - numerators: Per cluster.
    ///   - denominators: Per cluster.
    ///   - method: Percentile or BCa.
    ///   - resamples: Resamples.
    ///   - seed: Seed.
    ///   - level: Level.
    /// - Returns: The interval; `nil` when a resample has a zero denominator total or fewer than two clusters.
    public static func ratio(
        _ numerators: [Double], _ denominators: [Double], method: Method = .bca, resamples: Int = 2000,
        seed: UInt64 = 1, level: Double = 0.95
    ) -> ConfidenceInterval? {
        precondition(numerators.count == denominators.count)
        return interval(
            clusters: numerators.count, method: method, resamples: resamples, seed: seed, level: level
        ) { indices in
            let bottom = indices.reduce(0) { $0 + denominators[$1] }
            return bottom > 0 ? indices.reduce(0) { $0 + numerators[$1] } / bottom : .nan
        }
    }

    /// The bootstrap interval of the mean of `values` (one value per cluster).
    /// - Parameters:
    ///   - values: The values.
    ///   - method: Percentile or BCa.
    ///   - resamples: Resamples.
    ///   - seed: Seed.
    ///   - level: Level.
    /// - Returns: The interval; `nil` for fewer than two values.
    public static func mean(
        _ values: [Double], method: Method = .bca, resamples: Int = 2000, seed: UInt64 = 1, level: Double = 0.95
    ) -> ConfidenceInterval? {
        interval(clusters: values.count, method: method, resamples: resamples, seed: seed, level: level) { indices in
            indices.reduce(0) { $0 + values[$1] } / Double(indices.count)
        }
    }

    /// Φ, the standard normal distribution function.
    static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }
}
