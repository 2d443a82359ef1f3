import Foundation
import Hummingbird

/// One route of the API: method, path in OpenAPI form (`/v1/tasks/{id}`) and the least role it needs
/// (`nil`: open to everyone, e.g. `/healthz`).
public struct APIEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The HTTP method.
    public var method: HTTPRequest.Method
    /// The path in OpenAPI form.
    public var path: String
    /// The least role, or `nil` for open routes.
    public var role: APIRole?

    /// E.g. `GET /v1/tasks (viewer)`.
    public var description: String { "\(method) \(path) (\(role?.rawValue ?? "open"))" }
}

/// The handler of one route.
public typealias APIHandler = @Sendable (Request, APIRequestContext) async throws -> Response

/// Registers routes on a Hummingbird `RouteCollection` and remembers each one with its role, so the OpenAPI test
/// and the auth matrix test see exactly what the router serves. The role check runs before the handler.
public final class APIRouteTable {
    /// The routes, for `Router.addRoutes`.
    public let collection = RouteCollection(context: APIRequestContext.self)
    /// Every route added, in order.
    public private(set) var endpoints: [APIEndpoint] = []

    /// Creates an empty table.
    public init() {}

    /// Adds a route.
    /// - Parameters:
    ///   - method: the HTTP method.
    ///   - path: the path in OpenAPI form; `{name}` segments become Hummingbird parameters.
    ///   - role: the least role, or `nil` for an open route.
    ///   - handler: the handler; it runs only once the caller holds `role`.
    public func on(_ method: HTTPRequest.Method, _ path: String, role: APIRole?, handler: @escaping APIHandler) {
        endpoints.append(APIEndpoint(method: method, path: path, role: role))
        let routerPath = path.split(separator: "/").map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : String(segment)
        }.joined(separator: "/")
        collection.on(RouterPath(routerPath), method: method) {
            (request: Request, context: APIRequestContext) -> Response in
            if let role { _ = try context.require(role) }
            return try await handler(request, context)
        }
    }
}

extension Response {
    /// A JSON response (`application/json`, sorted keys).
    /// - Parameters:
    ///   - value: the body.
    ///   - status: the status (default 200).
    /// - Returns: the response.
    /// - Throws: `EncodingError` if the value cannot be encoded.
    public static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(
            status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    /// A text response.
    /// - Parameters:
    ///   - text: the body.
    ///   - contentType: the media type.
    /// - Returns: the response.
    public static func text(_ text: String, contentType: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

extension APIRequestContext {
    /// A path parameter that the route always has.
    /// - Parameter name: the parameter name.
    /// - Returns: its value.
    /// - Throws: ``ProblemDetails`` 400 if it is missing.
    func parameter(_ name: String) throws -> String {
        guard let value = parameters.get(name) else {
            throw ProblemDetails(
                .badRequest, "bad-request", title: "Bad request", detail: "missing '\(name)' in the path")
        }
        return value
    }
}
