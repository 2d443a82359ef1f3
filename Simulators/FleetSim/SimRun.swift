import FleetConfig
import FleetCore
import FleetMQTT
import Foundation
import Logging
import VDA5050

/// The mutable state of one run, owned by the loop of ``FleetSimulation``: vehicles, their links, demand, people,
/// injected faults, task tracking and conflicts.
struct SimRun {
    let options: FleetSimOptions
    let topics: SimTopics
    let logger: Logger
    let start: FleetTime
    var vehicles: [SimVehicle]
    var links: [VehicleLink] = []
    var lastState: [(sim: Double, wall: ContinuousClock.Instant)]
    var routes: [String: (vehicle: Int, topic: VDA5050Topic)] = [:]
    var demand: DemandGenerator
    var tracker = TaskTracker()
    var conflicts = ConflictDetector()
    var people: SimPeople
    var faults: FaultInjector
    /// Vehicles broken down by a drop-out: no state, no orders.
    var down: Set<Int> = []
    /// Vehicles whose link is silent (communication loss).
    var silent: Set<Int> = []
    /// People's messages to publish (topic, payload), in order.
    var outgoing: [(topic: String, payload: [UInt8])] = []
    /// Connection states to publish, in order (drop-outs).
    var connectionChanges: [(vehicle: Int, state: VDA5050.ConnectionState)] = []
    /// Lines for fleet-sim's progress output (injected faults).
    var log: [String] = []
    /// Fault steps applied.
    var faultSteps = 0
    /// Orders and instant actions lost to a communication loss or drop-out.
    var lostMessages = 0
    var offset = 0.0
    var controlPublished = 0
    var received = 0

    init(options: FleetSimOptions, logger: Logger) {
        self.options = options
        self.logger = logger
        let scenario = options.scenario
        topics = SimTopics(site: scenario.siteId)
        start = scenario.start
        let site = SimSite(layout: scenario.site)
        let robots = scenario.robots(total: options.robots)
        let nodes = site.startNodes(count: robots.count)
        var random = SplitMix64(seed: options.seed)
        vehicles = []
        for (i, robot) in robots.enumerated() where i < nodes.count {
            let range = robot.entry.initialBattery
            let battery =
                range.lowerBound + (range.upperBound - range.lowerBound) * Double.random(in: 0...1, using: &random)
            vehicles.append(
                SimVehicle(
                    id: robot.id, spec: VehicleSpec(entry: robot.entry, actionDurations: scenario.actionDurations),
                    site: site, at: nodes[i], battery: (battery * 10).rounded() / 10))
        }
        if robots.count > nodes.count {
            logger.warning("the site has \(nodes.count) nodes; simulating \(nodes.count) of \(robots.count) robots")
        }
        lastState = Array(repeating: (0, .now), count: vehicles.count)
        demand = DemandGenerator(
            demand: scenario.demand, start: start, seed: options.seed, duration: options.duration,
            people: SimPeople.directory(of: scenario))
        people = SimPeople(scenario: scenario, seed: options.seed, duration: options.duration)
        faults = FaultInjector(faults: scenario.faults, robots: vehicles.map(\.id), seed: options.seed)
        for problem in faults.problems {
            logger.warning("\(problem)")
            log.append(problem)
        }
        for (i, vehicle) in vehicles.enumerated() {
            routes[SimTopics.vehicle(vehicle.id, .order)] = (i, .order)
            routes[SimTopics.vehicle(vehicle.id, .instantActions)] = (i, .instantActions)
        }
    }

    var now: FleetTime { start.adding(seconds: offset) }

    /// Applies queued messages at the current simulated time.
    mutating func handle(_ inputs: [SimInput]) {
        received += inputs.count
        for input in inputs {
            guard input.vehicle != nil, let route = routes[input.message.topic] else {
                if let person = topics.notifiedPerson(input.message.topic) {
                    people.notify(person, payload: input.message.payload, at: offset)
                    continue
                }
                // Retained statuses are from before this subscription (maybe another run): only live ones count.
                if !input.message.retain, let change = tracker.apply(statusPayload: input.message.payload) {
                    logger.debug("task status", metadata: ["task.id": "\(change.id)", "task.state": "\(change.state)"])
                }
                if !input.message.retain, !people.people.isEmpty,
                    let status = try? JSONDecoder().decode(StatusLine.self, from: Data(input.message.payload))
                {
                    people.taskStatus(status.id, state: status.state)
                }
                continue
            }
            guard !down.contains(route.vehicle), !silent.contains(route.vehicle) else {
                lostMessages += 1
                continue
            }
            switch route.topic {
            case .order:
                if let rejection = vehicles[route.vehicle].receiveOrder(payload: input.message.payload, now: now) {
                    logger.info(
                        "order rejected",
                        metadata: ["robot.id": "\(vehicles[route.vehicle].id)", "error": "\(rejection.rawValue)"])
                }
            default:
                vehicles[route.vehicle].receiveInstantActions(payload: input.message.payload, now: now)
            }
            flush(route.vehicle)
        }
    }

    /// Advances every vehicle by `dt` simulated seconds in sub-steps, publishing states on events and periodically.
    /// - Returns: The node conflicts that began, as events to publish.
    mutating func advance(by dt: Double) -> [SimEvent] {
        var events: [SimEvent] = []
        let steps = max(1, Int((dt / options.subStep).rounded(.up)))
        let h = dt / Double(steps)
        let persons = people.positions(at: offset)
        for _ in 0..<steps {
            offset += h
            for step in faults.due(upTo: offset) { inject(step) }
            let time = now
            for i in vehicles.indices {
                vehicles[i].advance(by: h, now: time)
                if !persons.isEmpty {
                    let p = vehicles[i].position
                    var nearest = Double.infinity
                    for q in persons { nearest = min(nearest, p.distance(to: q)) }
                    vehicles[i].sensePerson(at: nearest)
                }
                flush(i)
            }
            events += conflicts.update(vehicles, at: time).map(SimEvent.init(conflict:))
        }
        for message in people.advance(to: offset) {
            outgoing.append((message.topic(topics), Array(message.json.utf8)))
        }
        let wall = ContinuousClock.now
        for i in vehicles.indices
        where offset - lastState[i].sim >= options.scenario.stateInterval || wall - lastState[i].wall >= .seconds(1) {
            publishState(i)
        }
        return events
    }

    /// Publishes what vehicle `i` asked for.
    mutating func flush(_ i: Int) {
        let outbox = vehicles[i].takeOutbox()
        for note in outbox.notes {
            logger.debug("\(note)", metadata: ["robot.id": "\(vehicles[i].id)"])
        }
        for meeting in outbox.meetings {
            people.robotWaiting(task: meeting.task, person: meeting.person, at: offset)
        }
        if outbox.factsheet, i < links.count, !silent.contains(i), !down.contains(i) {
            do { try links[i].publish(vehicles[i].factsheet(at: now), now: now) } catch {
                logger.warning("factsheet not published: \(error)", metadata: ["robot.id": "\(vehicles[i].id)"])
            }
        }
        if outbox.state { publishState(i) }
    }

    mutating func publishState(_ i: Int) {
        lastState[i] = (offset, .now)
        guard i < links.count, !silent.contains(i), !down.contains(i) else { return }
        do {
            try links[i].publish(vehicles[i].stateMessage(at: now), now: now)
            vehicles[i].personReported()
        } catch {
            logger.warning("state not published: \(error)", metadata: ["robot.id": "\(vehicles[i].id)"])
        }
    }

    /// Applies one step of an injected fault to vehicle `step.vehicle` and logs it.
    mutating func inject(_ step: FaultInjector.Step) {
        let i = step.vehicle
        guard i < vehicles.count else { return }
        faultSteps += 1
        let line = "sim \(FleetSimReport.clock(offset)) \(step)"
        log.append(line)
        logger.info("\(line)", metadata: ["robot.id": "\(vehicles[i].id)"])
        switch (step.kind, step.begins) {
        case (.dropout, true):
            vehicles[i].breakDown()
            flush(i)
            publishState(i)
            down.insert(i)
            connectionChanges.append((i, .offline))
        case (.dropout, false):
            vehicles[i].recover()
            down.remove(i)
            connectionChanges.append((i, .online))
            flush(i)
            publishState(i)
        case (.slowdown, let begins):
            vehicles[i].setSpeedFactor(begins ? step.factor ?? 1 : 1)
            flush(i)
        case (.commLoss, true):
            silent.insert(i)
        case (.commLoss, false):
            silent.remove(i)
            publishState(i)
        }
    }

    /// Takes the people's messages and connection changes to publish.
    mutating func takeOutgoing() -> (
        messages: [(topic: String, payload: [UInt8])], connections: [(Int, VDA5050.ConnectionState)]
    ) {
        defer {
            outgoing = []
            connectionChanges = []
        }
        return (outgoing, connectionChanges.map { ($0.vehicle, $0.state) })
    }

    /// The progress line: `sim 02:15:00 / 08:00:00  requested 140  done 131  failed 0  open 9  conflicts 3`.
    var progressLine: String {
        let failed = tracker.count("failed") + tracker.count("cancelled") + tracker.count("rejected")
        return "sim \(FleetSimReport.clock(offset)) / \(FleetSimReport.clock(options.duration))  "
            + "requested \(tracker.requestedCount)  done \(tracker.count("completed"))  failed \(failed)  "
            + "open \(tracker.openCount)  conflicts \(conflicts.count)"
            + (people.people.isEmpty ? "" : "  calls \(people.calls)  falls \(people.falls)")
    }

    /// The report of the run so far.
    func report(wallSeconds: Double) -> FleetSimReport {
        var report = FleetSimReport()
        report.requested = tracker.requestedCount
        report.completed = tracker.count("completed")
        report.failed = tracker.count("failed")
        report.cancelled = tracker.count("cancelled")
        report.rejected = tracker.count("rejected")
        report.openIds = tracker.openIds
        report.conflicts = conflicts.count
        report.rejectedOrders = vehicles.map(\.rejectedOrders).reduce(0, +)
        report.simSeconds = offset
        report.wallSeconds = wallSeconds
        report.messagesPublished = controlPublished + links.map(\.publishedCount).reduce(0, +)
        report.messagesReceived = received
        report.openAlerts = people.open.keys.sorted()
        report.calls = people.calls
        report.falls = people.falls
        report.faultSteps = faultSteps
        report.lostMessages = lostMessages
        return report
    }
}

/// The fields of a task status fleet-sim's people need.
private struct StatusLine: Decodable {
    var id: String
    var state: String
}
