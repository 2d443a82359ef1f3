import FleetCore
import FleetMQTT
import Logging
import Synchronization

/// Runs a scenario over a real broker: N simulated vehicles (each its own MQTT client), the simulation clock,
/// the demand generator, the scenario's people (their devices' messages go through the control client), injected
/// faults and the task tracker; after the duration it drains until every task has ended and no person owes fleetd
/// an answer.
///
/// ```swift
/// let simulation = FleetSimulation(options: FleetSimOptions(scenario: scenario), logger: logger)
/// let report = try await simulation.run { line in print(line) }
/// ```
public final class FleetSimulation: Sendable {
    /// The options of the run.
    public let options: FleetSimOptions
    private let logger: Logger
    private let stopRequested = Atomic<Bool>(false)

    /// Creates a simulation; nothing connects before ``run(progress:)``.
    public init(options: FleetSimOptions, logger: Logger = Logger(label: "fleetpilot.sim")) {
        self.options = options
        self.logger = logger
    }

    /// Asks a running simulation to stop gracefully (vehicles publish OFFLINE and disconnect).
    public func stop() { stopRequested.store(true, ordering: .relaxed) }

    /// Runs until the duration and the drain are over, or ``stop()``.
    /// - Parameter progress: Receives a progress line about every ``FleetSimOptions/progressInterval``.
    /// - Returns: The counts of the run; `openIds` lists the tasks without a terminal status.
    /// - Throws: ``MQTTError`` when the broker cannot be reached or refuses a subscription.
    public func run(progress: @Sendable (String) -> Void = { _ in }) async throws -> FleetSimReport {
        var run = SimRun(options: options, logger: logger)
        let inbox = SimInbox()
        let wallStart = ContinuousClock.now
        let settings = options.brokerSettings
        if let refusal = settings.transportProblem(host: options.host, port: options.port) { throw refusal }
        let control = try MQTTClient(
            configuration: MQTTConfiguration(
                host: options.host, port: options.port, clientID: "fleet-sim-\(run.topics.site)-control",
                username: settings.username, password: settings.password, tls: settings.mqttTLS),
            logger: logger)
        try await control.connect()
        let controlForwarder = inbox.forward(control, vehicle: nil)
        try await control.subscribe(run.topics.taskStatusFilter, qos: .atLeastOnce)
        if !run.people.people.isEmpty {
            try await control.subscribe(run.topics.peopleNotifyFilter, qos: .atLeastOnce)
        }
        var largestStep = 0.0
        func clock(running: Bool) {
            try? control.publish(
                topic: run.topics.clock,
                payload: SimTopics.clockPayload(
                    run.now, timeScale: options.timeScale, running: running,
                    maxStepMs: Int64((largestStep * 1000).rounded())),
                retain: true)
            largestStep = 0
            run.controlPublished += 1
        }
        func event(_ event: SimEvent) {
            try? control.publish(topic: run.topics.simEvents, payload: event.payload, qos: .atLeastOnce)
            run.controlPublished += 1
        }
        clock(running: true)
        for (i, vehicle) in run.vehicles.enumerated() {
            let link = try VehicleLink(
                id: vehicle.id, host: options.host, port: options.port, settings: settings, now: run.now,
                logger: logger)
            run.links.append(link)
            try await link.start(vehicle: vehicle, index: i, inbox: inbox, now: run.now)
            run.publishState(i)
        }
        logger.info("fleet-sim started", metadata: ["robots": "\(run.vehicles.count)", "site": "\(run.topics.site)"])
        var lastTick = ContinuousClock.now
        var lastClock = lastTick
        var lastProgress = lastTick
        var drainDeadline: ContinuousClock.Instant?
        var report = FleetSimReport()
        while true {
            try? await Task.sleep(until: lastTick + options.tick, clock: .continuous)
            let wall = ContinuousClock.now
            let elapsed = wall - lastTick
            lastTick = wall
            run.handle(inbox.drain())
            var dt = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            dt = min(dt, 0.5) * options.timeScale
            largestStep = max(largestStep, dt)
            for conflict in run.advance(by: dt) { event(conflict) }
            let outgoing = run.takeOutgoing()
            for (i, state) in outgoing.connections {
                do { try await run.links[i].publishConnection(state, now: run.now) } catch {
                    logger.warning("connection \(state.rawValue) not published: \(error)")
                }
            }
            for message in outgoing.messages {
                do {
                    try control.publish(topic: message.topic, payload: message.payload, qos: .atLeastOnce)
                    run.controlPublished += 1
                } catch {
                    logger.error("\(message.topic) not published: \(error)")
                }
            }
            for line in run.log { progress(line) }
            run.log = []
            if options.demand, drainDeadline == nil {
                for request in run.demand.requests(upTo: min(run.offset, options.duration)) {
                    run.tracker.requested(request.id)
                    do {
                        try control.publish(topic: run.topics.taskRequest, payload: request.payload, qos: .atLeastOnce)
                        run.controlPublished += 1
                    } catch {
                        logger.error("task request \(request.id) not published: \(error)")
                    }
                }
            }
            if wall - lastClock >= options.clockInterval {
                clock(running: true)
                lastClock = wall
            }
            if wall - lastProgress >= options.progressInterval {
                progress(run.progressLine)
                lastProgress = wall
            }
            if drainDeadline == nil, run.offset >= options.duration {
                var done = SimEvent(kind: "demand_done", at: run.now)
                done.requested = run.tracker.requestedCount
                event(done)
                drainDeadline = wall + .seconds(options.drainTimeout)
                logger.info("demand done, draining", metadata: ["open": "\(run.tracker.openCount)"])
            }
            if let deadline = drainDeadline, run.tracker.openCount == 0 && run.people.isIdle || wall >= deadline {
                report.drainTimedOut = run.tracker.openCount > 0 || !run.people.isIdle
                break
            }
            if stopRequested.load(ordering: .relaxed) {
                report.interrupted = true
                break
            }
        }
        progress(run.progressLine)
        var final = run.report(wallSeconds: 0)
        final.drainTimedOut = report.drainTimedOut
        final.interrupted = report.interrupted
        var finished = SimEvent(kind: "finished", at: run.now)
        finished.requested = final.requested
        finished.completed = final.completed
        finished.failed = final.failed
        finished.cancelled = final.cancelled
        finished.rejected = final.rejected
        finished.open = final.openIds.count
        finished.conflicts = final.conflicts
        try? await control.publishAndWait(topic: run.topics.simEvents, payload: finished.payload)
        run.controlPublished += 1
        try? await control.publishAndWait(
            topic: run.topics.clock,
            payload: SimTopics.clockPayload(run.now, timeScale: options.timeScale, running: false),
            qos: .atMostOnce, retain: true)
        for link in run.links { await link.stop(now: run.now) }
        await control.disconnect()
        controlForwarder.cancel()
        let wallElapsed = ContinuousClock.now - wallStart
        final.wallSeconds = Double(wallElapsed.components.seconds) + Double(wallElapsed.components.attoseconds) * 1e-18
        final.messagesPublished = run.report(wallSeconds: 0).messagesPublished + 1
        return final
    }
}
