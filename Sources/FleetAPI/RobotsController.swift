import FleetCore
import Hummingbird

/// `/v1/robots`: list, get, pause and resume (VDA 5050 `startPause` / `stopPause`, operator).
public struct RobotsController: Sendable {
    let operations: any FleetOperations

    /// Creates the controller.
    /// - Parameter operations: the daemon.
    public init(operations: any FleetOperations) {
        self.operations = operations
    }

    /// Adds the routes.
    /// - Parameter table: the route table.
    public func register(on table: APIRouteTable) {
        let operations = operations
        table.on(.get, "/v1/robots", role: .viewer) { request, _ in
            let snapshot = try await operations.snapshot()
            var robots = snapshot.coordinator.robots.values.sorted { $0.id < $1.id }.map { RobotView($0, in: snapshot) }
            if let status = request.uri.queryParameters["status"], !status.isEmpty {
                guard APIMetrics.robotStates.contains(String(status)) else {
                    throw OperationError.invalid(
                        "status '\(status)' is not one of \(APIMetrics.robotStates.joined(separator: ", "))")
                }
                robots = robots.filter { $0.status == status }
            }
            return try .json(robots)
        }
        table.on(.get, "/v1/robots/{manufacturer}/{serial}", role: .viewer) { _, context in
            let snapshot = try await operations.snapshot()
            let id = try Self.robot(context, in: snapshot)
            return try .json(RobotView(snapshot.coordinator.robots[id]!, in: snapshot))
        }
        for (verb, paused) in [("pause", true), ("resume", false)] {
            table.on(.post, "/v1/robots/{manufacturer}/{serial}/\(verb)", role: .operator) { _, context in
                let caller = try context.require(.operator)
                let id = try Self.robot(context, in: try await operations.snapshot())
                try await operations.setPaused(id, paused: paused, actor: caller.name)
                let receipt = RobotCommandReceipt(
                    robot: id.description, action: paused ? "startPause" : "stopPause", actor: caller.name)
                return try .json(receipt, status: .accepted)
            }
        }
    }

    static func robot(_ context: APIRequestContext, in snapshot: FleetSnapshot) throws -> RobotID {
        let id = RobotID(
            manufacturer: try context.parameter("manufacturer"), serialNumber: try context.parameter("serial"))
        guard snapshot.coordinator.robots[id] != nil else {
            throw OperationError.notFound("no robot '\(id)' in this fleet; GET /v1/robots lists the configured robots")
        }
        return id
    }
}
