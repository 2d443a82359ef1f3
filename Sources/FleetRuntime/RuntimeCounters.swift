import Synchronization

/// What the daemon received, refused and sent since it started: logged at shutdown and read by tests.
///
/// Every refused input increments exactly one of the problem counters and is logged with what and where.
public struct RuntimeCounters: Sendable, Hashable, CustomStringConvertible {
    /// Robot state messages decoded and handed to the coordinator.
    public var states = 0
    /// Robot connection messages handed to the coordinator.
    public var connections = 0
    /// Factsheets decoded, checked and handed to the coordinator (which narrows the robot's configured profile).
    public var factsheets = 0
    /// Factsheets refused: not valid JSON or VDA 5050, naming another robot than their topic, or implausible
    /// (``FleetCore/RobotFactsheet/problem``: a top speed not above 0, a negative payload, ...).
    public var invalidFactsheets = 0
    /// Task requests handed to the coordinator.
    public var taskRequests = 0
    /// Cancel requests handed to the coordinator.
    public var cancelRequests = 0
    /// Task confirmations (a person's, on `tasks/{id}/confirm`) handed to the coordinator.
    public var confirmations = 0
    /// Messages of people's devices (`people/{id}/presence|ack|reject|arrived|confirm|call|alert`) handed to the
    /// coordinator.
    public var personMessages = 0
    /// Simulation clock samples taken.
    public var clockSamples = 0
    /// Payloads that were not valid JSON or not a valid message of their topic.
    public var invalidMessages = 0
    /// Task, cancel or confirm requests that could not be decoded (bad JSON, missing or mistyped field).
    public var malformedRequests = 0
    /// Messages of people's devices that could not be decoded (bad JSON, missing or mistyped field, an empty or
    /// wildcard id); a call or alert with a readable id is also answered `rejected` on its status topic.
    public var malformedPersonMessages = 0
    /// Presence reports the shell refused: a person not on the roster (and no `role` to register them), or a
    /// station or node the site does not have.
    public var refusedPersonMessages = 0
    /// `rejected` status replies published (malformed requests, unknown stations, duplicates of unknown ids...).
    public var rejectedRequests = 0
    /// Refusals for an id that already names a task (logged and journaled, status left untouched).
    public var refusedForExistingTask = 0
    /// Messages from robots that are not in the configured fleet (ignored).
    public var unknownRobotMessages = 0
    /// Distinct robots outside the configured fleet that sent messages.
    public var unknownRobots = 0
    /// Payloads larger than the configured limit (dropped before decoding).
    public var oversizedPayloads = 0
    /// Messages on topics that do not parse as a topic fleetd subscribed to.
    public var badTopics = 0
    /// Journal records appended.
    public var journalRecords = 0
    /// Journal batches appended (one durable commit each).
    public var journalBatches = 0
    /// Journal appends that failed (their side effects were not performed).
    public var journalFailures = 0
    /// Orders published.
    public var ordersPublished = 0
    /// Orders that failed `OrderValidator` and were therefore not sent (a coordinator bug if ever non-zero).
    public var invalidOrders = 0
    /// Instant actions published.
    public var instantActionsPublished = 0
    /// Task status messages published.
    public var statusesPublished = 0
    /// Notifications published to people (`people/{id}/notify`).
    public var notificationsPublished = 0
    /// Publications the MQTT client refused (e.g. while disconnected).
    public var publishFailures = 0
    /// Coordinator timers that fired.
    public var timersFired = 0
    /// Journal records that could not be applied on replay.
    public var replayProblems = 0

    /// Creates zeroed counters.
    public init() {}

    /// One line for the shutdown log, e.g. `states=120 connections=3 ...`.
    public var description: String {
        let pairs: [(String, Int)] = [
            ("states", states), ("connections", connections), ("factsheets", factsheets),
            ("invalidFactsheets", invalidFactsheets),
            ("taskRequests", taskRequests), ("cancelRequests", cancelRequests), ("confirmations", confirmations),
            ("personMessages", personMessages), ("clockSamples", clockSamples),
            ("invalidMessages", invalidMessages), ("malformedRequests", malformedRequests),
            ("malformedPersonMessages", malformedPersonMessages), ("refusedPersonMessages", refusedPersonMessages),
            ("rejectedRequests", rejectedRequests), ("refusedForExistingTask", refusedForExistingTask),
            ("unknownRobotMessages", unknownRobotMessages), ("unknownRobots", unknownRobots),
            ("oversizedPayloads", oversizedPayloads), ("badTopics", badTopics), ("journalRecords", journalRecords),
            ("journalBatches", journalBatches), ("journalFailures", journalFailures),
            ("ordersPublished", ordersPublished), ("invalidOrders", invalidOrders),
            ("instantActionsPublished", instantActionsPublished), ("statusesPublished", statusesPublished),
            ("notificationsPublished", notificationsPublished),
            ("publishFailures", publishFailures), ("timersFired", timersFired), ("replayProblems", replayProblems),
        ]
        return pairs.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
    }
}

/// ``RuntimeCounters`` shared by the ingress and the coordinator shell: a `Mutex`, each update short.
public final class RuntimeStatistics: Sendable {
    private let counters = Mutex(RuntimeCounters())

    /// Creates zeroed statistics.
    public init() {}

    /// A snapshot of the counters.
    public var snapshot: RuntimeCounters { counters.withLock { $0 } }

    /// Changes the counters under the lock.
    /// - Parameter body: the change; keep it short.
    public func update(_ body: (inout RuntimeCounters) -> Void) {
        counters.withLock { body(&$0) }
    }
}
