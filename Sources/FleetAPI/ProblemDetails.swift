import Foundation
import Hummingbird

/// An RFC 9457 problem-details error: every API error is answered with one, as `application/problem+json`.
///
/// `type` is a stable URI naming the kind of problem (`https://fleetpilot.dev/problems/<slug>`), `title` its short
/// summary, `detail` what exactly went wrong and what to do about it.
public struct ProblemDetails: HTTPResponseError, Codable, Sendable, Hashable {
    /// The problem kind, e.g. `https://fleetpilot.dev/problems/unknown-station`.
    public var type: String
    /// A short summary of the kind, e.g. `Unknown station`.
    public var title: String
    /// The HTTP status code.
    public var code: Int
    /// What went wrong in this case and how to fix it.
    public var detail: String
    /// The request path.
    public var instance: String?

    /// The HTTP status.
    public var status: HTTPResponse.Status { HTTPResponse.Status(code: code) }

    /// Creates a problem.
    /// - Parameters:
    ///   - status: the HTTP status.
    ///   - slug: the last path component of the `type` URI.
    ///   - title: the short summary.
    ///   - detail: what went wrong and what to do.
    public init(_ status: HTTPResponse.Status, _ slug: String, title: String, detail: String) {
        self.type = "https://fleetpilot.dev/problems/\(slug)"
        self.title = title
        self.code = status.code
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey {
        case type, title, detail, instance
        case code = "status"
    }

    /// Renders the problem as `application/problem+json`.
    /// - Parameters:
    ///   - request: the request.
    ///   - context: the request context.
    /// - Returns: the response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var problem = self
        problem.instance = problem.instance ?? request.uri.path
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        if code == 401 { headers[.wwwAuthenticate] = "Bearer realm=\"fleetd\"" }
        return Response(
            status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(problem))))
    }

    /// The problem for an operation that failed.
    /// - Parameter error: the operation error.
    /// - Returns: the problem (503, 404, 409, 422 or 502).
    public static func from(_ error: OperationError) -> ProblemDetails {
        switch error {
        case .notReady(let detail):
            return ProblemDetails(.serviceUnavailable, "not-ready", title: "Not ready", detail: detail)
        case .notFound(let detail): return ProblemDetails(.notFound, "not-found", title: "Not found", detail: detail)
        case .conflict(let detail): return ProblemDetails(.conflict, "conflict", title: "Conflict", detail: detail)
        case .invalid(let detail):
            return ProblemDetails(.unprocessableContent, "invalid-request", title: "Invalid request", detail: detail)
        case .failed(let detail):
            return ProblemDetails(.badGateway, "operation-failed", title: "Operation failed", detail: detail)
        }
    }
}

/// Turns every error a route or Hummingbird throws (unknown path, wrong method, undecodable body) into
/// ``ProblemDetails``, so clients only ever see one error shape.
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Creates the middleware.
    public init() {}

    /// Runs the rest of the chain and converts its errors.
    /// - Parameters:
    ///   - request: the request.
    ///   - context: the context.
    ///   - next: the rest of the chain.
    /// - Returns: the response.
    /// - Throws: ``ProblemDetails`` for every failure.
    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as ProblemDetails {
            throw problem
        } catch let error as OperationError {
            throw ProblemDetails.from(error)
        } catch let error as HTTPResponseError {
            throw Self.problem(for: error, request: request)
        } catch {
            context.logger.error("request failed: \(error)", metadata: ["http.path": "\(request.uri.path)"])
            throw ProblemDetails(
                .internalServerError, "internal", title: "Internal error",
                detail: "fleetd could not handle this request; its log has the details")
        }
    }

    static func problem(for error: HTTPResponseError, request: Request) -> ProblemDetails {
        let message = (error as? HTTPError)?.body
        switch error.status {
        case .notFound:
            return ProblemDetails(
                .notFound, "no-such-route", title: "No such route",
                detail: "fleetd has no route \(request.method) \(request.uri.path); the API is described in "
                    + "/v1/openapi.json")
        case .methodNotAllowed:
            return ProblemDetails(
                .methodNotAllowed, "method-not-allowed", title: "Method not allowed",
                detail: "\(request.method) is not allowed on \(request.uri.path); see /v1/openapi.json")
        case .badRequest:
            return ProblemDetails(
                .badRequest, "bad-request", title: "Bad request",
                detail: "the request body is not valid JSON of the expected shape"
                    + (message.map { ": \($0)" } ?? "; see /v1/openapi.json"))
        default:
            return ProblemDetails(
                error.status, "http-\(error.status.code)", title: error.status.reasonPhrase,
                detail: message ?? error.status.reasonPhrase)
        }
    }
}
