import FleetConfig
import FleetCore
import FleetEvaluation
import Foundation

/// The inputs of an evaluation loaded from disk: the scenario with its resolved targets, and journals.
struct RunInput {
    /// The scenario.
    let scenario: Scenario
    /// Its path.
    let scenarioPath: String
    /// Its targets, resolved.
    let targets: [TargetSpec]
    /// The run's simulated length in seconds when it was not the scenario's (`fleetctl pilot --duration`).
    let runSeconds: Double?

    /// Loads and checks the scenario and its targets.
    /// - Parameters:
    ///   - scenarioPath: the scenario file.
    ///   - runSeconds: the run's length when it differs from the scenario's `duration`.
    init(scenarioPath: String, runSeconds: Double? = nil) throws {
        self.runSeconds = runSeconds
        do {
            scenario = try ScenarioLoader().load(path: scenarioPath)
        } catch {
            throw EvalError("scenario \(scenarioPath): \(error)")
        }
        self.scenarioPath = scenarioPath
        var targets: [TargetSpec] = []
        for (i, target) in scenario.targets.enumerated() {
            guard let kpi = target.kpi else { continue }
            do {
                targets.append(
                    try KPICatalogue.target(
                        kpi: kpi, type: target.type, comparison: target.comparison, threshold: target.threshold,
                        gate: target.gate, reliability: target.reliability, confidence: target.confidence,
                        baseline: target.baseline))
            } catch {
                throw EvalError("\(scenarioPath):\(target.line.map { "\($0)" } ?? "?"): targets[\(i)]: \(error)")
            }
            let options =
                ["patrol_coverage": ["interval"], "jit_window_adherence": ["early", "late"]][kpi] ?? []
            if kpi == "human_proximity_violations", let text = target.raw["distance"] {
                guard let metres = Double(text.hasSuffix("m") ? String(text.dropLast()) : text), metres > 0,
                    metres.isFinite
                else {
                    throw EvalError(
                        "\(scenarioPath):\(target.line.map { "\($0)" } ?? "?"): targets[\(i)].distance: expected a "
                            + "distance in metres such as 0.5 or 0.5m, got '\(text)'")
                }
            }
            for key in options {
                guard let text = target.raw[key] else { continue }
                guard let value = ScenarioLoader.parseDuration(text), value > 0 || key != "interval" else {
                    throw EvalError(
                        "\(scenarioPath):\(target.line.map { "\($0)" } ?? "?"): targets[\(i)].\(key): expected a "
                            + "duration such as 1h, 30m or 600s, got '\(text)'")
                }
            }
        }
        self.targets = targets
    }

    /// The settings from the scenario: run start and length, warm-up and cool-down, its residents (medication
    /// deliveries are handovers to them), and the options some targets carry: `interval` of `patrol_coverage`
    /// (Δ), `early` and `late` of `jit_window_adherence` (the window around the due time), as durations.
    /// A run shortened with `--duration` to less than twice the warm-up plus cool-down gets each cut to a quarter
    /// of the run (``shortenedWindowNote`` says so), so that half of it is still evaluated.
    var settings: EvaluationSettings {
        let run = runSeconds ?? scenario.duration
        var warmup = scenario.evaluation.warmup
        var cooldown = scenario.evaluation.cooldown
        if runSeconds != nil, warmup + cooldown > run / 2 {
            warmup = min(warmup, run / 4)
            cooldown = min(cooldown, run / 4)
        }
        var settings = EvaluationSettings(
            warmup: warmup, cooldown: cooldown, runStart: scenario.start, runSeconds: run, seed: scenario.seed)
        for group in scenario.people where group.role == .resident {
            settings.residents.formUnion(group.personIDs.map(\.rawValue))
        }
        for target in scenario.targets {
            func seconds(_ key: String) -> Double? { target.raw[key].flatMap(ScenarioLoader.parseDuration) }
            switch target.kpi {
            case "patrol_coverage": settings.patrolInterval = seconds("interval") ?? settings.patrolInterval
            case "human_proximity_violations":
                if let text = target.raw["distance"],
                    let metres = Double(text.hasSuffix("m") ? String(text.dropLast()) : text)
                {
                    settings.proximitySeparation = metres
                }
            case "jit_window_adherence":
                settings.jitEarly = seconds("early") ?? settings.jitEarly
                settings.jitLate = seconds("late") ?? settings.jitLate
            default: break
            }
        }
        return settings
    }

    /// What ``settings`` did to the scenario's warm-up and cool-down for a shortened run, if anything.
    var shortenedWindowNote: String? {
        let s = settings
        guard s.warmup != scenario.evaluation.warmup || s.cooldown != scenario.evaluation.cooldown else { return nil }
        return "the run is \(Int(s.runSeconds ?? 0)) s long: warm-up and cool-down cut to \(Int(s.warmup)) s and "
            + "\(Int(s.cooldown)) s (the scenario's \(Int(scenario.evaluation.warmup)) s and "
            + "\(Int(scenario.evaluation.cooldown)) s would leave too little of it)"
    }

    /// The journal file of a run: the path itself, or `journal.sqlite` / `journal.jsonl` in a run folder.
    static func journalPath(_ path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw EvalError("no such journal or run folder: \(path)")
        }
        guard isDirectory.boolValue else { return path }
        for name in ["journal.sqlite", "journal.jsonl"] {
            let candidate = (path as NSString).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        throw EvalError("\(path) holds no journal.sqlite or journal.jsonl")
    }

    /// Reads and evaluates one journal, with progress on standard error.
    func evaluate(journal path: String, quiet: Bool) throws -> RunEvaluation {
        let file = try Self.journalPath(path)
        if !quiet { progress("reading \(file)") }
        let read: JournalReader.Result
        do {
            read = try JournalReader.read(path: file)
        } catch {
            throw EvalError("journal \(file): \(error)")
        }
        if read.records.isEmpty {
            let detail = read.problems.first.map { " (first problem: \($0))" } ?? ""
            throw EvalError("journal \(file): no readable records\(detail)")
        }
        if !quiet {
            progress("\(read.records.count) records (\(read.undecodable) undecodable); computing KPIs")
        }
        return RunEvaluation(records: read.records, undecodable: read.undecodable, targets: targets, settings: settings)
    }
}

/// A user-facing error: printed as `fleet-eval: message`, exit status 1.
struct EvalError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// Writes a progress line to standard error.
func progress(_ message: String) {
    FileHandle.standardError.write(Data("fleet-eval: \(message)\n".utf8))
}

/// Writes `text` to `path`, creating the folder.
func write(_ text: String, to path: String) throws {
    try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}
