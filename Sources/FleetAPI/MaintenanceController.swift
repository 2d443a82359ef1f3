import FleetCore
import Foundation
import Hummingbird

/// `POST /v1/robots/{manufacturer}/{serial}/maintenance` (take out of service, optional `{"reason": "..."}`) and
/// `.../maintenance/end` (back in service), operator. Both answer the robot as `GET /v1/robots/...` shows it.
public struct MaintenanceController: Sendable {
    /// The body of `POST .../maintenance` and `.../maintenance/end` (optional).
    public struct Body: Decodable, Sendable {
        /// Why, free text.
        public var reason: String?
    }

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
        for (suffix, active) in [("maintenance", true), ("maintenance/end", false)] {
            table.on(.post, "/v1/robots/{manufacturer}/{serial}/\(suffix)", role: .operator) { request, context in
                let caller = try context.require(.operator)
                var request = request
                let reason = try await Self.reason(of: &request)
                let snapshot = try await operations.snapshot()
                let id = try RobotsController.robot(context, in: snapshot)
                let current = snapshot.coordinator.maintenance[id]
                if active, let current {
                    throw OperationError.conflict(
                        "robot \(id) is already in maintenance (since \(TaskView.iso8601(current.since)), by "
                            + "'\(current.actor)'); POST .../maintenance/end puts it back in service")
                }
                if !active, current == nil {
                    throw OperationError.conflict("robot \(id) is not in maintenance")
                }
                try await operations.setMaintenance(id, active: active, actor: caller.name, reason: reason)
                let after = try await operations.snapshot()
                guard let robot = after.coordinator.robots[id] else {
                    throw OperationError.notFound("robot \(id) is gone")
                }
                return try .json(RobotView(robot, in: after))
            }
        }
    }

    /// The optional `reason` of the body: 400 naming the expected shape when the body is not that JSON.
    static func reason(of request: inout Request) async throws -> String {
        let buffer = try await request.collectBody(upTo: 64 * 1024)
        guard buffer.readableBytes > 0 else { return "" }
        do {
            return try JSONDecoder().decode(Body.self, from: Data(buffer.readableBytesView)).reason ?? ""
        } catch {
            throw ProblemDetails(
                .badRequest, "bad-request", title: "Bad request",
                detail: #"the body must be empty or {"reason": "..."} with 'reason' a string"#)
        }
    }
}
