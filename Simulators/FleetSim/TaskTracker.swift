import Foundation

/// Follows every task fleet-sim requested to a terminal status (`completed`, `failed`, `cancelled`, `rejected`)
/// from the status messages on `fleetpilot/v1/{site}/tasks/{id}/status`.
public struct TaskTracker: Sendable {
    /// Terminal task states.
    public static let terminalStates: Set<String> = ["completed", "failed", "cancelled", "rejected"]
    private var states: [String: String] = [:]
    private var order: [String] = []
    /// Tasks per terminal state.
    public private(set) var terminalCounts: [String: Int] = [:]
    /// Status messages that could not be read.
    public private(set) var malformedStatuses = 0

    /// Creates an empty tracker.
    public init() {}

    /// Records a request.
    public mutating func requested(_ id: String) {
        guard states[id] == nil else { return }
        states[id] = "requested"
        order.append(id)
    }

    /// Applies a status payload; statuses of tasks not requested here are ignored. Terminal states are final.
    /// - Returns: The task id and its new state when a requested task changed state.
    @discardableResult
    public mutating func apply(statusPayload payload: [UInt8]) -> (id: String, state: String)? {
        struct Status: Decodable {
            var id: String
            var state: String
        }
        guard let status = try? JSONDecoder().decode(Status.self, from: Data(payload)) else {
            malformedStatuses += 1
            return nil
        }
        guard let current = states[status.id], !Self.terminalStates.contains(current), current != status.state
        else { return nil }
        states[status.id] = status.state
        if Self.terminalStates.contains(status.state) { terminalCounts[status.state, default: 0] += 1 }
        return (status.id, status.state)
    }

    /// Tasks requested.
    public var requestedCount: Int { order.count }
    /// Tasks in `state` (a terminal one).
    public func count(_ state: String) -> Int { terminalCounts[state, default: 0] }
    /// Tasks without a terminal status, in request order.
    public var openIds: [String] { order.filter { !Self.terminalStates.contains(states[$0] ?? "") } }
    /// How many tasks have no terminal status.
    public var openCount: Int { requestedCount - terminalCounts.values.reduce(0, +) }
    /// The last known state of task `id`.
    public func state(of id: String) -> String? { states[id] }
}
