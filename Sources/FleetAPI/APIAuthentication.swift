import Foundation
import Hummingbird

/// A bearer token from the configuration: a name (journaled as the actor of every write made with it), a role,
/// and the secret itself.
public struct APIToken: Sendable, Hashable {
    /// Who or what uses the token, e.g. `ops-console`; journaled as the requester/actor.
    public var name: String
    /// What the token may do.
    public var role: APIRole
    /// The secret sent as `Authorization: Bearer <secret>`.
    public var secret: String

    /// Creates a token.
    /// - Parameters:
    ///   - name: who uses it.
    ///   - role: what it may do.
    ///   - secret: the secret.
    public init(name: String, role: APIRole, secret: String) {
        self.name = name
        self.role = role
        self.secret = secret
    }
}

/// The authenticated caller of a request.
public struct APICaller: Sendable, Hashable {
    /// The token's name.
    public var name: String
    /// The token's role.
    public var role: APIRole
}

/// Checks presented bearer tokens against the configured ones in constant time: every configured token is
/// compared in full, whatever matches, so the response time does not tell how much of a guess was right.
public struct TokenAuthenticator: Sendable {
    private let tokens: [APIToken]

    /// Creates an authenticator.
    /// - Parameter tokens: the configured tokens.
    public init(tokens: [APIToken]) {
        self.tokens = tokens.filter { !$0.secret.isEmpty }
    }

    /// The caller a secret belongs to, or `nil` when no configured token matches.
    /// - Parameter secret: the presented secret.
    /// - Returns: the caller.
    public func caller(for secret: String) -> APICaller? {
        let presented = Array(secret.utf8)
        var found: APICaller?
        for token in tokens where Self.constantTimeEquals(presented, Array(token.secret.utf8)) {
            found = APICaller(name: token.name, role: token.role)
        }
        return found
    }

    /// Compares two byte strings in time that depends only on their lengths.
    /// - Parameters:
    ///   - lhs: one string.
    ///   - rhs: the other.
    /// - Returns: whether they are equal.
    public static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        let length = max(lhs.count, rhs.count)
        var difference = UInt64(lhs.count ^ rhs.count)
        for index in 0..<length {
            let a = index < lhs.count ? lhs[index] : 0
            let b = index < rhs.count ? rhs[index] : 0
            difference |= UInt64(a ^ b)
        }
        return difference == 0
    }
}

/// The request context of the operator API: Hummingbird's core context plus what the bearer token said.
public struct APIRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The authenticated caller, if a known token was presented.
    public var caller: APICaller?
    /// Why authentication failed, if an `Authorization` header was presented and refused.
    public var authenticationProblem: String?

    /// Creates a context for a request.
    /// - Parameter source: the application's request source.
    public init(source: Source) {
        self.coreContext = .init(source: source)
    }

    /// The caller if it holds at least `role`.
    /// - Parameter role: the least role the route needs.
    /// - Returns: the caller.
    /// - Throws: ``ProblemDetails`` 401 (no or unknown token) or 403 (role too low).
    public func require(_ role: APIRole) throws -> APICaller {
        guard let caller else {
            throw ProblemDetails(
                .unauthorized, "unauthenticated", title: "Authentication required",
                detail: authenticationProblem
                    ?? "send 'Authorization: Bearer <token>' with a token from the api.tokens section of fleetd's "
                    + "configuration")
        }
        guard caller.role.includes(role) else {
            throw ProblemDetails(
                .forbidden, "forbidden", title: "Role too low",
                detail: "token '\(caller.name)' has role \(caller.role.rawValue); this needs \(role.rawValue) or "
                    + "higher (ask an admin for an \(role.rawValue) token)")
        }
        return caller
    }
}

/// Reads `Authorization: Bearer <token>` and puts the caller (or the reason it was refused) into the context;
/// routes then demand a role with ``APIRequestContext/require(_:)``.
public struct BearerAuthenticationMiddleware: RouterMiddleware {
    /// The request context.
    public typealias Context = APIRequestContext
    private let authenticator: TokenAuthenticator

    /// Creates the middleware.
    /// - Parameter authenticator: the configured tokens.
    public init(authenticator: TokenAuthenticator) {
        self.authenticator = authenticator
    }

    /// Authenticates, then runs the rest of the chain.
    /// - Parameters:
    ///   - request: the request.
    ///   - context: the context.
    ///   - next: the rest of the chain.
    /// - Returns: the response.
    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                context.caller = authenticator.caller(for: String(parts[1]).trimmingCharacters(in: .whitespaces))
                if context.caller == nil {
                    context.authenticationProblem =
                        "the bearer token is not one of fleetd's api.tokens (check FLEETCTL_TOKEN or the dashboard's token)"
                }
            } else {
                context.authenticationProblem = "the Authorization header must be 'Bearer <token>'"
            }
        }
        return try await next(request, context)
    }
}
