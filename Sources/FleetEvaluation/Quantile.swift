/// Sample quantiles, as the evaluator reports them.
public enum Quantile {
    /// The `p`-quantile (0...1) of `values` by linear interpolation between order statistics
    /// (Hyndman–Fan type 7, the default of R and numpy); `nil` for an empty sample.
    public static func of(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty, p >= 0, p <= 1 else { return nil }
        let sorted = values.sorted()
        let h = Double(sorted.count - 1) * p
        let lower = Int(h.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (h - Double(lower)) * (sorted[upper] - sorted[lower])
    }
}
