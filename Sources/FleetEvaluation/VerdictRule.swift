import Foundation

/// The verdict rules of the catalogue (B5): a KPI's interval against its target.
public enum VerdictRule {
    /// Sets `result.target`, `result.verdict` and `result.reason` from the target.
    /// - Parameters:
    ///   - result: The KPI with its estimate and interval.
    ///   - target: The target.
    /// - Returns: The KPI with its verdict.
    public static func apply(_ target: TargetSpec, to result: KPIResult) -> KPIResult {
        var result = result
        result.target = target
        let (verdict, reason) = judge(result, target)
        result.verdict = verdict
        result.reason = reason
        return result
    }

    static func judge(_ kpi: KPIResult, _ target: TargetSpec) -> (Verdict, String) {
        if kpi.verdict == .insufficientData && kpi.estimate == nil { return (.insufficientData, kpi.reason) }
        guard target.type.kinds.contains(kpi.kind) else {
            return (.insufficientData, "target type \(target.type.rawValue) does not fit a \(kpi.kind.rawValue) KPI")
        }
        let x0 = target.value
        let v = Format.number(x0)
        switch target.type {
        case .zeroTolerance:
            return zeroTolerance(kpi, target)
        case .improvement:
            return improvement(kpi, target)
        default:
            break
        }
        let bounds = kpi.decisionBounds ?? kpi.ci
        let method = bounds?.method ?? "no interval"
        guard kpi.n > 0, let estimate = kpi.estimate else {
            return (.insufficientData, "no observations in the window" + (kpi.reason.isEmpty ? "" : ": \(kpi.reason)"))
        }
        let low = bounds?.low
        let high = bounds?.high
        let atLeast = [ComparisonType.rateAtLeast, .percentileAtLeast, .meanAtLeast].contains(target.type)
        if atLeast {
            if let low, low >= x0 { return (.pass, "lower bound \(Format.number(low)) ≥ \(v) (\(method))") }
            if let high, high < x0 { return (.fail, "upper bound \(Format.number(high)) < \(v) (\(method))") }
        } else {
            if let high, high <= x0 { return (.pass, "upper bound \(Format.number(high)) ≤ \(v) (\(method))") }
            if let low, low > x0 { return (.fail, "lower bound \(Format.number(low)) > \(v) (\(method))") }
        }
        if target.type == .percentileAtMost && high == nil || target.type == .percentileAtLeast && low == nil {
            return (
                .insufficientData,
                "n = \(kpi.n) is too small for a distribution-free bound on this percentile"
                    + (kpi.censored ?? 0 > 0 ? " (or the bound falls on a censored task)" : "")
            )
        }
        if bounds == nil { return (.insufficientData, "no interval (n = \(kpi.n))") }
        let side = atLeast ? (estimate >= x0 ? "meets" : "misses") : (estimate <= x0 ? "meets" : "misses")
        return (
            .inconclusive,
            "estimate \(Format.number(estimate)) \(side) \(v) but the interval \(Format.interval(bounds)) straddles it"
        )
    }

    static func zeroTolerance(_ kpi: KPIResult, _ target: TargetSpec) -> (Verdict, String) {
        let observed = Int(kpi.estimate ?? 0)
        let trials = kpi.kind == .count ? kpi.n : Int(kpi.exposure ?? 0)
        if observed > 0 { return (.fail, "\(observed) occurrence(s); zero tolerance") }
        let r = target.reliability ?? 0.95
        let c = target.confidence ?? 0.95
        let required = ConfidenceInterval.successRunSize(reliability: r, confidence: c)
        let unit = kpi.kind == .count ? "trials" : "robot-hours"
        if trials >= required {
            return (.pass, "0 observed in \(trials) \(unit) ≥ n_req \(required) (success run, R \(r), C \(c))")
        }
        return (
            .insufficientData,
            "0 observed but \(trials) \(unit) < n_req \(required) (success run, R \(r), C \(c))"
        )
    }

    static func improvement(_ kpi: KPIResult, _ target: TargetSpec) -> (Verdict, String) {
        guard let baseline = target.baseline, baseline != 0 else {
            return (.insufficientData, "improvement target without a baseline value")
        }
        guard let estimate = kpi.estimate, let low = kpi.ci?.low, let high = kpi.ci?.high else {
            return (.insufficientData, "no estimate with an interval to compare with the baseline")
        }
        let change = estimate / baseline - 1
        let lowChange = min(low, high) / baseline - 1
        let highChange = max(low, high) / baseline - 1
        let lo = min(lowChange, highChange)
        let hi = max(lowChange, highChange)
        let text =
            "change \(Format.number(change * 100)) %, CI [\(Format.number(lo * 100)), \(Format.number(hi * 100))] %"
        let wanted = target.value
        if wanted < 0 {
            if hi <= wanted { return (.pass, text + " entirely ≤ \(Format.number(wanted * 100)) %") }
            if lo > wanted { return (.fail, text + " entirely above \(Format.number(wanted * 100)) %") }
        } else {
            if lo >= wanted { return (.pass, text + " entirely ≥ \(Format.number(wanted * 100)) %") }
            if hi < wanted { return (.fail, text + " entirely below \(Format.number(wanted * 100)) %") }
        }
        return (.inconclusive, text + " straddles \(Format.number(wanted * 100)) %")
    }

    /// The overall verdict: a failed data-validity gate makes it `INVALID`; any other failed gate or KPI `FAIL`;
    /// otherwise any gate or targeted KPI short of `PASS` makes it `INCONCLUSIVE`; else `PASS`.
    /// - Parameters:
    ///   - gates: The gates.
    ///   - kpis: The KPIs (only those with a target count).
    /// - Returns: The verdict and its reason.
    public static func overall(gates: [GateResult], kpis: [KPIResult]) -> (Verdict, String) {
        if let invalid = gates.first(where: { $0.id == "data_validity" && $0.verdict == .fail }) {
            return (.invalid, "data validity gate failed: \(invalid.reason)")
        }
        if let failed = gates.first(where: { $0.verdict == .fail }) {
            return (.fail, "gate \(failed.id) failed: \(failed.reason)")
        }
        let targeted = kpis.filter { $0.target != nil && !($0.target?.gate ?? false) }
        if let failed = targeted.first(where: { $0.verdict == .fail }) {
            return (.fail, "\(failed.id) failed: \(failed.reason)")
        }
        let open = gates.filter { $0.verdict != .pass }.map(\.id) + targeted.filter { $0.verdict != .pass }.map(\.id)
        if !open.isEmpty { return (.inconclusive, "not demonstrated: " + open.joined(separator: ", ")) }
        if targeted.isEmpty && gates.count <= 1 { return (.inconclusive, "the scenario sets no KPI targets") }
        return (.pass, "every gate and targeted KPI passed")
    }
}
