/// A sample of durations of which some are right-censored (tasks still open at the end of the run), and the
/// percentile KPIs computed from it (catalogue B0 censoring, D5 order statistics).
public struct DurationSample: Sendable, Hashable {
    /// One observation: a duration, or a lower bound on it when `censored`.
    public struct Observation: Sendable, Hashable {
        /// Seconds (the time observed so far when censored).
        public var seconds: Double
        /// Whether the event had not happened by the end of the run.
        public var censored: Bool

        /// Creates an observation.
        /// - Parameters:
        ///   - seconds: The duration.
        ///   - censored: Whether it is a lower bound.
        public init(_ seconds: Double, censored: Bool = false) {
            self.seconds = seconds
            self.censored = censored
        }
    }

    /// The observations, sorted by duration (events before censorings at equal times).
    public let observations: [Observation]

    /// Creates a sample.
    /// - Parameter observations: The observations, in any order.
    public init(_ observations: [Observation]) {
        self.observations = observations.sorted {
            $0.seconds != $1.seconds ? $0.seconds < $1.seconds : (!$0.censored && $1.censored)
        }
    }

    /// The number of censored observations.
    public var censoredCount: Int { observations.filter(\.censored).count }
    /// The uncensored durations, sorted.
    public var exact: [Double] { observations.filter { !$0.censored }.map(\.seconds) }
    /// The share of censored observations.
    public var censoredShare: Double { observations.isEmpty ? 0 : Double(censoredCount) / Double(observations.count) }

    /// The Kaplan–Meier estimate of the `p`-quantile: the smallest time `t` with `S(t) ≤ 1 − p`; `nil` when the
    /// survival curve never falls that low (too much censoring).
    /// - Parameter p: The quantile.
    /// - Returns: Seconds.
    public func kaplanMeierQuantile(_ p: Double) -> Double? {
        var survival = 1.0
        var atRisk = observations.count
        var index = 0
        while index < observations.count {
            let time = observations[index].seconds
            var events = 0
            var leaving = 0
            while index < observations.count && observations[index].seconds == time {
                if !observations[index].censored { events += 1 }
                leaving += 1
                index += 1
            }
            if events > 0 {
                survival *= 1 - Double(events) / Double(atRisk)
                if survival <= 1 - p + 1e-12 { return time }
            }
            atRisk -= leaving
        }
        return nil
    }

    /// The value at 1-based `rank` as a bound: the lower bound is always valid (a censored value only grows); an
    /// upper bound is `nil` when a censored observation sits at or below the rank.
    func bound(rank: Int?, upper: Bool) -> Double? {
        guard let rank, rank >= 1, rank <= observations.count else { return nil }
        if upper && observations[..<rank].contains(where: \.censored) { return nil }
        return observations[rank - 1].seconds
    }

    /// The `p`-quantile KPI: Hyndman–Fan type 7 over the exact values when at most 5 % are censored, Kaplan–Meier
    /// otherwise; the order-statistic interval (two-sided, and one-sided bounds for the verdict).
    /// - Parameters:
    ///   - p: The quantile.
    ///   - id: KPI id.
    ///   - name: KPI name.
    ///   - catalogue: Catalogue entry.
    ///   - formula: Formula text.
    ///   - level: Confidence level.
    /// - Returns: The KPI.
    public func percentileKPI(
        _ p: Double, id: String, name: String, catalogue: String, formula: String, level: Double = 0.95
    ) -> KPIResult {
        let n = observations.count
        let useKM = censoredShare > 0.05
        let estimate = useKM ? kaplanMeierQuantile(p) : Quantile.of(exact, p)
        let ranks = ConfidenceInterval.orderStatisticRanks(n: n, p: p, level: level)
        let oneSided = ConfidenceInterval.orderStatisticRanks(n: n, p: p, level: 1 - 2 * (1 - level))
        let method = "order-statistic"
        var result = KPIResult(
            id: id, name: name, catalogue: catalogue, unit: "s", formula: formula, kind: .percentile,
            estimate: estimate,
            ci: n == 0
                ? nil
                : ConfidenceInterval(
                    level: level, low: bound(rank: ranks.lower, upper: false),
                    high: bound(rank: ranks.upper, upper: true),
                    method: method),
            n: n)
        result.decisionBounds =
            n == 0
            ? nil
            : ConfidenceInterval(
                level: 1 - (1 - level) * 2,
                low: bound(rank: oneSided.lower, upper: false), high: bound(rank: oneSided.upper, upper: true),
                method: "order-statistic, one-sided \(Format.number(level * 100)) % bounds")
        result.censored = censoredCount
        var notes: [String] = [useKM ? "Kaplan–Meier estimate" : "Hyndman–Fan type 7"]
        if censoredCount > 0 {
            notes.append("\(censoredCount) of \(n) censored (\(Format.number(censoredShare * 100)) %)")
        }
        if n == 0 { notes = ["no observations in the window"] }
        if estimate == nil && n > 0 { notes.append("survival never falls to \(Format.number(1 - p)): estimate > max") }
        result.reason = notes.joined(separator: "; ")
        return result
    }
}
