/// Several runs of one scenario (replications over seeds) aggregated per KPI: the per-run estimates, their mean and
/// the t interval over runs (catalogue D6).
public struct ReplicationRow: Sendable, Hashable, Codable {
    /// KPI id.
    public var id: String
    /// Per-run estimates, in run order (runs without an estimate are left out).
    public var values: [Double]
    /// Their mean.
    public var mean: Double?
    /// t interval over runs; `nil` for fewer than two.
    public var ci: ConfidenceInterval?
    /// For proportions, the pooled ratio `Σ k / Σ n` over runs.
    public var pooled: Double?
    /// BCa bootstrap over runs (catalogue D6, small R): of the pooled ratio for proportions (runs are clusters of
    /// tasks), of the mean otherwise; `nil` for fewer than two runs.
    public var bootstrap: ConfidenceInterval?

    /// Aggregates the KPIs of several evaluated runs.
    /// - Parameters:
    ///   - runs: The evaluations.
    ///   - level: The confidence level.
    ///   - seed: The bootstrap seed.
    ///   - resamples: The bootstrap resamples.
    /// - Returns: One row per KPI that has an estimate in at least one run.
    public static func aggregate(
        _ runs: [RunEvaluation], level: Double = 0.95, seed: UInt64 = 1, resamples: Int = 2000
    ) -> [ReplicationRow] {
        guard let first = runs.first else { return [] }
        return first.kpis.compactMap { kpi in
            let results = runs.compactMap { $0.kpi(kpi.id) }.filter { $0.estimate != nil }
            let values = results.map { $0.estimate! }
            guard !values.isEmpty else { return nil }
            var row = ReplicationRow(
                id: kpi.id, values: values, mean: values.reduce(0, +) / Double(values.count),
                ci: ConfidenceInterval.t(values, level: level, method: "t over \(values.count) runs"))
            if kpi.kind == .proportion {
                let k = results.map { ($0.estimate! * Double($0.n)).rounded() }
                let n = results.map { Double($0.n) }
                let total = n.reduce(0, +)
                row.pooled = total > 0 ? k.reduce(0, +) / total : nil
                row.bootstrap = Bootstrap.ratio(k, n, resamples: resamples, seed: seed, level: level)
            } else {
                row.bootstrap = Bootstrap.mean(values, resamples: resamples, seed: seed, level: level)
            }
            return row
        }
    }

    /// The aggregate verdicts: each targeted KPI judged on the replication mean and its t interval (a
    /// `mean`-kind KPI for the rule), gates pooled (any failed run fails; zero-tolerance counts add up).
    /// - Parameters:
    ///   - runs: The evaluations.
    ///   - rows: Their aggregate rows.
    /// - Returns: The KPIs with aggregate verdicts and the overall verdict.
    public static func verdicts(_ runs: [RunEvaluation], rows: [ReplicationRow]) -> (
        kpis: [KPIResult], overall: Verdict, reason: String
    ) {
        guard let first = runs.first else { return ([], .insufficientData, "no runs") }
        var kpis: [KPIResult] = []
        for kpi in first.kpis {
            guard let target = kpi.target, let row = rows.first(where: { $0.id == kpi.id }) else {
                kpis.append(kpi)
                continue
            }
            if target.gate {
                var pooled = kpi
                pooled.estimate = runs.compactMap { $0.kpi(kpi.id)?.estimate }.reduce(0, +)
                pooled.n = runs.compactMap { $0.kpi(kpi.id)?.n }.reduce(0, +)
                pooled.exposure = kpi.exposure.map { _ in runs.compactMap { $0.kpi(kpi.id)?.exposure }.reduce(0, +) }
                kpis.append(VerdictRule.apply(target, to: pooled))
                continue
            }
            var aggregate = KPIResult(
                id: kpi.id, name: kpi.name, catalogue: kpi.catalogue, unit: kpi.unit,
                formula: kpi.formula + " (mean over runs)", kind: .mean, estimate: row.mean, ci: row.ci,
                n: row.values.count)
            var meanTarget = target
            switch target.type {
            case .rateAtLeast, .percentileAtLeast: meanTarget.type = .meanAtLeast
            case .rateAtMost, .percentileAtMost, .eventRateAtMost: meanTarget.type = .meanAtMost
            default: break
            }
            aggregate = VerdictRule.apply(meanTarget, to: aggregate)
            aggregate.target = target
            kpis.append(aggregate)
        }
        var gates = runs.map(\.dataQuality.gate)
        gates += kpis.filter { $0.target?.gate == true }.map(GateResult.init(kpi:))
        let (overall, reason) = VerdictRule.overall(gates: gates, kpis: kpis)
        return (kpis, overall, reason)
    }
}
