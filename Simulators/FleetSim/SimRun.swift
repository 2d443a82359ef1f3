import FleetConfig
import FleetCore
import FleetMQTT
import Logging
import VDA5050

/// The mutable state of one run, owned by the loop of ``FleetSimulation``: vehicles, their links, demand,
/// task tracking and conflicts.
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
        demand = DemandGenerator(demand: scenario.demand, start: start, seed: options.seed)
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
                // Retained statuses are from before this subscription (maybe another run): only live ones count.
                if !input.message.retain, let change = tracker.apply(statusPayload: input.message.payload) {
                    logger.debug("task status", metadata: ["task.id": "\(change.id)", "task.state": "\(change.state)"])
                }
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
        for _ in 0..<steps {
            offset += h
            let time = now
            for i in vehicles.indices {
                vehicles[i].advance(by: h, now: time)
                flush(i)
            }
            events += conflicts.update(vehicles, at: time).map(SimEvent.init(conflict:))
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
        if outbox.factsheet, i < links.count {
            do { try links[i].publish(vehicles[i].factsheet(at: now), now: now) } catch {
                logger.warning("factsheet not published: \(error)", metadata: ["robot.id": "\(vehicles[i].id)"])
            }
        }
        if outbox.state { publishState(i) }
    }

    mutating func publishState(_ i: Int) {
        lastState[i] = (offset, .now)
        guard i < links.count else { return }
        do { try links[i].publish(vehicles[i].stateMessage(at: now), now: now) } catch {
            logger.warning("state not published: \(error)", metadata: ["robot.id": "\(vehicles[i].id)"])
        }
    }

    /// The progress line: `sim 02:15:00 / 08:00:00  requested 140  done 131  failed 0  open 9  conflicts 3`.
    var progressLine: String {
        let failed = tracker.count("failed") + tracker.count("cancelled") + tracker.count("rejected")
        return "sim \(FleetSimReport.clock(offset)) / \(FleetSimReport.clock(options.duration))  "
            + "requested \(tracker.requestedCount)  done \(tracker.count("completed"))  failed \(failed)  "
            + "open \(tracker.openCount)  conflicts \(conflicts.count)"
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
        return report
    }
}
