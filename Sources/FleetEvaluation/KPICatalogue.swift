/// The KPI ids the evaluator knows and their kinds, for resolving scenario targets before a run is evaluated.
public enum KPICatalogue {
    /// Every KPI id with its kind.
    public static let kinds: [String: KPIKind] = {
        var kinds: [String: KPIKind] = [
            "throughput": .mean, "success_rate": .proportion, "demand_coverage": .proportion,
            "on_time_rate": .proportion, "reassignment_rate": .proportion, "utilisation": .mean, "idle_share": .mean,
            "availability": .mean, "charging_overhead": .mean, "failure_rate": .eventRate, "mtbf": .mean, "mttr": .mean,
            "safety_task_failures": .count, "intervention_rate": .eventRate, "charges_per_robot_hour": .eventRate,
        ]
        for family in ["time_to_assign", "queue_wait", "lead_time"] {
            kinds["\(family)_p50"] = .percentile
            kinds["\(family)_p95"] = .percentile
        }
        kinds.merge(RunEvaluation.workKPIKinds) { $1 }
        kinds.merge(RunEvaluation.peopleKPIKinds) { $1 }
        kinds.merge(RunEvaluation.windowKPIKinds) { $1 }
        kinds.merge(RunEvaluation.safetyKPIKinds) { $1 }
        for kpi in UnsupportedKPIs.all { kinds[kpi.id] = kpi.kind }
        return kinds
    }()

    /// Resolves a target written as KPI, type or operator, threshold and options.
    /// - Parameters:
    ///   - kpi: The KPI id.
    ///   - type: The comparison type's raw value, if written.
    ///   - comparison: The operator, if written.
    ///   - threshold: The threshold (0 when absent, for zero tolerance).
    ///   - gate: Whether it is a gate.
    ///   - reliability: R.
    ///   - confidence: C.
    ///   - baseline: The baseline value.
    /// - Returns: The target.
    /// - Throws: ``TargetError`` for an unknown KPI or a type that does not fit it.
    public static func target(
        kpi: String, type: String?, comparison: String?, threshold: Double?, gate: Bool = false,
        reliability: Double? = nil, confidence: Double? = nil, baseline: Double? = nil
    ) throws(TargetError) -> TargetSpec {
        guard let kind = kinds[kpi] else { throw .unknownKPI(kpi) }
        let resolved: ComparisonType
        if let type {
            guard let value = ComparisonType(rawValue: type) else { throw .unknownType(type) }
            guard value.kinds.contains(kind) else { throw .mismatch(kpi: kpi, kind: kind, type: value) }
            resolved = value
        } else if let comparison, let value = ComparisonType.inferred(kind: kind, comparison: comparison) {
            resolved = value
        } else {
            throw .mismatch(kpi: kpi, kind: kind, type: nil)
        }
        return TargetSpec(
            kpi: kpi, type: resolved, value: threshold ?? 0, gate: gate, reliability: reliability,
            confidence: confidence, baseline: baseline)
    }
}

/// Why a scenario target cannot be used.
public enum TargetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The KPI id is not in the catalogue.
    case unknownKPI(String)
    /// The comparison type is not one of the catalogue's.
    case unknownType(String)
    /// The type (or operator) does not fit the KPI's kind.
    case mismatch(kpi: String, kind: KPIKind, type: ComparisonType?)

    /// A message for people.
    public var description: String {
        switch self {
        case .unknownKPI(let id):
            return "unknown KPI '\(id)' (known: \(KPICatalogue.kinds.keys.sorted().joined(separator: ", ")))"
        case .unknownType(let type): return "unknown comparison type '\(type)'"
        case .mismatch(let kpi, let kind, let type):
            let fitting = ComparisonType.allCases.filter { $0.kinds.contains(kind) }.map(\.rawValue)
            return "KPI '\(kpi)' is a \(kind.rawValue) KPI; "
                + (type.map { "type \($0.rawValue) does not fit it" } ?? "the comparison does not fit it")
                + " (use one of \(fitting.joined(separator: ", ")))"
        }
    }
}
