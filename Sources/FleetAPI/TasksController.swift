import FleetCore
import Foundation
import Hummingbird

/// `/v1/tasks`: submit any kind (operator), list with a state filter and paging, get, cancel and confirm (operator).
///
/// The body of `POST /v1/tasks` is a ``FleetCore/TaskSubmission``, the same fields as the MQTT task request (README
/// "Task kinds"), checked by the same code; `POST /v1/tasks/{id}/confirm` takes `{"person": "..."}`.
public struct TasksController: Sendable {
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
            var request = request
            let submission = try await Self.body(
                TaskSubmission.self, of: &request, shape: "a task (see /v1/openapi.json)")
            let snapshot = try await operations.snapshot()
            let task = try Self.request(from: submission, requester: caller.name, coordinator: snapshot.coordinator)
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
        table.on(.post, "/v1/tasks/{id}/confirm", role: .operator) { request, context in
            let caller = try context.require(.operator)
            let id = try context.parameter("id")
            var request = request
            let body = try await Self.body(TaskSubmission.Confirmation.self, of: &request, shape: #"{"person": "..."}"#)
            let person: String
            do throws(TaskSubmission.Problem) {
                person = try body.confirmingPerson(task: id)
            } catch {
                throw OperationError.invalid(error.description)
            }
            let coordinator = try await operations.snapshot().coordinator
            guard let task = coordinator.tasks[TaskID(id)] else {
                throw OperationError.notFound("no task '\(id)'; GET /v1/tasks lists the known tasks")
            }
            let inPlace = coordinator.mayConfirmInPlace(task.id, person: person)
            if let conflict = Self.confirmationConflict(task, person: person, inPlace: inPlace) {
                throw OperationError.conflict(conflict)
            }
            return try .json(TaskView(try await operations.confirm(TaskID(id), person: person, actor: caller.name)))
        }
    }

    /// Why `task` cannot take `person`'s confirmation (finished, a kind without confirmation, another person unless
    /// `inPlace`: someone who may confirm a resident's call for them), or `nil`.
    static func confirmationConflict(_ task: TransportTask, person: String, inPlace: Bool = false) -> String? {
        let request = task.request
        if task.state.isTerminal { return "task '\(task.id)' is already \(task.state.rawValue)" }
        if !request.kind.needsConfirmation {
            return "task '\(task.id)' is a \(request.kind.rawValue) task; only assist and handover tasks are confirmed"
        }
        if let expected = request.person, expected != person, !inPlace {
            return "task '\(task.id)' must be confirmed by \(expected), not \(person)"
        }
        return nil
    }

    /// Decodes a JSON body: 400 when it is not JSON, 422 naming the field when a field has the wrong type.
    static func body<T: Decodable>(_ type: T.Type, of request: inout Request, shape: String) async throws -> T {
        let buffer = try await request.collectBody(upTo: 256 * 1024)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let problem as TaskSubmission.Problem {
            throw OperationError.invalid(problem.description)
        } catch {
            throw ProblemDetails(
                .badRequest, "bad-request", title: "Bad request",
                detail: "the request body is not valid JSON; expected \(shape)")
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

    /// The request of a submission: the shared checks of ``FleetCore/TaskSubmission``, then the site's
    /// (``FleetCore/TaskRequest/problem(in:)``), duplicate ids and unknown dependencies, so every refusal is a 4xx
    /// answer here rather than a `rejected` record later.
    static func request(from body: TaskSubmission, requester: String, coordinator: Coordinator) throws -> TaskRequest {
        var body = body
        body.id = body.id ?? "T-" + UUID().uuidString.prefix(8).lowercased()
        let request: TaskRequest
        do throws(TaskSubmission.Problem) {
            request = try body.request(requester: requester, time: Self.time)
        } catch {
            throw OperationError.invalid(error.description)
        }
        let layout = coordinator.layout
        if let problem = request.problem(in: layout) {
            var hint = ""
            if problem.contains("station") {
                let stations = layout.stations.map(\.id).sorted().prefix(12).joined(separator: ", ")
                hint = "; stations on this site include \(stations) (GET /v1/site)"
            } else if problem.contains("zone") {
                hint = "; zones on this site: \(layout.zones.map(\.id).sorted().joined(separator: ", "))"
            }
            throw OperationError.invalid(problem + hint)
        }
        if coordinator.tasks[request.id] != nil {
            throw OperationError.conflict("task '\(request.id)' already exists; choose another id or omit 'id'")
        }
        if let unknown = request.after.first(where: { coordinator.tasks[$0] == nil }) {
            throw OperationError.invalid("field 'after': unknown task '\(unknown)'")
        }
        return request
    }

    /// An ISO 8601 time with or without fractional seconds (`2026-11-29T08:30:00.000Z`), or `nil`.
    static func time(_ text: String) -> FleetTime? {
        for style in [
            Date.ISO8601FormatStyle(includingFractionalSeconds: true), Date.ISO8601FormatStyle(),
        ] {
            if let date = try? Date(text, strategy: style) {
                return FleetTime(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded()))
            }
        }
        return nil
    }
}
