import FleetAPI
import FleetConfig
import FleetCore
import Hummingbird
import Logging
import ServiceLifecycle

/// The operator API as a ServiceLifecycle `Service` beside ``FleetdService`` in fleetd's ServiceGroup: serves
/// ``FleetAPI/OperatorAPI`` on the configured address until graceful shutdown, then ends the open event streams
/// so the HTTP server can drain.
public final class OperatorAPIService: Service, Sendable {
    /// The API (routes, metrics, event hub).
    public let api: OperatorAPI
    private let logger: Logger

    /// Creates the service.
    /// - Parameters:
    ///   - configuration: the `api` section.
    ///   - daemon: the coordinator service the API operates on.
    ///   - metrics: the metrics (also fed by the ``ObservedJournal``).
    ///   - hub: the event hub (fed by the ``ObservedJournal``).
    ///   - logger: the logger.
    public init(
        configuration: FleetdConfiguration.API, daemon: FleetdService, metrics: APIMetrics, hub: EventHub,
        logger: Logger
    ) {
        let tokens = configuration.tokens.compactMap { token in
            APIRole(rawValue: token.role).map { APIToken(name: token.name, role: $0, secret: token.secret) }
        }
        self.api = OperatorAPI(
            configuration: .init(host: configuration.host, port: configuration.port, tokens: tokens),
            operations: DaemonOperations(daemon: daemon), metrics: metrics, hub: hub)
        self.logger = logger
    }

    /// Serves until graceful shutdown.
    /// - Throws: if the address cannot be bound.
    public func run() async throws {
        let hub = api.hub
        let configuration = api.configuration
        let application = api.buildApplication(logger: logger)
        logger.info(
            "operator API on http://\(configuration.host):\(configuration.port) (\(configuration.tokens.count) tokens)")
        if configuration.tokens.isEmpty {
            logger.warning("api.tokens is empty: every /v1 route will answer 401 (only /healthz and /readyz are open)")
        }
        try await withGracefulShutdownHandler {
            try await application.runService()
        } onGracefulShutdown: {
            hub.finishAll()
        }
    }
}

/// ``FleetAPI/FleetOperations`` over the running daemon: snapshots and commands go through the coordinator shell,
/// so they are serialised with every other input and journaled the same way.
struct DaemonOperations: FleetOperations {
    let daemon: FleetdService

    private func shell() throws(OperationError) -> CoordinatorShell {
        guard let shell = daemon.shell else {
            throw .notReady("fleetd is starting: the coordinator is not running yet; retry in a moment")
        }
        return shell
    }

    func snapshot() async throws(OperationError) -> FleetSnapshot {
        let shell = try shell()
        return FleetSnapshot(coordinator: await shell.coordinator, now: await shell.now)
    }

    func submit(_ request: TaskRequest) async throws(OperationError) -> TransportTask? {
        let shell = try shell()
        await shell.submit([.event(.taskRequested(request))])
        return await shell.coordinator.tasks[request.id]
    }

    func cancel(_ id: TaskID, actor: String, reason: String) async throws(OperationError) -> TransportTask {
        let shell = try shell()
        guard let task = await shell.coordinator.tasks[id] else {
            throw .notFound("no task '\(id)'; GET /v1/tasks lists the known tasks")
        }
        guard !task.state.isTerminal else {
            throw .conflict("task '\(id)' is already \(task.state.rawValue); only unfinished tasks can be cancelled")
        }
        let detail = "cancelled by '\(actor)'" + (reason.isEmpty ? "" : ": \(reason)")
        await shell.submit([.event(.taskCancelRequested(id, .operatorRequest, detail: detail))])
        guard let after = await shell.coordinator.tasks[id], after.state == .cancelled else {
            throw .failed("the coordinator did not cancel task '\(id)' (its journal may have failed; see fleetd's log)")
        }
        return after
    }

    func confirm(_ id: TaskID, person: String, actor: String) async throws(OperationError) -> TransportTask {
        let shell = try shell()
        guard await shell.coordinator.tasks[id] != nil else {
            throw .notFound("no task '\(id)'; GET /v1/tasks lists the known tasks")
        }
        if let refusal = await shell.confirm(id, person: person, actor: actor) { throw .conflict(refusal) }
        guard let after = await shell.coordinator.tasks[id] else { throw .notFound("task '\(id)' is gone") }
        return after
    }

    func setPaused(_ robot: RobotID, paused: Bool, actor: String) async throws(OperationError) {
        let shell = try shell()
        do {
            try await shell.setPaused(robot, paused: paused, actor: actor)
        } catch {
            throw .failed("the pause command for \(robot) was not carried out (journal or broker): \(error)")
        }
    }

    func zoneCommand(_ command: ZoneCommand, actor: String) async throws(OperationError) {
        let shell = try shell()
        if let refusal = await shell.zoneCommand(command, actor: actor) { throw .conflict(refusal) }
    }

    func setMaintenance(_ robot: RobotID, active: Bool, actor: String, reason: String) async throws(OperationError) {
        let shell = try shell()
        guard await shell.coordinator.robots[robot] != nil else {
            throw .notFound("no robot '\(robot)' in this fleet; GET /v1/robots lists the configured robots")
        }
        do {
            try await shell.setMaintenance(robot, active: active, actor: actor, reason: reason)
        } catch {
            throw .failed("the maintenance command for \(robot) was not recorded: \(error)")
        }
    }

    var isReady: Bool { daemon.isReady }

    var traffic: TrafficCounters {
        let c = daemon.counters
        var t = TrafficCounters()
        t.mqttIn =
            c.states + c.connections + c.factsheets + c.taskRequests + c.cancelRequests + c.confirmations
            + c.clockSamples
            + c.invalidMessages + c.invalidFactsheets + c.malformedRequests + c.unknownRobotMessages
            + c.oversizedPayloads + c.badTopics
        t.mqttOut = c.ordersPublished + c.instantActionsPublished + c.statusesPublished + c.journalRecords
        t.mqttDropped = c.oversizedPayloads + c.unknownRobotMessages + c.badTopics + c.publishFailures
        t.mqttInvalid = c.invalidMessages + c.invalidFactsheets + c.malformedRequests
        t.journalRecords = c.journalRecords
        t.journalFailures = c.journalFailures
        return t
    }
}
