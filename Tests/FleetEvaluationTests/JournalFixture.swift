import FleetCore
import FleetStore
import Foundation

/// A hand-built one-hour journal whose KPIs are worked out by hand in `RunEvaluationTests`.
///
/// Two robots, six tasks: T1, T2, T4 complete (T4 after a reassignment from R2, which goes stale); T3 fails for a
/// fault of R1; T5 is never assigned (open at the end: censored); T6 is cancelled by an operator. R1 charges for
/// ten minutes.
enum JournalFixture {
    static let base = 1_800_000_000.0
    static let r1 = RobotID(manufacturer: "acme", serialNumber: "R1")
    static let r2 = RobotID(manufacturer: "acme", serialNumber: "R2")

    static func t(_ seconds: Double) -> FleetTime { FleetTime(seconds: base + seconds) }

    static func created(_ id: String, due: Double? = nil) -> JournalEvent {
        .created(TaskRequest(id: TaskID(id), pick: "A", drop: "B", deadline: due.map(t), requester: "test"))
    }

    static let records: [JournalRecord] = {
        let events: [(Double, JournalEvent)] = [
            (0, .mode(robot: r1, mode: .automatic)), (0, .mode(robot: r2, mode: .automatic)),
            (0, .battery(robot: r1, soc: 90, charging: false)), (0, .battery(robot: r2, soc: 80, charging: false)),
            (0, created("T1", due: 600)), (10, .assigned(task: "T1", robot: r1, etaPickSeconds: 5)),
            (20, .started(task: "T1", robot: r1, orderId: "o1")), (100, created("T2", due: 200)),
            (100, .completed(task: "T1", robot: r1, outcome: "ok")),
            (130, .assigned(task: "T2", robot: r2, etaPickSeconds: 5)),
            (150, .started(task: "T2", robot: r2, orderId: "o2")), (200, created("T3")),
            (300, .assigned(task: "T3", robot: r1, etaPickSeconds: 5)),
            (310, .started(task: "T3", robot: r1, orderId: "o3")),
            (400, .completed(task: "T2", robot: r2, outcome: "ok")),
            (495, .fault(robot: r1, code: "E1", level: .fatal, raised: true, detail: "drive")),
            (500, .failed(task: "T3", robot: r1, reason: .fault, detail: "drive")),
            (795, .fault(robot: r1, code: "E1", level: .fatal, raised: false, detail: "")),
            (1000, created("T4", due: 3000)), (1010, .assigned(task: "T4", robot: r2, etaPickSeconds: 5)),
            (1050, .connection(robot: r2, state: .stale)),
            (1100, .reassigned(task: "T4", from: r2, to: r1, reason: .robotStale, etaPickSeconds: 5)),
            (1120, .started(task: "T4", robot: r1, orderId: "o4")),
            (1300, .completed(task: "T4", robot: r1, outcome: "ok")), (1650, .connection(robot: r2, state: .online)),
            (2000, .battery(robot: r1, soc: 20, charging: true)), (2000, created("T6")),
            (2100, .canceled(task: "T6", actor: .operatorRequest, detail: "not needed")),
            (2600, .battery(robot: r1, soc: 80, charging: false)), (3000, created("T5", due: 3300)),
            (3590, .battery(robot: r2, soc: 70, charging: false)),
        ]
        return events.map { JournalRecord(time: t($0.0), event: $0.1) }
    }()

    /// The records as journal entries (what the daemon appends).
    static func entries(_ records: [JournalRecord] = records) throws -> [NewJournalEntry] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try records.map { record in
            NewJournalEntry(
                time: record.time, kind: record.event.kind, taskID: record.event.task?.rawValue,
                robotID: nil, payload: String(decoding: try encoder.encode(record), as: UTF8.self))
        }
    }

    /// A temporary folder, removed by the caller.
    static func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "fleet-eval-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
