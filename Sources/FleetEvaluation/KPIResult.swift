/// A verdict (catalogue B5).
public enum Verdict: String, Sendable, Hashable, Codable, CaseIterable {
    /// The evidence shows the target is met.
    case pass = "PASS"
    /// The evidence shows the target is missed.
    case fail = "FAIL"
    /// The point estimate may meet the target but the interval straddles it.
    case inconclusive = "INCONCLUSIVE"
    /// Too little data (or no events of the needed kind) to decide.
    case insufficientData = "INSUFFICIENT_DATA"
    /// The data-validity gate failed: no KPI verdict can be trusted (overall only).
    case invalid = "INVALID"
}

/// What kind of statistic a KPI is; it decides its interval method and which comparison types fit it.
public enum KPIKind: String, Sendable, Hashable, Codable {
    /// `k / n` (Wilson interval).
    case proportion
    /// A quantile of a duration (order-statistic interval).
    case percentile
    /// A mean or a rate per hour of time (t interval over batches, robots or replications).
    case mean
    /// Events per exposure (Garwood interval).
    case eventRate = "event_rate"
    /// A count of events that should be zero (success-run rule).
    case count
}

/// One stratum of a KPI (a task kind, a waypoint): its own estimate, interval and sample size.
public struct Stratum: Sendable, Hashable, Codable {
    /// Sample size (tasks, visits, batches).
    public var n: Int
    /// The estimate.
    public var estimate: Double?
    /// Its interval.
    public var ci: ConfidenceInterval?

    /// Creates a stratum.
    /// - Parameters:
    ///   - n: Sample size.
    ///   - estimate: Estimate.
    ///   - ci: Interval.
    public init(n: Int, estimate: Double?, ci: ConfidenceInterval? = nil) {
        self.n = n
        self.estimate = estimate
        self.ci = ci
    }
}

/// One KPI of the report: estimate, interval with its method, sample size, target and verdict with its reason.
public struct KPIResult: Sendable, Hashable, Codable {
    /// Stable id, e.g. `lead_time_p95`.
    public var id: String
    /// A name for people.
    public var name: String
    /// The catalogue entry, e.g. `B1.6`.
    public var catalogue: String
    /// Unit, e.g. `s`, `1/h`, `ratio`.
    public var unit: String
    /// The formula and event mapping.
    public var formula: String
    /// The statistic's kind.
    public var kind: KPIKind
    /// The point estimate; `nil` when it cannot be computed.
    public var estimate: Double?
    /// The two-sided interval.
    public var ci: ConfidenceInterval?
    /// One-sided bounds used for the verdict when they differ from `ci` (percentiles: each side one-sided).
    public var decisionBounds: ConfidenceInterval?
    /// Sample size (tasks, robots, batches) or events for counts.
    public var n: Int
    /// Right-censored observations (open tasks) in the sample, for duration KPIs.
    public var censored: Int?
    /// Exposure for event rates (robot-hours).
    public var exposure: Double?
    /// The KPI per stratum (e.g. per task kind), when the report breaks it down.
    public var strata: [String: Stratum]?
    /// The target, when the scenario sets one.
    public var target: TargetSpec?
    /// The verdict; `nil` without a target unless the data are insufficient.
    public var verdict: Verdict?
    /// Why this verdict (or why no estimate).
    public var reason: String

    /// Creates a result.
    public init(
        id: String, name: String, catalogue: String, unit: String, formula: String, kind: KPIKind,
        estimate: Double?, ci: ConfidenceInterval?, n: Int, reason: String = ""
    ) {
        self.id = id
        self.name = name
        self.catalogue = catalogue
        self.unit = unit
        self.formula = formula
        self.kind = kind
        self.estimate = estimate
        self.ci = ci
        self.n = n
        self.reason = reason
    }

    /// A KPI the journal cannot support (yet): no estimate, verdict `INSUFFICIENT_DATA`, the reason given.
    /// - Parameters:
    ///   - id: Stable id.
    ///   - name: Name.
    ///   - catalogue: Catalogue entry.
    ///   - unit: Unit.
    ///   - kind: Kind.
    ///   - reason: Why it cannot be computed.
    /// - Returns: The result.
    public static func unsupported(
        _ id: String, _ name: String, catalogue: String, unit: String, kind: KPIKind, reason: String
    ) -> KPIResult {
        var result = KPIResult(
            id: id, name: name, catalogue: catalogue, unit: unit, formula: "-", kind: kind, estimate: nil, ci: nil,
            n: 0, reason: reason)
        result.verdict = .insufficientData
        return result
    }
}
