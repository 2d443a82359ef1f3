import ArgumentParser
import FleetRuntime
import Foundation
import Logging

/// `fleetd`: the FleetPilot coordinator daemon (contract: README, "Programs and their flags").
@main
struct Fleetd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleetd",
        abstract: "FleetPilot coordinator: VDA 5050 fleet over MQTT, tasks, journal.",
        discussion: """
            Configuration from YAML (Configs/fleetd.yaml documents every key); --scenario takes the site layout, \
            site id and fleet from a scenario file instead. Flags override the file. MQTT credentials come from the \
            file or FLEETD_MQTT_USERNAME / FLEETD_MQTT_PASSWORD, never from flags. Log level: FLEETD_LOG_LEVEL \
            (trace, debug, info, notice, warning, error, critical; default info). Prints 'fleetd ready' on stderr \
            once subscribed; SIGTERM/SIGINT stop it gracefully (exit 0). Exit 2: bad flags or configuration.
            """)

    @Option(help: "The fleetd configuration file (YAML).")
    var config: String?

    @Option(help: "A scenario file: site layout, site id and fleet come from it.")
    var scenario: String?

    @Option(help: "The MQTT broker as HOST:PORT.")
    var broker: String?

    @Option(help: "The SQLite journal file.")
    var journal: String?

    @Option(help: "wall (the machine's clock) or sim (follow fleetpilot/v1/{site}/clock).")
    var clock: String?

    @Option(help: "The site id (topic level of fleetpilot/v1/{site}/...).")
    var site: String?

    func run() async throws {
        let overrides = FleetdApplication.Overrides(
            configPath: config, scenarioPath: scenario, broker: broker, journalPath: journal, clock: clock,
            siteId: site)
        let resolved: FleetdApplication.Resolved
        do {
            resolved = try FleetdApplication.resolve(overrides)
        } catch {
            Self.fail("\(error)")
        }
        // Refused at configuration time (exit 2, nothing opened): plain MQTT to a broker on another machine.
        if let refusal = resolved.configuration.broker.transportProblem { Self.fail("\(refusal)") }
        let level =
            ProcessInfo.processInfo.environment["FLEETD_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "fleetd")
        do {
            try await FleetdApplication.run(
                resolved, logger: logger,
                onReady: { FileHandle.standardError.write(Data("fleetd ready\n".utf8)) })
        } catch {
            logger.critical("fleetd stopped: \(error)")
            throw ExitCode(1)
        }
    }

    private static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("fleetd: \(message)\n".utf8))
        Foundation.exit(2)
    }
}
