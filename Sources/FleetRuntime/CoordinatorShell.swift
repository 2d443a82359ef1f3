import FleetCore
import FleetMQTT
import FleetStore
import Logging
import VDA5050

/// The one actor that owns the ``FleetCore/Coordinator``: every input becomes a ``FleetCore/FleetEvent``, every
/// directive list is performed journal first.
///
/// For each batch of inputs the shell runs the events through the coordinator, appends *all* journal records of
/// the batch in one durable append, publishes each appended record on the events topic, and only then performs
/// the side effects (orders, instant actions, task status, timers) in directive order. On the simulated clock
/// nothing is handled before the first clock sample: inputs wait, then the fleet is registered and the
/// coordinator resumed (see ``activate(now:)``).
public actor CoordinatorShell {
    var core: Coordinator
    let journal: any Journal
    let publisher: MQTTClient
    let topics: FleetTopics
    let interfaceName: String
    let fleet: [(id: RobotID, profile: RobotProfile)]
    let clock: FleetClock
    let statistics: RuntimeStatistics
    let logger: Logger
    let headers = HeaderCounters()
    let validator = OrderValidator()
    let codec = VDA5050Codec()
    var timers = TimerQueue()
    var waiting: [ShellInput] = []
    var cancelsSent = 0
    /// `startPause`/`stopPause` messages sent (makes their action ids unique).
    var pausesSent = 0
    /// The last plan sent to each robot, as it went on the wire (the reference for the next order update).
    var sentPlans: [RobotID: DispatchPlan] = [:]
    /// Whether the fleet is registered and the coordinator resumed.
    public private(set) var isActive = false
    /// Whether ``stop()`` was called (or a journal failure stopped the shell); later inputs are dropped.
    public internal(set) var isStopped = false
    /// Why the shell stopped itself: a journal append failed, so the coordinator's state in memory is ahead of
    /// the journal. The daemon must exit and restart, rebuilding its state from the journal (nothing of the failed
    /// batch was sent, so the journal and the outside world agree).
    public internal(set) var fatalFailure: String?

    /// Creates a shell.
    /// - Parameters:
    ///   - coordinator: a fresh coordinator for the site.
    ///   - journal: the durable journal (replayed by ``start()``).
    ///   - publisher: the connected MQTT client used for every publication.
    ///   - topics: the site's topics.
    ///   - interfaceName: the VDA 5050 interface name.
    ///   - fleet: the configured robots, registered on activation.
    ///   - clock: the coordinator's clock.
    ///   - statistics: counters.
    ///   - logger: the logger.
    public init(
        coordinator: Coordinator, journal: any Journal, publisher: MQTTClient, topics: FleetTopics,
        interfaceName: String, fleet: [(id: RobotID, profile: RobotProfile)], clock: FleetClock,
        statistics: RuntimeStatistics, logger: Logger
    ) {
        self.core = coordinator
        self.journal = journal
        self.publisher = publisher
        self.topics = topics
        self.interfaceName = interfaceName
        self.fleet = fleet
        self.clock = clock
        self.statistics = statistics
        self.logger = logger
    }

    /// Rebuilds the coordinator from the journal (call once, before any input).
    /// - Returns: the number of records replayed.
    /// - Throws: `JournalError` if the journal cannot be read, ``JournalCodec/DecodeError`` for an unreadable entry.
    @discardableResult
    public func start() throws -> Int {
        var records: [JournalRecord] = []
        try journal.forEach { entry in records.append(try JournalCodec.record(from: entry)) }
        let problems = core.replay(records: records)
        for case .dispatched(_, let robot, _, let plan) in records.map(\.event) {
            let previous = sentPlans[robot].flatMap { $0.orderId == plan.orderId ? $0 : nil }
            sentPlans[robot] = VDA5050Mapping.stitched(plan, after: previous)
        }
        for problem in problems {
            logger.error("journal replay: \(problem)", metadata: ["journal.path": "\(journal.path)"])
        }
        statistics.update { $0.replayProblems += problems.count }
        let open = core.tasks.values.filter { !$0.state.isTerminal }.count
        let summary = "\(core.tasks.count) tasks, \(open) open, \(core.inFlight.count) orders in flight"
        logger.info(
            "replayed \(records.count) journal records: \(summary)",
            metadata: ["journal.path": "\(journal.path)"])
        return records.count
    }

    /// Registers the configured fleet, resumes the coordinator (re-sending in-flight orders) and handles waiting
    /// inputs. Called by ``tick()`` as soon as the clock has a time; idempotent.
    /// - Parameter now: the current time.
    public func activate(now: FleetTime) {
        guard !isActive, !isStopped else { return }
        isActive = true
        var directives: [Directive] = []
        for robot in fleet { directives += core.handle(.robotRegistered(robot.id, robot.profile), now: now) }
        directives += core.resume(now: now)
        perform(directives, now: now)
        let inputs = waiting
        waiting = []
        if !inputs.isEmpty { submit(inputs) }
    }

    /// Handles a batch of inputs in order, with one journal append for the whole batch.
    /// - Parameter inputs: decoded inputs from the ingress.
    public func submit(_ inputs: [ShellInput]) {
        guard !isStopped else { return }
        guard isActive, let now = clock.now() else {
            waiting += inputs
            return
        }
        var directives: [Directive] = []
        for input in inputs {
            switch input {
            case .event(let event):
                if let refusal = presenceRefusal(event) {
                    statistics.update { $0.refusedPersonMessages += 1 }
                    logger.warning("refused presence: \(refusal.reason)", metadata: ["person.id": "\(refusal.person)"])
                    continue
                }
                directives += core.handle(event, now: now)
            case .refusedRequest(let id, let reason): directives += refusal(TaskID(id), reason: reason, now: now)
            }
        }
        perform(directives, now: now)
    }

    /// Activates the shell once the clock has a time, then fires every timer that is due.
    public func tick() {
        guard !isStopped, let now = clock.now() else { return }
        if !isActive { activate(now: now) }
        let due = timers.popDue(now: now)
        guard !due.isEmpty else { return }
        statistics.update { $0.timersFired += due.count }
        var directives: [Directive] = []
        for timer in due { directives += core.handle(.timerFired(timer), now: now) }
        perform(directives, now: now)
    }

    /// Stops handling inputs (later ones are dropped); everything handled so far has been journaled and sent.
    public func stop() {
        isStopped = true
        if !waiting.isEmpty { logger.info("dropped \(waiting.count) inputs that arrived before the clock started") }
        waiting = []
    }

    /// A snapshot of the coordinator, for tests and diagnostics.
    public var coordinator: Coordinator { core }

    /// How many timers are pending.
    public var pendingTimers: Int { timers.count }

    /// Why a presence report is refused, or `nil`: the coordinator ignores reports of people not on its roster
    /// (registered by the scenario or by a presence with a `role`), and cannot place a station or node the site
    /// does not have, so the shell logs and counts those instead.
    private func presenceRefusal(_ event: FleetEvent) -> (person: PersonID, reason: String)? {
        guard case .personPresence(let person, _, let location) = event else { return nil }
        if core.people[person] == nil {
            return (person, "unknown person '\(person)' (not on the roster; a presence with a 'role' registers)")
        }
        switch location {
        case .station(let id) where core.layout.station(id) == nil:
            return (person, "\(person) at unknown station '\(id)'")
        case .node(let id) where core.layout.node(id) == nil:
            return (person, "\(person) at unknown node '\(id)'")
        default:
            return nil
        }
    }

    /// The coordinator's answer to a request the ingress could not decode: journaled and answered `rejected`
    /// unless the id names an existing task (then only the journal and the log hear of it).
    private func refusal(_ id: TaskID, reason: String, now: FleetTime) -> [Directive] {
        [
            .journal(JournalRecord(time: now, event: .rejected(task: id, detail: reason))),
            .rejectRequest(task: id, reason: reason),
        ]
    }
}
