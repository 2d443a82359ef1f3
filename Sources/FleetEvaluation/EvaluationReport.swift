import FleetCore
import Foundation

/// The machine-readable result record (`report.json`, catalogue part C): evaluator, scenario with its hash, log with
/// its hash and data-quality figures, methods, KPIs, gates and the overall verdict.
public struct EvaluationReport: Sendable, Codable {
    /// The evaluator's identity.
    public struct Evaluator: Sendable, Codable {
        /// Version.
        public var version: String
        /// Git commit of the evaluator, when known.
        public var commit: String?
        /// The command line.
        public var command: String?
    }

    /// The scenario and the window.
    public struct ScenarioInfo: Sendable, Codable {
        /// Scenario name.
        public var id: String
        /// Scenario file.
        public var file: String?
        /// SHA-256 of the scenario file.
        public var sha256: String?
        /// The evaluation window `W` (ISO 8601).
        public var window: [String]
        /// The run `[T0, T1]` (ISO 8601).
        public var run: [String]
        /// Warm-up seconds.
        public var warmupS: Double
        /// Cool-down seconds.
        public var cooldownS: Double
    }

    /// The journal and its quality.
    public struct LogInfo: Sendable, Codable {
        /// Path of the journal.
        public var path: String?
        /// SHA-256 of the journal file.
        public var sha256: String?
        /// Data quality figures.
        public var quality: DataQuality
    }

    /// How the numbers were computed.
    public struct Methods: Sendable, Codable {
        /// Confidence level.
        public var ciLevel: Double
        /// Percentile estimator and bounds.
        public var percentile: String
        /// The robot-state precedence.
        public var statePrecedence: String
        /// The censoring policy.
        public var censoring: String
        /// Population of the task KPIs.
        public var population: String
    }

    /// Evaluator.
    public var evaluator: Evaluator
    /// Scenario.
    public var scenario: ScenarioInfo
    /// Log.
    public var log: LogInfo
    /// Methods.
    public var methods: Methods
    /// KPIs.
    public var kpis: [KPIResult]
    /// Gates.
    public var gates: [GateResult]
    /// Overall verdict.
    public var overall: Verdict
    /// Why.
    public var overallReason: String

    /// The evaluator's version.
    public static let version = "0.6.0"

    /// Builds the record of one evaluated run.
    /// - Parameters:
    ///   - run: The evaluation.
    ///   - scenarioName: The scenario's name.
    ///   - scenarioFile: The scenario file, hashed when given.
    ///   - journalFile: The journal file, hashed when given.
    ///   - commit: The evaluator's commit.
    ///   - command: The command line.
    public init(
        run: RunEvaluation, scenarioName: String, scenarioFile: String?, journalFile: String?, commit: String? = nil,
        command: String? = nil
    ) {
        evaluator = Evaluator(version: Self.version, commit: commit, command: command)
        let w = run.window
        scenario = ScenarioInfo(
            id: scenarioName, file: scenarioFile, sha256: scenarioFile.flatMap { try? SHA256.hex(file: $0) },
            window: [RunSummary.iso8601(w.start), RunSummary.iso8601(w.end)],
            run: [RunSummary.iso8601(w.runStart), RunSummary.iso8601(w.runEnd)], warmupS: w.warmup,
            cooldownS: w.cooldown)
        log = LogInfo(
            path: journalFile, sha256: journalFile.flatMap { try? SHA256.hex(file: $0) }, quality: run.dataQuality)
        methods = Methods(
            ciLevel: run.kpis.compactMap(\.ci?.level).first ?? 0.95,
            percentile: "Hyndman–Fan type 7 point estimates (Kaplan–Meier when > 5 % censored); distribution-free "
                + "order-statistic bounds, one-sided for verdicts (p95 needs n ≥ 59)",
            statePrecedence: RobotState.precedence,
            censoring: "tasks open at T1 are right-censored at T1: excluded from completion counts, late for on-time "
                + "if due ∈ W, censored observations in duration KPIs",
            population: "tasks created in W; throughput counts completions in W")
        kpis = run.kpis
        gates = run.gates
        overall = run.overall
        overallReason = run.overallReason
    }

    /// The record as pretty JSON with snake_case keys.
    /// - Returns: UTF-8 JSON, newline-terminated.
    /// - Throws: `EncodingError`.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self) + Data("\n".utf8)
    }
}
