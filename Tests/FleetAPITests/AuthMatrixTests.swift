import FleetAPI
import FleetCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Every route × every kind of caller: no token, an unknown token, a malformed header, and each role.
@Suite struct AuthMatrixTests {
    enum Caller: String, CaseIterable, Sendable {
        case none, unknown, malformed, viewer, `operator`, admin

        var headers: HTTPFields {
            switch self {
            case .none: return [:]
            case .unknown: return [.authorization: "Bearer not-a-configured-token-000"]
            case .malformed: return [.authorization: "Basic dXNlcjpwYXNz"]
            case .viewer: return Tokens.header(Tokens.viewer)
            case .operator: return Tokens.header(Tokens.operator)
            case .admin: return Tokens.header(Tokens.admin)
            }
        }

        var role: APIRole? { APIRole(rawValue: rawValue) }
    }

    /// The routes exactly as the router has them.
    static let endpoints: [APIEndpoint] = {
        let hub = EventHub()
        return OperatorAPI(
            configuration: .init(), operations: FakeFleet(hub: hub), metrics: APIMetrics(), hub: hub
        ).routeTable().endpoints
    }()

    static func concrete(_ path: String) -> String {
        path.replacingOccurrences(of: "{id}", with: "T-1").replacingOccurrences(of: "{manufacturer}", with: "acme")
            .replacingOccurrences(of: "{serial}", with: "AMR-1").replacingOccurrences(of: "{file}", with: "index.html")
    }

    @Test(arguments: endpoints, Caller.allCases)
    func rolesAreEnforced(endpoint: APIEndpoint, caller: Caller) async throws {
        try await withAPI { client, fleet in
            let closer = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(50))
                    fleet.hub.finishAll()
                }
            }
            defer { closer.cancel() }
            try await client.execute(
                uri: Self.concrete(endpoint.path), method: endpoint.method, headers: caller.headers
            ) { response in
                let code = response.status.code
                guard let required = endpoint.role else {
                    #expect(code != 401 && code != 403, "\(endpoint) must be open")
                    return
                }
                if let role = caller.role {
                    if role.includes(required) {
                        #expect(code != 401 && code != 403, "\(caller) on \(endpoint): \(response.text)")
                    } else {
                        #expect(code == 403, "\(caller) on \(endpoint)")
                        #expect((response.object["detail"] as? String)?.contains("needs \(required.rawValue)") == true)
                    }
                } else {
                    #expect(code == 401, "\(caller) on \(endpoint)")
                    #expect(response.headers[.wwwAuthenticate] == "Bearer realm=\"fleetd\"")
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
            }
            if caller.role.map({ !$0.includes(endpoint.role ?? .viewer) }) ?? true, endpoint.method == .post {
                #expect(fleet.commands.isEmpty && !fleet.records.contains { $0.event.kind == "canceled" })
                let zoneKinds: Set<String> = ["zone_hold", "zone_release", "estop", "estop_release"]
                #expect(!fleet.records.contains { zoneKinds.contains($0.event.kind) } && fleet.pauses.isEmpty)
                #expect(!fleet.records.contains { $0.event.kind.hasPrefix("maintenance") })
            }
        }
    }

    @Test func viewersReadOnly() {
        let writes = Self.endpoints.filter { $0.method != .get }
        #expect(!writes.isEmpty)
        #expect(writes.allSatisfy { ($0.role ?? .viewer) > .viewer }, "\(writes)")
    }

    @Test func tokensCompareInConstantTimeAndExactly() {
        let authenticator = TokenAuthenticator(tokens: [Tokens.viewer, Tokens.admin])
        #expect(authenticator.caller(for: Tokens.admin.secret)?.name == "site-admin")
        #expect(authenticator.caller(for: Tokens.admin.secret + "x") == nil)
        #expect(authenticator.caller(for: String(Tokens.admin.secret.dropLast())) == nil)
        #expect(authenticator.caller(for: "") == nil)
        #expect(TokenAuthenticator.constantTimeEquals(Array("abc".utf8), Array("abc".utf8)))
        #expect(!TokenAuthenticator.constantTimeEquals(Array("abc".utf8), Array("abd".utf8)))
        #expect(!TokenAuthenticator.constantTimeEquals(Array("abc".utf8), Array("abc\0".utf8)))
    }
}
