import FleetCore
import Prometheus
import Synchronization

/// The daemon's Prometheus metrics, in a registry of its own (nothing is bootstrapped globally, so tests can
/// create as many as they like). Gauges are refreshed from a snapshot on every scrape; histograms are fed as
/// things happen.
///
/// | metric | type | labels |
/// |---|---|---|
/// | `fleetpilot_robots` | gauge | `state`: available, busy, unavailable, offline, maintenance |
/// | `fleetpilot_tasks` | gauge | `state`: every task state |
/// | `fleetpilot_assignment_latency_seconds` | histogram | (request to first assignment, coordinator clock) |
/// | `fleetpilot_mqtt_messages_total` | counter | `direction`: in, out |
/// | `fleetpilot_mqtt_messages_dropped_total`, `fleetpilot_mqtt_messages_invalid_total` | counter | |
/// | `fleetpilot_journal_append_seconds` | histogram | (one durable batch append, wall clock) |
/// | `fleetpilot_journal_records_total`, `fleetpilot_journal_append_failures_total` | counter | |
public final class APIMetrics: Sendable {
    /// The robot states `fleetpilot_robots` reports.
    public static let robotStates = ["available", "busy", "unavailable", "offline", "maintenance"]

    /// The registry the metrics live in.
    public let registry = PrometheusCollectorRegistry()
    private let robots: [String: Gauge]
    private let tasks: [TaskState: Gauge]
    private let assignmentLatency: ValueHistogram
    private let journalAppend: DurationHistogram
    private let mqttIn: Counter
    private let mqttOut: Counter
    private let mqttDropped: Counter
    private let mqttInvalid: Counter
    private let journalRecords: Counter
    private let journalFailures: Counter
    private let last = Mutex(TrafficCounters())
    private let createdAt = Mutex([String: FleetTime]())

    /// Creates every metric once.
    public init() {
        var robots: [String: Gauge] = [:]
        for state in Self.robotStates {
            robots[state] = registry.makeGauge(
                descriptor: Self.descriptor("fleetpilot_robots", "Robots by state."), labels: [("state", state)])
        }
        self.robots = robots
        var tasks: [TaskState: Gauge] = [:]
        for state in TaskState.allCases {
            tasks[state] = registry.makeGauge(
                descriptor: Self.descriptor("fleetpilot_tasks", "Tasks by state."), labels: [("state", state.rawValue)])
        }
        self.tasks = tasks
        assignmentLatency = registry.makeValueHistogram(
            descriptor: Self.descriptor(
                "fleetpilot_assignment_latency_seconds",
                "Time from a task request to its first assignment (coordinator clock)."),
            buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600])
        journalAppend = registry.makeDurationHistogram(
            descriptor: Self.descriptor(
                "fleetpilot_journal_append_seconds", "Duration of one durable journal batch append."),
            buckets: [
                .microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(10),
                .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(1),
            ])
        mqttIn = registry.makeCounter(
            descriptor: Self.descriptor("fleetpilot_mqtt_messages_total", "MQTT messages."),
            labels: [("direction", "in")])
        mqttOut = registry.makeCounter(
            descriptor: Self.descriptor("fleetpilot_mqtt_messages_total", "MQTT messages."),
            labels: [("direction", "out")])
        mqttDropped = registry.makeCounter(
            descriptor: Self.descriptor(
                "fleetpilot_mqtt_messages_dropped_total", "MQTT messages dropped or not delivered."))
        mqttInvalid = registry.makeCounter(
            descriptor: Self.descriptor("fleetpilot_mqtt_messages_invalid_total", "MQTT messages that were not valid."))
        journalRecords = registry.makeCounter(
            descriptor: Self.descriptor("fleetpilot_journal_records_total", "Records appended."))
        journalFailures = registry.makeCounter(
            descriptor: Self.descriptor("fleetpilot_journal_append_failures_total", "Journal appends that failed."))
    }

    private static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    /// Records one journal append's duration.
    /// - Parameter duration: how long the durable append took.
    public func recordJournalAppend(_ duration: Duration) {
        journalAppend.record(duration)
    }

    /// Feeds appended records: a `created` starts the assignment clock of its task, the first `assigned` stops it.
    /// - Parameter lines: appended records, in order.
    public func observe(_ lines: [FleetEventLine]) {
        var latencies: [Double] = []
        createdAt.withLock { created in
            for line in lines {
                guard let task = line.taskID else { continue }
                switch line.kind {
                case "created": created[task] = line.time
                case "assigned":
                    if let start = created.removeValue(forKey: task) {
                        latencies.append(line.time.seconds(since: start))
                    }
                case "failed", "canceled": created[task] = nil
                default: continue
                }
            }
        }
        for latency in latencies { assignmentLatency.record(max(0, latency)) }
    }

    /// Refreshes the gauges and counters and renders the Prometheus text exposition format.
    /// - Parameters:
    ///   - snapshot: the coordinator's state, if the daemon has one yet.
    ///   - traffic: the daemon's cumulative counters.
    /// - Returns: the `/metrics` body.
    public func render(snapshot: FleetSnapshot?, traffic: TrafficCounters) -> String {
        if let snapshot {
            var robotCounts = Dictionary(uniqueKeysWithValues: Self.robotStates.map { ($0, 0) })
            for robot in snapshot.coordinator.robots.values {
                robotCounts[RobotView.status(of: robot, in: snapshot), default: 0] += 1
            }
            for (state, gauge) in robots { gauge.set(Double(robotCounts[state] ?? 0)) }
            var taskCounts: [TaskState: Int] = [:]
            for task in snapshot.coordinator.tasks.values { taskCounts[task.state, default: 0] += 1 }
            for (state, gauge) in tasks { gauge.set(Double(taskCounts[state] ?? 0)) }
        }
        let previous = last.withLock { last in
            defer { last = traffic }
            return last
        }
        func add(_ counter: Counter, _ now: Int, _ before: Int) {
            if now > before { counter.increment(by: Int64(now - before)) }
        }
        add(mqttIn, traffic.mqttIn, previous.mqttIn)
        add(mqttOut, traffic.mqttOut, previous.mqttOut)
        add(mqttDropped, traffic.mqttDropped, previous.mqttDropped)
        add(mqttInvalid, traffic.mqttInvalid, previous.mqttInvalid)
        add(journalRecords, traffic.journalRecords, previous.journalRecords)
        add(journalFailures, traffic.journalFailures, previous.journalFailures)
        return registry.emitToString()
    }
}
