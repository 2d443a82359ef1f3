import ArgumentParser
import FleetConfig
import Foundation

/// `fleetctl pilot SCENARIO`: runs a scenario end to end and leaves the results in a folder.
struct Pilot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scenario end to end: broker, fleetd, fleet-sim, traffic capture, summary, evaluation.",
        discussion: """
            Leaves in the results folder: journal.sqlite, journal.jsonl, traffic.log (every MQTT message, \
            `mosquitto_sub -v` format), summary.json, fleetd.log, fleet-sim.log, mosquitto.log, and the \
            evaluation against the scenario's targets in evaluation/report.{json,md,html}. Exits non-zero if the \
            run did not finish with every task accounted for.
            """
    )

    @Argument(help: "The scenario file (YAML), e.g. Configs/scenarios/factory-default.yaml.")
    var scenario: String

    @Option(help: "The results folder (default: runs/<scenario>-<yyyyMMdd-HHmmss>).")
    var out: String?

    @Option(help: "Use this broker (HOST:PORT) instead of starting a private mosquitto.")
    var broker: String?

    @Option(name: .customLong("time-scale"), help: "Simulated seconds per wall second (passed to fleet-sim).")
    var timeScale: Double?

    @Option(help: "Simulated length, e.g. 8h, 30m, 600s (passed to fleet-sim).")
    var duration: String?

    @Option(help: "Number of simulated robots (passed to fleet-sim).")
    var robots: Int?

    func validate() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: scenario, isDirectory: &isDirectory), !isDirectory.boolValue
        else {
            throw ValidationError("scenario file '\(scenario)' does not exist")
        }
        if let broker, BrokerAddress(broker) == nil {
            throw ValidationError("--broker '\(broker)' is not HOST:PORT (e.g. 127.0.0.1:1883)")
        }
        if let timeScale, !(timeScale.isFinite && timeScale > 0) {
            throw ValidationError("--time-scale must be a positive number, not \(timeScale)")
        }
        // The same parser as fleet-sim's and fleet-eval's, so a duration refused there is refused before anything starts.
        if let duration, (ScenarioLoader.parseDuration(duration) ?? 0) <= 0 {
            throw ValidationError("--duration '\(duration)' is not a positive duration like 8h, 30m, 1h30m or 600s")
        }
        if let robots, robots < 1 {
            throw ValidationError("--robots must be at least 1, not \(robots)")
        }
        let problems = ScenarioCheck.problems(path: scenario, robots: robots)
        if !problems.isEmpty {
            throw ValidationError("the scenario cannot run:\n" + problems.joined(separator: "\n"))
        }
    }

    func run() async throws {
        ChildRegistry.shared.installSignalHandlers()
        let scenarioURL = URL(fileURLWithPath: scenario).standardizedFileURL
        let name = ScenarioName.read(from: scenarioURL)
        let directory = URL(fileURLWithPath: out ?? "runs/\(name)-\(Self.timestamp())").standardizedFileURL
        var passThrough: [String] = []
        if let timeScale { passThrough += ["--time-scale", String(timeScale)] }
        if let duration { passThrough += ["--duration", duration] }
        if let robots { passThrough += ["--robots", String(robots)] }
        let run = PilotRun(
            scenario: scenarioURL, scenarioName: name, directory: directory, broker: broker.flatMap(BrokerAddress.init),
            simulatorArguments: passThrough)
        let outcome: PilotRun.Outcome
        do {
            outcome = try await run.execute()
        } catch {
            // A Ctrl-C stops the children; their exits are not the run's failure: the handler exits with 130.
            while ChildRegistry.shared.isStopping { try? await Task.sleep(for: .milliseconds(50)) }
            ChildRegistry.shared.killAll(grace: .seconds(3))
            printError("fleetctl pilot: \(error)")
            printError("results (incomplete): \(directory.path)")
            throw ExitCode(2)
        }
        print(outcome.table, terminator: "")
        await Self.evaluate(directory: directory, scenario: scenarioURL, duration: duration)
        print("results: \(directory.path)")
        if !outcome.problems.isEmpty {
            for problem in outcome.problems { printError("fleetctl pilot: \(problem)") }
            throw ExitCode(1)
        }
    }

    /// Runs `fleet-eval evaluate` on the finished run (KPIs with confidence intervals and verdicts against the
    /// scenario's targets) into `DIR/evaluation/`, and prints its table. The pilot's own exit status does not
    /// depend on the verdict: a missing or failing evaluator is reported, not fatal.
    private static func evaluate(directory: URL, scenario: URL, duration: String?) async {
        let evaluator: String
        do {
            evaluator = try Executables.fleetProgram("fleet-eval")
        } catch {
            printError("fleetctl pilot: no evaluation: \(error)")
            return
        }
        let reports = directory.appendingPathComponent("evaluation").path
        let log = directory.appendingPathComponent("fleet-eval.log").path
        do {
            try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
            let process = try SpawnedProcess(
                name: "fleet-eval", path: evaluator,
                arguments: [
                    "evaluate", "--journal", directory.path, "--scenario", scenario.path, "--out", reports, "--quiet",
                ] + (duration.map { ["--duration", $0] } ?? []),
                output: .file(log))
            let status = await process.waitForExit(timeout: .seconds(300))
            if status == nil { await process.stop(grace: .seconds(2)) }
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if status == 0 {
                print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
            } else {
                printError(
                    "fleetctl pilot: the evaluator failed (status \(status.map(String.init) ?? "timeout")); see \(log)")
            }
        } catch {
            printError("fleetctl pilot: no evaluation: \(error)")
        }
    }

    private static func timestamp() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: Date())
    }
}

/// `HOST:PORT` of a broker.
struct BrokerAddress: Sendable {
    /// The host name or address.
    var host: String
    /// The port.
    var port: Int

    /// Parses `HOST:PORT`; `nil` when malformed.
    init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65535).contains(port), colon > text.startIndex
        else { return nil }
        host = String(text[..<colon])
        self.port = port
    }

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port`.
    var text: String { "\(host):\(port)" }
}
