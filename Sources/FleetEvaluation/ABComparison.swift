/// An A/B comparison of two sets of runs (two policies on the same seeds, catalogue D7): per KPI the paired
/// differences `B − A` with their interval.
///
/// With two or more pairs the interval is the paired t interval over the pairs (common random numbers); with one
/// pair it is the MOVER interval from the two runs' own intervals (Newcombe's hybrid score method for proportions).
public struct ABComparison: Sendable, Codable {
    /// One KPI's difference.
    public struct Row: Sendable, Hashable, Codable {
        /// KPI id.
        public var id: String
        /// KPI name.
        public var name: String
        /// Unit.
        public var unit: String
        /// Estimates of A, per run.
        public var a: [Double]
        /// Estimates of B, per run.
        public var b: [Double]
        /// Mean of `B − A` over pairs.
        public var difference: Double
        /// The interval of the difference.
        public var ci: ConfidenceInterval?
        /// Relative difference `mean(B)/mean(A) − 1`, when A's mean is not 0.
        public var relative: Double?
    }

    /// The rows, catalogue order.
    public var rows: [Row]
    /// Number of pairs.
    public var pairs: Int

    /// Compares the runs pairwise in order (`a[i]` with `b[i]`; surplus runs are ignored).
    /// - Parameters:
    ///   - a: Runs of policy A.
    ///   - b: Runs of policy B.
    ///   - level: The confidence level.
    public init(a: [RunEvaluation], b: [RunEvaluation], level: Double = 0.95) {
        let count = min(a.count, b.count)
        pairs = count
        rows = []
        guard count > 0 else { return }
        for kpi in a[0].kpis {
            let pairs = (0..<count).compactMap { i -> (KPIResult, KPIResult)? in
                guard let x = a[i].kpi(kpi.id), let y = b[i].kpi(kpi.id), x.estimate != nil, y.estimate != nil
                else { return nil }
                return (x, y)
            }
            guard !pairs.isEmpty else { continue }
            let av = pairs.map { $0.0.estimate! }
            let bv = pairs.map { $0.1.estimate! }
            let differences = zip(av, bv).map { $1 - $0 }
            let mean = differences.reduce(0, +) / Double(differences.count)
            var ci: ConfidenceInterval?
            if differences.count >= 2 {
                ci = ConfidenceInterval.t(differences, level: level, method: "paired t over \(differences.count) seeds")
            } else if let ca = pairs[0].0.ci, let cb = pairs[0].1.ci {
                ci = ConfidenceInterval.moverDifference(a: (av[0], ca), b: (bv[0], cb))
                if ca.method == "wilson" { ci?.method = "newcombe hybrid score (mover)" }
            }
            let meanA = av.reduce(0, +) / Double(av.count)
            let meanB = bv.reduce(0, +) / Double(bv.count)
            rows.append(
                Row(
                    id: kpi.id, name: kpi.name, unit: kpi.unit, a: av, b: bv, difference: mean, ci: ci,
                    relative: meanA != 0 ? meanB / meanA - 1 : nil))
        }
    }

    /// The comparison as a Markdown table.
    /// - Returns: The text.
    public func markdown() -> String {
        var lines = ["# A/B comparison (\(pairs) pair\(pairs == 1 ? "" : "s"), difference = B − A)", ""]
        lines.append("| KPI | A | B | B − A | 95 % CI | method | relative |")
        lines.append("|---|---|---|---|---|---|---|")
        for row in rows {
            let a = row.a.map { Format.number($0) }.joined(separator: ", ")
            let b = row.b.map { Format.number($0) }.joined(separator: ", ")
            lines.append(
                "| \(row.name) (`\(row.id)`, \(row.unit)) | \(a) | \(b) | \(Format.number(row.difference)) | "
                    + "\(Format.interval(row.ci)) | \(row.ci?.method ?? "-") | "
                    + "\(row.relative.map { Format.number($0 * 100) + " %" } ?? "-") |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
