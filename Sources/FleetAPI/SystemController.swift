import FleetCore
import Foundation
import Hummingbird

/// Health, readiness, metrics, the site layout, the live event stream, the OpenAPI document and the dashboard.
public struct SystemController: Sendable {
    /// The site layout as `GET /v1/site` returns it (the dashboard draws its map from this).
    public struct SiteView: Encodable, Sendable {
        /// Site id.
        public var siteId: String
        /// Graph nodes with positions.
        public var nodes: [SiteNode]
        /// Graph edges.
        public var edges: [SiteEdge]
        /// Stations.
        public var stations: [Station]
        /// Chargers.
        public var chargers: [Charger]
        /// Parking spots.
        public var parkingSpots: [ParkingSpot]
        /// Zones.
        public var zones: [Zone]
    }

    let operations: any FleetOperations
    let metrics: APIMetrics
    let hub: EventHub
    let resources: APIResources

    /// Creates the controller.
    /// - Parameters:
    ///   - operations: the daemon.
    ///   - metrics: the metrics registry.
    ///   - hub: the event fan-out.
    ///   - resources: the dashboard files and the OpenAPI document.
    public init(operations: any FleetOperations, metrics: APIMetrics, hub: EventHub, resources: APIResources) {
        self.operations = operations
        self.metrics = metrics
        self.hub = hub
        self.resources = resources
    }

    /// Adds the routes.
    /// - Parameter table: the route table.
    public func register(on table: APIRouteTable) {
        let (operations, metrics, hub, resources) = (operations, metrics, hub, resources)
        table.on(.get, "/healthz", role: nil) { _, _ in try .json(HealthStatus(status: "ok")) }
        table.on(.get, "/readyz", role: nil) { _, _ in
            guard operations.isReady else {
                throw OperationError.notReady(
                    "fleetd is starting (connecting to the broker, replaying the journal or waiting for the clock)")
            }
            return try .json(HealthStatus(status: "ready"))
        }
        table.on(.get, "/metrics", role: .viewer) { _, _ in
            let snapshot = try? await operations.snapshot()
            return .text(
                metrics.render(snapshot: snapshot, traffic: operations.traffic),
                contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        table.on(.get, "/v1/site", role: .viewer) { _, _ in
            let layout = try await operations.snapshot().coordinator.layout
            return try .json(
                SiteView(
                    siteId: layout.siteId, nodes: layout.nodes, edges: layout.edges, stations: layout.stations,
                    chargers: layout.chargers, parkingSpots: layout.parkingSpots, zones: layout.zones))
        }
        table.on(.get, "/v1/events", role: .viewer) { request, _ in
            let after =
                (request.headers.first { $0.name.canonicalName == "last-event-id" }?.value
                ?? request.uri.queryParameters["after"].map(String.init))
                .flatMap { Int64($0) }
            let stream = hub.subscribe(after: after)
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-cache"
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: ": fleetd event stream\n\n"))
                    for await line in stream { try await writer.write(ByteBuffer(string: line.serverSentEvent)) }
                    try await writer.finish(nil)
                })
        }
        table.on(.get, "/v1/openapi.json", role: nil) { _, _ in
            try resources.response(for: "openapi.json")
        }
        table.on(.get, "/", role: nil) { _, _ in
            var headers = HTTPFields()
            headers[.location] = "/dashboard/index.html"
            return Response(status: .seeOther, headers: headers)
        }
        table.on(.get, "/dashboard/{file}", role: nil) { _, context in
            try resources.response(for: "Dashboard/" + (try context.parameter("file")))
        }
    }
}

/// Finds the files the API serves as they are (the dashboard, the OpenAPI document): next to the executable
/// (SwiftPM's `FleetPilot_FleetAPI.resources`), in `FLEETD_API_RESOURCES`, or in the source tree.
public struct APIResources: Sendable {
    /// The folder holding `openapi.json` and `Dashboard/`, if found.
    public let directory: URL?
    private static let types = [
        "html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
        "json": "application/json", "svg": "image/svg+xml",
    ]

    /// Looks for the folder.
    /// - Parameter environment: where `FLEETD_API_RESOURCES` is read.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let bundleName = "FleetPilot_FleetAPI.resources"
        var candidates: [URL] = []
        if let path = environment["FLEETD_API_RESOURCES"], !path.isEmpty {
            candidates.append(URL(fileURLWithPath: path))
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent(bundleName))
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent(bundleName))
        }
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent())
        directory = candidates.first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("openapi.json").path)
        }
    }

    /// The file's contents.
    /// - Parameter name: a path inside the folder, e.g. `Dashboard/app.js`.
    /// - Returns: the bytes, or `nil` if missing or outside the folder.
    public func data(_ name: String) -> Data? {
        guard let directory, !name.contains(".."), !name.hasPrefix("/") else { return nil }
        return FileManager.default.contents(atPath: directory.appendingPathComponent(name).path)
    }

    /// The file as a response.
    /// - Parameter name: a path inside the folder.
    /// - Returns: the response with its media type.
    /// - Throws: ``ProblemDetails`` 404 when the file does not exist.
    public func response(for name: String) throws -> Response {
        guard let data = data(name) else {
            throw ProblemDetails(
                .notFound, "no-such-file", title: "No such file",
                detail: directory == nil
                    ? "fleetd cannot find its files (\(name)); install FleetPilot_FleetAPI.resources next to fleetd "
                        + "or set FLEETD_API_RESOURCES"
                    : "no file '\(name)'; the dashboard starts at /dashboard/index.html")
        }
        var headers = HTTPFields()
        headers[.contentType] = Self.types[(name as NSString).pathExtension] ?? "application/octet-stream"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
