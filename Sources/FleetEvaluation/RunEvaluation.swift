import FleetCore

/// One run evaluated: the window, the rebuilt tasks and robot states, the data-quality figures, every KPI (with
/// verdicts where the targets name them), the gates and the overall verdict; plus the series the charts draw.
public struct RunEvaluation: Sendable {
    /// The window.
    public var window: EvaluationWindow
    /// The rebuilt run.
    public var analysis: RunAnalysis
    /// The derived robot states.
    public var states: RobotStateTimeline
    /// Data quality figures (reported before the KPIs).
    public var dataQuality: DataQuality
    /// The KPIs, catalogue order.
    public var kpis: [KPIResult]
    /// The hard gates, data validity first.
    public var gates: [GateResult]
    /// The overall verdict.
    public var overall: Verdict
    /// Why.
    public var overallReason: String
    /// The duration samples behind the percentile KPIs, by KPI family (`lead_time`, `time_to_assign`, ...).
    public var samples: [String: DurationSample]
    /// Completions per batch of the window (throughput series).
    public var batchCompletions: [(start: FleetTime, end: FleetTime, completed: Int)]
    /// Queue length `#(created ∧ ¬started)` sampled every five minutes.
    public var queueLength: [(time: FleetTime, length: Int)]

    /// Evaluates the records of one run.
    /// - Parameters:
    ///   - records: The journal's records, in journal order.
    ///   - undecodable: Entries that could not be decoded.
    ///   - targets: The scenario's targets.
    ///   - settings: Window cuts, level, batch length.
    public init(
        records: [JournalRecord], undecodable: Int = 0, targets: [TargetSpec] = [],
        settings: EvaluationSettings = EvaluationSettings()
    ) {
        let analysis = RunAnalysis(records: records)
        let first = analysis.firstTime ?? settings.runStart ?? FleetTime(milliseconds: 0)
        let runStart = settings.runStart ?? first
        let runEnd = settings.runSeconds.map { runStart.adding(seconds: $0) } ?? analysis.lastTime ?? runStart
        let window = EvaluationWindow(
            runStart: runStart, runEnd: runEnd, warmup: settings.warmup, cooldown: settings.cooldown)
        self.window = window
        self.analysis = analysis
        states = RobotStateTimeline(records: records, window: window)
        dataQuality = DataQuality(records: records, undecodable: undecodable, analysis: analysis, window: window)
        samples = [:]
        batchCompletions = []
        queueLength = []
        kpis = []
        gates = []
        overall = .inconclusive
        overallReason = ""
        // Demand: tasks created in W, without the coordinator's own charge trips (reported under charging).
        let population = analysis.orderedTasks.filter {
            !$0.isCoordinatorOwn && ($0.created.map(window.contains) ?? false)
        }
        kpis = taskKPIs(population, level: settings.level, batchSeconds: settings.batchSeconds)
        kpis += robotKPIs(population, records: records, level: settings.level)
        kpis += workKPIs(population, settings: settings)
        kpis += peopleKPIs(records: records, settings: settings)
        kpis += windowKPIs(population, settings: settings)
        kpis += safetyKPIs(records: records, level: settings.level, separation: settings.proximitySeparation)
        kpis += UnsupportedKPIs.all
        judge(targets: targets)
    }

    /// Applies the targets, builds the gates and the overall verdict.
    mutating func judge(targets: [TargetSpec]) {
        var unknown: [TargetSpec] = []
        for target in targets {
            guard let index = kpis.firstIndex(where: { $0.id == target.kpi }) else {
                unknown.append(target)
                continue
            }
            kpis[index] = VerdictRule.apply(target, to: kpis[index])
        }
        gates = [dataQuality.gate]
        for kpi in kpis where kpi.target?.gate == true {
            gates.append(GateResult(kpi: kpi))
        }
        for target in unknown {
            gates.append(
                GateResult(
                    id: target.kpi, observed: nil, n: 0, nRequired: nil, verdict: .insufficientData,
                    reason: "the scenario names KPI '\(target.kpi)', which the evaluator does not know"))
        }
        (overall, overallReason) = VerdictRule.overall(gates: gates, kpis: kpis)
    }

    /// The KPI with `id`.
    /// - Parameter id: The id.
    /// - Returns: The KPI, if computed.
    public func kpi(_ id: String) -> KPIResult? { kpis.first { $0.id == id } }
}

/// A hard gate (catalogue B5): safety, zero tolerance, data validity; checked before the KPI verdicts.
public struct GateResult: Sendable, Hashable, Codable {
    /// Id, e.g. `data_validity` or the KPI's id.
    public var id: String
    /// Occurrences observed, where counted.
    public var observed: Double?
    /// Trials or exposure.
    public var n: Double
    /// Trials needed to pass with no occurrence (success run), where it applies.
    public var nRequired: Int?
    /// The verdict.
    public var verdict: Verdict
    /// Why.
    public var reason: String

    /// Creates a gate.
    public init(id: String, observed: Double?, n: Double, nRequired: Int?, verdict: Verdict, reason: String) {
        self.id = id
        self.observed = observed
        self.n = n
        self.nRequired = nRequired
        self.verdict = verdict
        self.reason = reason
    }

    /// The gate of a KPI whose target is a gate.
    /// - Parameter kpi: The KPI, already judged.
    public init(kpi: KPIResult) {
        let target = kpi.target
        let required =
            target?.type == .zeroTolerance
            ? ConfidenceInterval.successRunSize(
                reliability: target?.reliability ?? 0.95, confidence: target?.confidence ?? 0.95) : nil
        self.init(
            id: kpi.id, observed: kpi.estimate, n: kpi.exposure ?? Double(kpi.n), nRequired: required,
            verdict: kpi.verdict ?? .insufficientData, reason: kpi.reason)
    }
}
