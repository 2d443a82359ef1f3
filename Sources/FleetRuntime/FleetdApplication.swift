import FleetAPI
import FleetConfig
import FleetCore
import FleetStore
import Logging
import ServiceLifecycle

/// What the `fleetd` executable calls: resolves configuration file, scenario and flags into one configuration,
/// then runs the daemon in a ServiceGroup with SIGTERM/SIGINT graceful shutdown.
public enum FleetdApplication {
    /// The command-line overrides of the contract (`fleetd [--config FILE] [--scenario FILE] [--broker HOST:PORT]
    /// [--journal PATH] [--clock wall|sim] [--site ID]`).
    public struct Overrides: Sendable, Hashable {
        /// `--config FILE`.
        public var configPath: String?
        /// `--scenario FILE`: site layout, site id and fleet from the scenario.
        public var scenarioPath: String?
        /// `--broker HOST:PORT`.
        public var broker: String?
        /// `--journal PATH`.
        public var journalPath: String?
        /// `--clock wall|sim`.
        public var clock: String?
        /// `--site ID`.
        public var siteId: String?

        /// Creates overrides; `nil` keeps the file's value.
        public init(
            configPath: String? = nil, scenarioPath: String? = nil, broker: String? = nil, journalPath: String? = nil,
            clock: String? = nil, siteId: String? = nil
        ) {
            self.configPath = configPath
            self.scenarioPath = scenarioPath
            self.broker = broker
            self.journalPath = journalPath
            self.clock = clock
            self.siteId = siteId
        }
    }

    /// A resolved configuration and its site layout.
    public struct Resolved: Sendable {
        /// The configuration.
        public var configuration: FleetdConfiguration
        /// The validated site layout.
        public var layout: SiteLayout
    }

    /// Loads and merges: the configuration file (if given), then the scenario (site layout, site id, fleet, and
    /// timeouts raised to suit its state interval), then the flags.
    /// - Parameters:
    ///   - overrides: the flags.
    ///   - loader: the configuration loader (its environment supplies MQTT credentials).
    /// - Returns: the configuration and the validated site layout.
    /// - Throws: ``FleetConfig/ConfigError`` naming the file, line and field, or the flag.
    public static func resolve(_ overrides: Overrides, loader: FleetdConfigurationLoader = FleetdConfigurationLoader())
        throws(ConfigError) -> Resolved
    {
        guard overrides.configPath != nil || overrides.scenarioPath != nil else {
            throw .invalid(
                file: "(command line)", line: nil, field: "--config", reason: "give --config FILE or --scenario FILE")
        }
        var configuration = FleetdConfiguration(siteId: "", siteLayoutPath: "")
        if let path = overrides.configPath { configuration = try loader.load(path: path) }
        var layout: SiteLayout?
        if let path = overrides.scenarioPath {
            let scenario = try ScenarioLoader().load(path: path)
            apply(scenario, to: &configuration)
            layout = scenario.site
        }
        if let site = overrides.siteId {
            guard !site.isEmpty, !site.contains(where: { "/+#$ ".contains($0) }) else {
                throw .invalid(
                    file: "(command line)", line: nil, field: "--site", reason: "'\(site)' is not a topic level")
            }
            configuration.siteId = site
        }
        if let broker = overrides.broker {
            let parts = broker.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, let port = Int(parts[1]), (1...65535).contains(port) else {
                throw .invalid(
                    file: "(command line)", line: nil, field: "--broker", reason: "'\(broker)' is not HOST:PORT")
            }
            configuration.broker.host = String(parts[0])
            configuration.broker.port = port
        }
        if let journal = overrides.journalPath { configuration.journalPath = journal }
        if let clock = overrides.clock {
            guard let mode = FleetdConfiguration.Clock(rawValue: clock) else {
                throw .invalid(
                    file: "(command line)", line: nil, field: "--clock", reason: "'\(clock)' is not wall or sim")
            }
            configuration.clock = mode
        }
        if let layout { return Resolved(configuration: configuration, layout: layout) }
        return Resolved(
            configuration: configuration, layout: try SiteLayoutLoader().load(path: configuration.siteLayoutPath))
    }

    /// Takes the site id, layout path, fleet, the settings of its `coordinator:` section (confirmation and
    /// escalation timeouts, nurse station) and (when it names one) allocation policy from a scenario, and raises
    /// the state and acknowledgement timeouts to 4× and 2× its state interval (a robot that reports every 15 s must
    /// not count as lost after 10 s).
    /// - Parameters:
    ///   - scenario: the loaded scenario.
    ///   - configuration: the configuration to change.
    public static func apply(_ scenario: Scenario, to configuration: inout FleetdConfiguration) {
        configuration.siteId = scenario.siteId
        configuration.siteLayoutPath = scenario.sitePath
        configuration.fleet = scenario.fleet.map { entry in
            FleetdConfiguration.FleetEntry(
                type: entry.type, manufacturer: entry.manufacturer, serialPrefix: entry.serialPrefix,
                count: entry.count,
                capabilities: Set(entry.capabilities), maxPayloadKg: entry.maxPayloadKg, maxSpeed: entry.maxSpeed,
                batteryPercentPerMetre: entry.batteryPercentPerMetre, allowedZones: entry.allowedZones,
                taskKinds: entry.taskKinds)
        }
        var coordinator = configuration.coordinator
        coordinator.stateTimeout = max(coordinator.stateTimeout, 4 * scenario.stateInterval)
        coordinator.dispatchAcknowledgementTimeout = max(
            coordinator.dispatchAcknowledgementTimeout, 2 * scenario.stateInterval)
        if let policy = scenario.allocationPolicy { coordinator.allocationPolicy = policy }
        if let interval = scenario.allocationMinimumInterval { coordinator.allocationMinimumInterval = interval }
        scenario.coordinator.apply(to: &coordinator)
        configuration.coordinator = coordinator
    }

    /// Opens the journal, runs the daemon until SIGTERM/SIGINT, closes the journal.
    /// - Parameters:
    ///   - resolved: the resolved configuration and layout.
    ///   - logger: the logger.
    ///   - onReady: called once subscribed (`fleetd` prints `fleetd ready`).
    /// - Returns: the counters at shutdown.
    /// - Throws: `JournalError` if the journal cannot be opened, `MQTTError` if the broker cannot be reached.
    @discardableResult
    public static func run(
        _ resolved: Resolved, logger: Logger, onReady: @escaping @Sendable () -> Void
    ) async throws -> RuntimeCounters {
        let configuration = resolved.configuration
        let layout = resolved.layout
        let journal = try SQLiteJournal(
            path: configuration.journalPath,
            options: SQLiteJournal.Options(synchronous: configuration.journalSynchronous == .full ? .full : .normal))
        defer { journal.close() }
        let metrics = APIMetrics()
        let hub = EventHub(metrics: metrics)
        let service = FleetdService(
            configuration: configuration, layout: layout, journal: ObservedJournal(journal, metrics: metrics, hub: hub),
            logger: logger, onReady: onReady)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: service)]
        if configuration.api.enabled {
            services.append(
                .init(
                    service: OperatorAPIService(
                        configuration: configuration.api, daemon: service, metrics: metrics, hub: hub, logger: logger)))
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        return service.counters
    }
}
