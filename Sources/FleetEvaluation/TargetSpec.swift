/// A comparison type of the catalogue (B5).
public enum ComparisonType: String, Sendable, Hashable, Codable, CaseIterable {
    /// A proportion at least the threshold (Wilson lower bound ≥ p₀ passes).
    case rateAtLeast = "rate_ge"
    /// A proportion at most the threshold.
    case rateAtMost = "rate_le"
    /// A percentile at most the threshold (order-statistic upper bound ≤ x₀ passes).
    case percentileAtMost = "percentile_le"
    /// A percentile at least the threshold.
    case percentileAtLeast = "percentile_ge"
    /// A mean (or throughput) at least the threshold (t lower bound ≥ x₀ passes).
    case meanAtLeast = "mean_ge"
    /// A mean at most the threshold.
    case meanAtMost = "mean_le"
    /// An event rate at most the threshold (Garwood upper bound ≤ λ₀ passes).
    case eventRateAtMost = "event_rate_le"
    /// No occurrence at all, with enough trials for the success-run rule.
    case zeroTolerance = "zero_tolerance"
    /// A relative change against a baseline value, e.g. −10 % (`threshold: -0.10`).
    case improvement

    /// The KPI kinds this comparison applies to.
    public var kinds: Set<KPIKind> {
        switch self {
        case .rateAtLeast, .rateAtMost: return [.proportion]
        case .percentileAtMost, .percentileAtLeast: return [.percentile]
        case .meanAtLeast, .meanAtMost: return [.mean]
        case .eventRateAtMost: return [.eventRate]
        case .zeroTolerance: return [.count, .eventRate]
        case .improvement: return [.proportion, .percentile, .mean, .eventRate]
        }
    }

    /// The comparison type for a KPI kind and an operator (`>=`, `<=`, `==`), when the scenario gives only those.
    /// - Parameters:
    ///   - kind: The KPI's kind.
    ///   - comparison: `>=`, `<=` or `==` (with threshold 0: zero tolerance).
    /// - Returns: The type, or `nil` when the pair makes no sense.
    public static func inferred(kind: KPIKind, comparison: String) -> ComparisonType? {
        switch (kind, comparison) {
        case (.proportion, ">="): return .rateAtLeast
        case (.proportion, "<="): return .rateAtMost
        case (.percentile, "<="): return .percentileAtMost
        case (.percentile, ">="): return .percentileAtLeast
        case (.mean, ">="): return .meanAtLeast
        case (.mean, "<="): return .meanAtMost
        case (.eventRate, "<="): return .eventRateAtMost
        case (.count, "=="), (.count, "<="), (.eventRate, "=="): return .zeroTolerance
        default: return nil
        }
    }
}

/// A KPI target as the evaluator uses it (the scenario's `targets:` entry, resolved by the caller).
public struct TargetSpec: Sendable, Hashable, Codable {
    /// The KPI id, e.g. `success_rate`.
    public var kpi: String
    /// The comparison type.
    public var type: ComparisonType
    /// The threshold (for `improvement`: the relative change, e.g. −0.10).
    public var value: Double
    /// Whether the target is a hard gate (checked before the KPI verdicts); zero-tolerance targets always are.
    public var gate: Bool
    /// For zero tolerance: the reliability R to demonstrate.
    public var reliability: Double?
    /// For zero tolerance: the confidence C.
    public var confidence: Double?
    /// For `improvement`: the baseline value the change is measured from.
    public var baseline: Double?

    /// Creates a target.
    /// - Parameters:
    ///   - kpi: The KPI id.
    ///   - type: The comparison type.
    ///   - value: The threshold.
    ///   - gate: Whether it is a hard gate.
    ///   - reliability: R for zero tolerance (default 0.95).
    ///   - confidence: C for zero tolerance (default 0.95).
    ///   - baseline: The baseline for `improvement`.
    public init(
        kpi: String, type: ComparisonType, value: Double, gate: Bool = false, reliability: Double? = nil,
        confidence: Double? = nil, baseline: Double? = nil
    ) {
        self.kpi = kpi
        self.type = type
        self.value = value
        self.gate = gate || type == .zeroTolerance
        self.reliability = reliability
        self.confidence = confidence
        self.baseline = baseline
    }

    /// The target as text, e.g. `≥ 0.98 (rate_ge)`.
    public var text: String {
        let number = Format.number(value)
        switch type {
        case .rateAtLeast, .percentileAtLeast, .meanAtLeast: return "≥ \(number) (\(type.rawValue))"
        case .rateAtMost, .percentileAtMost, .meanAtMost, .eventRateAtMost: return "≤ \(number) (\(type.rawValue))"
        case .zeroTolerance:
            return "= 0, R \(Format.number(reliability ?? 0.95)) C \(Format.number(confidence ?? 0.95))"
        case .improvement:
            return "change \(Format.number(value * 100)) % vs \(Format.number(baseline ?? .nan))"
        }
    }
}
