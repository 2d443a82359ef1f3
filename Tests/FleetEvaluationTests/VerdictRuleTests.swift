import Testing

@testable import FleetEvaluation

/// The verdict rules of catalogue B5, one comparison type at a time.
@Suite("Verdict rules")
struct VerdictRuleTests {
    func proportion(_ k: Int, _ n: Int) -> KPIResult {
        KPIResult(
            id: "success_rate", name: "SR", catalogue: "B1.2", unit: "ratio", formula: "", kind: .proportion,
            estimate: Double(k) / Double(n), ci: ConfidenceInterval.wilson(k, n), n: n)
    }

    func verdict(_ kpi: KPIResult, _ type: ComparisonType, _ value: Double, baseline: Double? = nil) -> Verdict? {
        VerdictRule.apply(TargetSpec(kpi: kpi.id, type: type, value: value, baseline: baseline), to: kpi).verdict
    }

    @Test("rate ≥ p₀: 95/100 is INCONCLUSIVE for 0.95 (D1), 199/200 passes 0.95, 80/100 fails")
    func rate() {
        #expect(verdict(proportion(95, 100), .rateAtLeast, 0.95) == .inconclusive)
        #expect(verdict(proportion(199, 200), .rateAtLeast, 0.95) == .pass)
        #expect(verdict(proportion(80, 100), .rateAtLeast, 0.95) == .fail)
        #expect(verdict(proportion(0, 100), .rateAtMost, 0.05) == .pass)
        #expect(verdict(proportion(1, 100), .rateAtMost, 0.05) == .inconclusive)
    }

    @Test("percentile ≤ x₀: order-statistic bounds; n < 59 is INSUFFICIENT_DATA unless the lower bound fails")
    func percentile() {
        let values = (1...100).map { DurationSample.Observation(Double($0)) }
        let kpi = DurationSample(values).percentileKPI(0.95, id: "lead_time_p95", name: "", catalogue: "", formula: "")
        // One-sided 95 % upper bound X(99) = 99; lower bound X(91) = 91 (binom.cdf(90, 100, .95) ≤ .05).
        #expect(kpi.decisionBounds?.high == 99)
        #expect(verdict(kpi, .percentileAtMost, 99) == .pass)
        #expect(verdict(kpi, .percentileAtMost, 98) == .inconclusive)
        #expect(verdict(kpi, .percentileAtMost, 50) == .fail)
        let small = DurationSample(Array(values.prefix(58))).percentileKPI(
            0.95, id: "x", name: "", catalogue: "", formula: "")
        #expect(verdict(small, .percentileAtMost, 1000) == .insufficientData)
        let censored = DurationSample(values.dropLast() + [.init(100, censored: true)]).percentileKPI(
            0.95, id: "x", name: "", catalogue: "", formula: "")
        #expect(censored.decisionBounds?.high == 99)
        let heavy = DurationSample(values.prefix(90) + (0..<10).map { _ in .init(50, censored: true) })
            .percentileKPI(0.95, id: "x", name: "", catalogue: "", formula: "")
        #expect(heavy.decisionBounds?.high == nil)
        #expect(verdict(heavy, .percentileAtMost, 1000) == .insufficientData)
    }

    @Test("mean ≥ x₀ with a t interval; event rate ≤ λ₀ with Garwood bounds")
    func meanAndEventRate() {
        let mean = KPIResult(
            id: "throughput", name: "", catalogue: "", unit: "", formula: "", kind: .mean, estimate: 69.5,
            ci: ConfidenceInterval.t([60, 62, 65, 70, 71, 73, 75, 80]), n: 8)
        #expect(verdict(mean, .meanAtLeast, 60) == .pass)
        #expect(verdict(mean, .meanAtLeast, 70) == .inconclusive)
        #expect(verdict(mean, .meanAtLeast, 80) == .fail)
        var rate = KPIResult(
            id: "failure_rate", name: "", catalogue: "", unit: "", formula: "", kind: .eventRate, estimate: 3.0 / 40,
            ci: ConfidenceInterval.garwood(3, exposure: 40), n: 3)
        rate.exposure = 40
        #expect(verdict(rate, .eventRateAtMost, 0.25) == .pass)
        #expect(verdict(rate, .eventRateAtMost, 0.1) == .inconclusive)
        #expect(verdict(rate, .eventRateAtMost, 0.01) == .fail)
        #expect(verdict(rate, .rateAtLeast, 0.5) == .insufficientData)
    }

    @Test("zero tolerance: any occurrence fails; 0 in 299 passes R 0.99 C 0.95; 0 in 100 is INSUFFICIENT_DATA")
    func zeroTolerance() {
        func count(_ k: Int, _ n: Int) -> KPIResult {
            KPIResult(
                id: "safety_task_failures", name: "", catalogue: "", unit: "count", formula: "", kind: .count,
                estimate: Double(k), ci: nil, n: n)
        }
        let target = TargetSpec(kpi: "safety_task_failures", type: .zeroTolerance, value: 0, reliability: 0.99)
        #expect(target.gate)
        #expect(VerdictRule.apply(target, to: count(1, 1000)).verdict == .fail)
        #expect(VerdictRule.apply(target, to: count(0, 299)).verdict == .pass)
        #expect(VerdictRule.apply(target, to: count(0, 100)).verdict == .insufficientData)
    }

    @Test("improvement over a baseline: the interval of the relative change against −10 %")
    func improvement() {
        func lead(_ low: Double, _ estimate: Double, _ high: Double) -> KPIResult {
            KPIResult(
                id: "lead_time_p50", name: "", catalogue: "", unit: "s", formula: "", kind: .percentile,
                estimate: estimate, ci: ConfidenceInterval(low: low, high: high, method: "order-statistic"), n: 100)
        }
        #expect(verdict(lead(90, 95, 105), .improvement, -0.10, baseline: 120) == .pass)
        #expect(verdict(lead(100, 110, 115), .improvement, -0.10, baseline: 120) == .inconclusive)
        #expect(verdict(lead(110, 115, 118), .improvement, -0.10, baseline: 120) == .fail)
        #expect(verdict(lead(90, 95, 105), .improvement, -0.10) == .insufficientData)
    }

    @Test("overall: invalid data first, then failed gates, then KPIs; unknown targets are reported")
    func overall() throws {
        let pass = GateResult(id: "data_validity", observed: 0, n: 10, nRequired: nil, verdict: .pass, reason: "")
        let invalid = GateResult(id: "data_validity", observed: 1, n: 10, nRequired: nil, verdict: .fail, reason: "x")
        let failedGate = GateResult(id: "safety", observed: 1, n: 10, nRequired: 59, verdict: .fail, reason: "y")
        var ok = proportion(199, 200)
        ok = VerdictRule.apply(TargetSpec(kpi: ok.id, type: .rateAtLeast, value: 0.95), to: ok)
        let bad = VerdictRule.apply(TargetSpec(kpi: "x", type: .rateAtLeast, value: 0.95), to: proportion(80, 100))
        #expect(VerdictRule.overall(gates: [invalid, failedGate], kpis: [ok]).0 == .invalid)
        #expect(VerdictRule.overall(gates: [pass, failedGate], kpis: [ok]).0 == .fail)
        #expect(VerdictRule.overall(gates: [pass], kpis: [ok, bad]).0 == .fail)
        #expect(VerdictRule.overall(gates: [pass], kpis: [ok]).0 == .pass)
        let target = try KPICatalogue.target(kpi: "lead_time_p95", type: nil, comparison: "<=", threshold: 300)
        #expect(target.type == .percentileAtMost)
        #expect(throws: TargetError.self) {
            try KPICatalogue.target(kpi: "nope", type: nil, comparison: ">=", threshold: 1)
        }
        #expect(throws: TargetError.self) {
            try KPICatalogue.target(kpi: "success_rate", type: "percentile_le", comparison: nil, threshold: 1)
        }
    }
}
