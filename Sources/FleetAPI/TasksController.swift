import FleetCore
import Foundation
import Hummingbird

/// `/v1/tasks`: submit (operator), list with a state filter and paging, get, cancel (operator).
public struct TasksController: Sendable {
    /// The body of `POST /v1/tasks`: the same fields as the MQTT task request (README "FleetPilot topics").
    public struct Submission: Decodable, Sendable {
        /// Task id (`A-Z a-z 0-9 _ - . :`); generated when absent.
        public var id: String?
        /// `transport` (the only kind fleetd runs today).
        public var kind: String?
        /// Pick station.
        public var pick: String
        /// Drop station.
        public var drop: String
        /// `low`, `normal` (default), `high`, `urgent`.
        public var priority: String?
        /// Kind of load.
        public var loadType: String?
        /// Load weight in kg.
        public var loadWeightKg: Double?
        /// Capabilities the robot needs.
        public var capabilities: [String]?
    }

    /// The body of `POST /v1/tasks/{id}/cancel` (optional).
    public struct Cancellation: Decodable, Sendable {
        /// Why, free text.
        public var reason: String?
    }

    /// The most tasks one page returns.
    public static let maximumPageSize = 500
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
        table.on(.get, "/v1/tasks", role: .viewer) { request, _ in
            try await Self.list(request, operations: operations)
        }
        table.on(.post, "/v1/tasks", role: .operator) { request, context in
            let caller = try context.require(.operator)
            let submission = try await request.decode(as: Submission.self, context: context)
            let snapshot = try await operations.snapshot()
            let task = try Self.request(from: submission, requester: caller.name, layout: snapshot.coordinator.layout)
            if snapshot.coordinator.tasks[task.id] != nil {
                throw OperationError.conflict("task '\(task.id)' already exists; choose another id or omit 'id'")
            }
            guard let accepted = try await operations.submit(task) else {
                var headers = HTTPFields()
                headers[.location] = "/v1/tasks/\(task.id)"
                return Response(status: .accepted, headers: headers)
            }
            var response = try Response.json(TaskView(accepted), status: .created)
            response.headers[.location] = "/v1/tasks/\(accepted.id)"
            return response
        }
        table.on(.get, "/v1/tasks/{id}", role: .viewer) { _, context in
            let id = try context.parameter("id")
            guard let task = try await operations.snapshot().coordinator.tasks[TaskID(id)] else {
                throw OperationError.notFound("no task '\(id)'; GET /v1/tasks lists the known tasks")
            }
            return try .json(TaskView(task))
        }
        table.on(.post, "/v1/tasks/{id}/cancel", role: .operator) { request, context in
            let caller = try context.require(.operator)
            let id = try context.parameter("id")
            var request = request
            let buffer = try await request.collectBody(upTo: 64 * 1024)
            var reason = ""
            if buffer.readableBytes > 0 {
                do {
                    reason =
                        try JSONDecoder().decode(Cancellation.self, from: Data(buffer.readableBytesView)).reason ?? ""
                } catch {
                    throw ProblemDetails(
                        .badRequest, "bad-request", title: "Bad request",
                        detail: "the body must be empty or {\"reason\": \"...\"}")
                }
            }
            return try .json(TaskView(try await operations.cancel(TaskID(id), actor: caller.name, reason: reason)))
        }
    }

    static func list(_ request: Request, operations: any FleetOperations) async throws -> Response {
        let query = request.uri.queryParameters
        var states: Set<TaskState>?
        if let filter = query["state"], !filter.isEmpty {
            var chosen = Set<TaskState>()
            for name in filter.split(separator: ",") {
                guard let state = TaskState(rawValue: String(name)) else {
                    throw OperationError.invalid(
                        "state '\(name)' is not one of \(TaskState.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                chosen.insert(state)
            }
            states = chosen
        }
        let limit = try Self.integer(
            query["limit"].map(String.init), name: "limit", default: 100, range: 1...maximumPageSize)
        let offset = try Self.integer(query["offset"].map(String.init), name: "offset", default: 0, range: 0...Int.max)
        let tasks = try await operations.snapshot().coordinator.tasks.values
            .filter { states?.contains($0.state) ?? true }
            .sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
        let page = tasks.dropFirst(offset).prefix(limit).map(TaskView.init)
        return try .json(TaskPage(items: Array(page), total: tasks.count, offset: offset, limit: limit))
    }

    static func integer(_ text: String?, name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw OperationError.invalid("query '\(name)': '\(text)' is not a whole number in \(range)")
        }
        return number
    }

    static func request(from body: Submission, requester: String, layout: SiteLayout) throws -> TaskRequest {
        let id = body.id ?? "T-" + UUID().uuidString.prefix(8).lowercased()
        let permitted = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.:")
        guard !id.isEmpty, id.unicodeScalars.allSatisfy(permitted.contains) else {
            throw OperationError.invalid(
                "field 'id': '\(id)' may contain only A-Z a-z 0-9 _ - . : (it becomes part of VDA 5050 order ids)")
        }
        guard (body.kind ?? "transport") == "transport" else {
            throw OperationError.invalid("field 'kind': fleetd runs only 'transport' tasks, not '\(body.kind ?? "")'")
        }
        var priority = TaskPriority.normal
        if let name = body.priority {
            guard let value = TaskPriority(rawValue: name) else {
                throw OperationError.invalid("field 'priority': '\(name)' is not low, normal, high or urgent")
            }
            priority = value
        }
        let request = TaskRequest(
            id: TaskID(id), pick: body.pick, drop: body.drop, loadType: body.loadType, loadWeightKg: body.loadWeightKg,
            requiredCapabilities: Set(body.capabilities ?? []), priority: priority, requester: requester)
        if let problem = request.problem(in: layout) {
            let stations = layout.stations.map(\.id).sorted().prefix(12).joined(separator: ", ")
            throw OperationError.invalid("\(problem); stations on this site include \(stations) (GET /v1/site)")
        }
        return request
    }
}
