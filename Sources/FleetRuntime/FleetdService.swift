import FleetConfig
import FleetCore
import FleetMQTT
import FleetStore
import Logging
import ServiceLifecycle
import Synchronization
import VDA5050

/// The coordinator daemon as a ServiceLifecycle `Service`: MQTT ingress, the ``CoordinatorShell``, and the
/// timer loop.
///
/// `run()` connects, replays the journal, subscribes (`{iface}/v2/+/+/state|connection|factsheet`, task request,
/// cancel and confirm, people's devices' `people/+/{kind}`, and the clock with `--clock sim`), resumes the coordinator, calls `onReady`, and serves until
/// graceful shutdown (or cancellation): then it stops the shell, disconnects (which ends the ingress) and logs the
/// counters. The journal belongs to the caller, who closes it after `run()` returns.
public final class FleetdService: Service, Sendable {
    /// How often the timer loop checks for due timers and the simulated clock's first sample (wall time).
    public static let tickInterval = Duration.milliseconds(10)

    private let configuration: FleetdConfiguration
    private let layout: SiteLayout
    private let journal: any Journal
    private let logger: Logger
    private let onReady: @Sendable () -> Void
    private let statistics = RuntimeStatistics()
    private let ready = Atomic<Bool>(false)
    private let shellBox = Mutex<CoordinatorShell?>(nil)

    /// Creates the service.
    /// - Parameters:
    ///   - configuration: the daemon configuration (broker, site, fleet, clock, limits).
    ///   - layout: the validated site layout.
    ///   - journal: the open journal; replayed on start, appended to while running.
    ///   - logger: the logger.
    ///   - onReady: called once subscribed and resumed (`fleetd` prints `fleetd ready`).
    public init(
        configuration: FleetdConfiguration, layout: SiteLayout, journal: any Journal, logger: Logger,
        onReady: @escaping @Sendable () -> Void = {}
    ) {
        self.configuration = configuration
        self.layout = layout
        self.journal = journal
        self.logger = logger
        self.onReady = onReady
    }

    /// What the daemon received, refused and sent so far.
    public var counters: RuntimeCounters { statistics.snapshot }

    /// Whether the daemon is subscribed and serving.
    public var isReady: Bool { ready.load(ordering: .acquiring) }

    /// The coordinator shell, once `run()` created it.
    public var shell: CoordinatorShell? { shellBox.withLock { $0 } }

    /// Runs until graceful shutdown or cancellation.
    /// - Throws: `InsecureBrokerError` for plain TCP to a broker on another machine (unless
    ///   `broker.allowInsecure`), `MQTTError` if the broker cannot be reached or refuses a subscription,
    ///   `JournalError` or ``JournalCodec/DecodeError`` if the journal cannot be replayed.
    public func run() async throws {
        let config = configuration
        let topics = FleetTopics(site: config.siteId)
        let clock = FleetClock(mode: config.clock == .sim ? .sim : .wall)
        let broker = config.broker
        if let refusal = broker.transportProblem { throw refusal }
        if broker.tls == nil && broker.allowInsecure && !BrokerTransportPolicy.isLoopback(broker.host) {
            logger.warning("broker \(broker.host):\(broker.port) is on another machine and TLS is off (allowInsecure)")
        }
        let client = try MQTTClient(configuration: Self.mqttConfiguration(broker), logger: logger)
        try await client.connect()
        logger.info(
            "connected to broker \(broker.host):\(broker.port)",
            metadata: ["site": "\(config.siteId)", "tls": "\(broker.tls != nil)", "user": "\(broker.username ?? "-")"])
        let shell = CoordinatorShell(
            coordinator: Coordinator(
                layout: layout, configuration: config.coordinator,
                policy: config.coordinator.allocationPolicy.makePolicy()),
            journal: journal,
            publisher: client, topics: topics, interfaceName: config.interfaceName, fleet: config.robots, clock: clock,
            statistics: statistics, logger: logger)
        shellBox.withLock { $0 = shell }
        do {
            try await shell.start()
            for filter in VDA5050TopicName.coordinatorFilters(interfaceName: config.interfaceName) {
                try await client.subscribe(filter, qos: filter.hasSuffix("/connection") ? .atLeastOnce : .atMostOnce)
            }
            try await client.subscribe(topics.taskRequest, qos: .atLeastOnce)
            try await client.subscribe(topics.taskCancel, qos: .atLeastOnce)
            try await client.subscribe(topics.taskConfirmFilter, qos: .atLeastOnce)
            for filter in topics.peopleFilters { try await client.subscribe(filter, qos: .atLeastOnce) }
            if clock.mode == .sim { try await client.subscribe(topics.clock, qos: .atMostOnce) }
        } catch {
            await client.disconnect()
            throw error
        }
        if let now = clock.now() { await shell.activate(now: now) }
        let decoder = IngressDecoder(
            topics: topics, interfaceName: config.interfaceName, fleet: Set(config.robots.map(\.id)),
            maxPayloadBytes: config.maxPayloadBytes, clock: clock,
            clockJumpLimit: config.coordinator.stateTimeout / 2, statistics: statistics, logger: logger)
        let fatal: String? = await withTaskGroup(of: Void.self) { group in
            group.addTask { await Self.ingest(client: client, decoder: decoder, shell: shell) }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.tickInterval)
                    await shell.tick()
                }
            }
            ready.store(true, ordering: .releasing)
            logger.info(
                "serving site \(config.siteId): \(config.robots.count) robots, clock \(config.clock.rawValue)",
                metadata: ["journal.path": "\(journal.path)"])
            onReady()
            let fatal = await Self.waitForShutdownOrFailure(of: shell)
            // Disconnect first: the broker keeps the persistent session and queues new task requests for the next
            // start. Then everything already received (and acknowledged to its sender) is drained into the shell
            // and journaled before the shell stops, so a graceful stop loses no request.
            logger.info("shutting down: draining the coordinator")
            await client.disconnect()
            await group.next()  // the ingest task ends once the inbox is empty
            await shell.stop()
            group.cancelAll()
            return fatal
        }
        ready.store(false, ordering: .releasing)
        logger.info("stopped; counters: \(statistics.snapshot)")
        if let fatal { throw FleetdStopped(reason: fatal) }
    }

    /// Waits for the service group's graceful shutdown, or for the shell to stop itself (a journal failure).
    /// - Returns: the shell's failure, or `nil` on a graceful shutdown.
    private static func waitForShutdownOrFailure(of shell: CoordinatorShell) async -> String? {
        await withTaskGroup(of: String?.self) { waiters in
            waiters.addTask {
                try? await gracefulShutdown()
                return nil
            }
            waiters.addTask {
                while !Task.isCancelled {
                    if let failure = await shell.fatalFailure { return failure }
                    try? await Task.sleep(for: .milliseconds(200))
                }
                return nil
            }
            let first = await waiters.next() ?? nil
            waiters.cancelAll()
            return first
        }
    }

    /// The MQTT client settings of the daemon's broker connection (credentials and TLS included).
    /// - Parameter broker: The configured broker.
    /// - Returns: The client configuration.
    public static func mqttConfiguration(_ broker: FleetdConfiguration.Broker) -> MQTTConfiguration {
        MQTTConfiguration(
            host: broker.host, port: broker.port, clientID: broker.clientId, keepAlive: broker.keepAliveSeconds,
            cleanSession: !broker.persistentSession, username: broker.username, password: broker.password,
            tls: broker.tls.map { tls in
                MQTTTLSConfiguration(
                    caFile: tls.caFile, certFile: tls.certFile, keyFile: tls.keyFile,
                    verifyHostname: tls.verifyHostname)
            })
    }

    private static func ingest(client: MQTTClient, decoder: IngressDecoder, shell: CoordinatorShell) async {
        var decoder = decoder
        var iterator = client.messages.makeAsyncIterator()
        // The batch array and its payloads go back to the client for the next batch (nothing decoded keeps a
        // payload), so a busy ingest allocates no message buffers once warmed up.
        var batch: [MQTTMessage] = []
        while await iterator.nextBatch(into: &batch) {
            var inputs: [ShellInput] = []
            inputs.reserveCapacity(batch.count)
            for message in batch { decoder.decode(message, into: &inputs) }
            if !inputs.isEmpty { await shell.submit(inputs) }
        }
    }
}

/// fleetd stopped itself because it could not keep its journal: the process exits with an error (a service
/// manager restarts it, and the restart rebuilds the state from the journal).
public struct FleetdStopped: Error, CustomStringConvertible {
    /// What went wrong.
    public var reason: String
    /// The reason, prefixed.
    public var description: String { "fleetd stopped: \(reason)" }
}
