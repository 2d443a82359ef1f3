import ArgumentParser
import FleetConfig
import FleetSim
import Foundation
import Logging

/// `fleet-sim`: simulated VDA 5050 vehicles and the demand generator of a scenario, over a real broker.
@main
struct FleetSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet-sim",
        abstract: "Simulated VDA 5050 vehicles, the simulation clock and the demand generator of a scenario.",
        discussion: """
            Publishes the clock on fleetpilot/v1/{site}/clock, task requests on fleetpilot/v1/{site}/tasks/request \
            and follows fleetpilot/v1/{site}/tasks/+/status. After the duration it drains until every task it \
            requested has a terminal status, then exits 0 (1 when the drain timed out; 2 on bad flags or files). \
            Broker credentials and TLS come from --mqtt-settings FILE or FLEETSIM_MQTT_* variables, never from \
            flags; plain TCP to a broker on another machine is refused unless FLEETSIM_MQTT_ALLOW_INSECURE=true.
            """)

    @Option(help: "The scenario file (YAML).")
    var scenario: String

    @Option(help: "The MQTT broker as HOST:PORT.")
    var broker = "127.0.0.1:1883"

    @Option(
        name: .customLong("mqtt-settings"),
        help: """
            A KEY=VALUE file with broker credentials and TLS files (FLEETSIM_MQTT_USERNAME, _PASSWORD, _CA_FILE, \
            _CERT_FILE, _KEY_FILE, _ALLOW_INSECURE, _VEHICLE_CREDENTIALS); the same variables in the environment win.
            """)
    var mqttSettings: String?

    @Option(name: .customLong("time-scale"), help: "Simulated seconds per wall second (default: the scenario's).")
    var timeScale: Double?

    @Option(help: "Simulated length of demand, e.g. 8h, 30m, 600s, 1h30m (default: the scenario's).")
    var duration: String?

    @Option(help: "Number of robots (default: the scenario's fleet).")
    var robots: Int?

    @Option(help: "Random seed (default: the scenario's).")
    var seed: UInt64?

    @Flag(name: .customLong("no-demand"), help: "Do not generate tasks; only simulate the vehicles.")
    var noDemand = false

    @Option(name: .customLong("drain-timeout"), help: "Wall seconds to wait for open tasks after the duration.")
    var drainTimeout: Double = 120

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func validate() throws {
        if let timeScale, !(timeScale > 0 && timeScale.isFinite) {
            throw ValidationError("--time-scale must be a positive number, got \(timeScale)")
        }
        if let duration, (ScenarioLoader.parseDuration(duration) ?? 0) <= 0 {
            throw ValidationError("--duration '\(duration)' is not a duration such as 8h, 30m, 600s or 1h30m")
        }
        if let robots, robots < 1 { throw ValidationError("--robots must be at least 1, got \(robots)") }
        if !(drainTimeout >= 0) { throw ValidationError("--drain-timeout must not be negative") }
        if Logger.Level(rawValue: logLevel) == nil { throw ValidationError("--log-level '\(logLevel)' is unknown") }
        _ = try Self.parseBroker(broker)
    }

    static func parseBroker(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65535).contains(port), colon != text.startIndex
        else { throw ValidationError("--broker '\(text)' is not HOST:PORT, e.g. 127.0.0.1:1883") }
        return (String(text[..<colon]), port)
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "fleet-sim")
        let loaded: Scenario
        do {
            loaded = try ScenarioLoader().load(path: scenario)
        } catch {
            FileHandle.standardError.write(Data("fleet-sim: \(error)\n".utf8))
            throw ExitCode(2)
        }
        var options = FleetSimOptions(scenario: loaded)
        (options.host, options.port) = try Self.parseBroker(broker)
        do {
            options.brokerSettings = try SimBrokerSettings.load(
                file: mqttSettings, environment: ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write(Data("fleet-sim: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if let refusal = options.brokerSettings.transportProblem(host: options.host, port: options.port) {
            FileHandle.standardError.write(Data("fleet-sim: \(refusal)\n".utf8))
            throw ExitCode(2)
        }
        if let timeScale { options.timeScale = timeScale }
        if let duration { options.duration = ScenarioLoader.parseDuration(duration) ?? options.duration }
        options.robots = robots
        if let seed { options.seed = seed }
        options.demand = !noDemand
        options.drainTimeout = drainTimeout
        let simulation = FleetSimulation(options: options, logger: logger)
        let signals = SignalHandler { simulation.stop() }
        defer { signals.cancel() }
        let report: FleetSimReport
        do {
            report = try await simulation.run { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
        } catch {
            FileHandle.standardError.write(Data("fleet-sim: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let rate = report.wallSeconds > 0 ? Double(report.messagesPublished) / report.wallSeconds : 0
        logger.info(
            "fleet-sim finished",
            metadata: [
                "requested": "\(report.requested)", "completed": "\(report.completed)", "failed": "\(report.failed)",
                "cancelled": "\(report.cancelled)", "rejected": "\(report.rejected)",
                "conflicts": "\(report.conflicts)",
                "wall.seconds": "\(Int(report.wallSeconds.rounded()))",
                "messages.published": "\(report.messagesPublished)",
                "messages.per.second": "\(Int(rate.rounded()))", "orders.rejected": "\(report.rejectedOrders)",
                "calls": "\(report.calls)", "falls": "\(report.falls)", "fault.steps": "\(report.faultSteps)",
                "messages.lost": "\(report.lostMessages)",
            ])
        if report.drainTimedOut {
            FileHandle.standardError.write(
                Data(
                    ("fleet-sim: drain timed out; open tasks: \(report.openIds.joined(separator: " "))"
                        + "; open calls and alerts: \(report.openAlerts.joined(separator: " "))\n").utf8))
            throw ExitCode(1)
        }
    }
}

/// SIGINT and SIGTERM call `action` (once each signal) instead of killing the process.
final class SignalHandler {
    private let sources: [any DispatchSourceSignal]

    init(_ action: @escaping @Sendable () -> Void) {
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: action)
            source.resume()
            return source
        }
    }

    func cancel() { sources.forEach { $0.cancel() } }
}
