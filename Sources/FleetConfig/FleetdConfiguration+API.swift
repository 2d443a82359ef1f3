import Foundation
import Yams

extension FleetdConfiguration {
    /// The operator HTTP API (`api:` in `fleetd.yaml`): off unless `enabled: true`; listens on `127.0.0.1:8080`
    /// by default, so only this machine can reach it until `host` says otherwise.
    public struct API: Sendable, Hashable {
        /// Whether fleetd serves the API and the dashboard.
        public var enabled: Bool
        /// Listen address.
        public var host: String
        /// Listen port, 1...65535 (`0` only in tests: any free port).
        public var port: Int
        /// The bearer tokens (file `api.tokens`, plus `FLEETD_API_TOKENS`).
        public var tokens: [APIToken]

        /// Creates API settings.
        public init(enabled: Bool = false, host: String = "127.0.0.1", port: Int = 8080, tokens: [APIToken] = []) {
            self.enabled = enabled
            self.host = host
            self.port = port
            self.tokens = tokens
        }
    }

    /// One bearer token: its name is journaled as the requester/actor of every write made with it.
    public struct APIToken: Sendable, Hashable {
        /// Who uses the token, e.g. `ops-console`.
        public var name: String
        /// `viewer`, `operator` or `admin`.
        public var role: String
        /// The secret.
        public var secret: String

        /// Creates a token.
        public init(name: String, role: String, secret: String) {
            self.name = name
            self.role = role
            self.secret = secret
        }
    }
}

extension FleetdConfigurationLoader {
    /// The environment variable with extra tokens: `name:role:secret`, comma-separated.
    public static let apiTokensVariable = "FLEETD_API_TOKENS"
    /// The roles a token may have.
    static let apiRoles: Set<String> = ["viewer", "operator", "admin"]

    /// Reads the `api` section and the `FLEETD_API_TOKENS` variable.
    func api(_ node: Node?, _ r: YAMLNodeReader, environment: [String: String]) throws(ConfigError)
        -> FleetdConfiguration.API
    {
        var api = FleetdConfiguration.API()
        if let node {
            let m = try r.mapping(node, "api", allowed: ["enabled", "host", "port", "tokens"])
            api.enabled = try r.optionalBool(m, "enabled", "api") ?? api.enabled
            api.host = try r.optionalString(m, "host", "api") ?? api.host
            if let port = try r.optionalInt(m, "port", "api") {
                guard (0...65535).contains(port) else {
                    throw r.invalid(Self.node(m, "port"), "api.port", "\(port) is not in 1...65535")
                }
                api.port = port
            }
            if Self.node(m, "tokens") != nil {
                for (i, item) in try r.sequence(m, "tokens", "api.tokens").enumerated() {
                    let f = "api.tokens[\(i)]"
                    let t = try r.mapping(item, f, allowed: ["name", "role", "secret", "secretEnv"])
                    let name = try r.string(t, "name", f, at: item)
                    let role = try r.string(t, "role", f, at: item)
                    guard Self.apiRoles.contains(role) else {
                        throw r.invalid(Self.node(t, "role"), "\(f).role", "'\(role)' is not viewer, operator or admin")
                    }
                    var secret = try r.optionalString(t, "secret", f)
                    if let variable = try r.optionalString(t, "secretEnv", f) {
                        secret = environment[variable]
                        guard secret?.isEmpty == false else {
                            throw r.invalid(
                                Self.node(t, "secretEnv"), "\(f).secretEnv",
                                "environment variable \(variable) is not set")
                        }
                    }
                    guard let secret, secret.count >= 16 else {
                        throw r.invalid(item, "\(f).secret", "give 'secret' or 'secretEnv' with at least 16 characters")
                    }
                    api.tokens.append(.init(name: name, role: role, secret: secret))
                }
            }
        }
        if let list = environment[Self.apiTokensVariable], !list.isEmpty {
            for entry in list.split(separator: ",") {
                let parts = entry.split(separator: ":", maxSplits: 2).map(String.init)
                guard parts.count == 3, Self.apiRoles.contains(parts[1]), parts[2].count >= 16 else {
                    throw .invalid(
                        file: "(environment)", line: nil, field: Self.apiTokensVariable,
                        reason:
                            "entries must be name:role:secret (role viewer, operator or admin; secret >= 16 characters)"
                    )
                }
                api.tokens.append(.init(name: parts[0], role: parts[1], secret: parts[2]))
            }
        }
        return api
    }
}
