import Hummingbird
import Logging

/// The operator API: builds the router and the Hummingbird application that `fleetd` runs and the tests drive
/// with `app.test(.router)`.
public struct OperatorAPI: Sendable {
    /// Where and how the API listens and whom it lets in.
    public struct Configuration: Sendable, Hashable {
        /// Listen address (default `127.0.0.1`: reachable from this machine only).
        public var host: String
        /// Listen port (`0`: any free port).
        public var port: Int
        /// The bearer tokens.
        public var tokens: [APIToken]

        /// Creates a configuration.
        /// - Parameters:
        ///   - host: listen address.
        ///   - port: listen port.
        ///   - tokens: the bearer tokens.
        public init(host: String = "127.0.0.1", port: Int = 8080, tokens: [APIToken] = []) {
            self.host = host
            self.port = port
            self.tokens = tokens
        }
    }

    /// The configuration.
    public let configuration: Configuration
    /// The daemon behind the API.
    public let operations: any FleetOperations
    /// The metrics (one registry per API instance).
    public let metrics: APIMetrics
    /// The event fan-out the daemon publishes appended records to.
    public let hub: EventHub
    /// The dashboard files and the OpenAPI document.
    public let resources: APIResources

    /// Creates the API.
    /// - Parameters:
    ///   - configuration: listen address and tokens.
    ///   - operations: the daemon.
    ///   - metrics: the metrics registry.
    ///   - hub: the event fan-out (feeding `metrics`).
    ///   - resources: the served files.
    public init(
        configuration: Configuration, operations: any FleetOperations, metrics: APIMetrics, hub: EventHub,
        resources: APIResources = APIResources()
    ) {
        self.configuration = configuration
        self.operations = operations
        self.metrics = metrics
        self.hub = hub
        self.resources = resources
    }

    /// Every route, each with its least role.
    /// - Returns: the route table (its `collection` goes into a router).
    public func routeTable() -> APIRouteTable {
        let table = APIRouteTable()
        TasksController(operations: operations).register(on: table)
        RobotsController(operations: operations).register(on: table)
        ZonesController(operations: operations).register(on: table)
        MaintenanceController(operations: operations).register(on: table)
        PeopleController(operations: operations).register(on: table)
        SystemController(operations: operations, metrics: metrics, hub: hub, resources: resources).register(on: table)
        return table
    }

    /// The router: problem-details errors, bearer authentication, then the routes of ``routeTable()``.
    /// - Returns: the router.
    public func buildRouter() -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        router.add(
            middleware: BearerAuthenticationMiddleware(authenticator: TokenAuthenticator(tokens: configuration.tokens)))
        router.addRoutes(routeTable().collection)
        return router
    }

    /// The application (a ServiceLifecycle `Service`), shared by `fleetd` and the tests.
    /// - Parameter logger: the logger.
    /// - Returns: the application.
    public func buildApplication(logger: Logger) -> some ApplicationProtocol {
        Application(
            router: buildRouter(),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "fleetd"),
            logger: logger)
    }
}
