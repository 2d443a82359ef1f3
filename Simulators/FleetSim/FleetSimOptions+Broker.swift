import FleetConfig
import FleetCore
import FleetMQTT
import Foundation

/// How fleet-sim logs in to the broker and encrypts: from a settings file (`fleet-sim --mqtt-settings FILE`,
/// `KEY=VALUE` lines) and the environment (which wins), never from flags, where `ps` would show them.
///
/// | variable | meaning |
/// |---|---|
/// | `FLEETSIM_MQTT_USERNAME`, `FLEETSIM_MQTT_PASSWORD` | the control client (clock, task requests); also every vehicle's unless `FLEETSIM_MQTT_VEHICLE_CREDENTIALS` is set |
/// | `FLEETSIM_MQTT_VEHICLE_CREDENTIALS` | the `credentials` folder of `fleetctl broker-credentials`: each vehicle logs in as itself from `robots/{manufacturer}/{serial}.env` |
/// | `FLEETSIM_MQTT_CA_FILE`, `FLEETSIM_MQTT_CERT_FILE`, `FLEETSIM_MQTT_KEY_FILE` | TLS: the broker's CA (turns TLS on), an optional client certificate and key |
/// | `FLEETSIM_MQTT_ALLOW_INSECURE` | `true`: accept plain TCP to a broker on another machine |
///
/// The credentials file the generator writes for the `fleet-sim` account is a valid settings file.
public struct SimBrokerSettings: Sendable, Hashable {
    /// The control client's user name.
    public var username: String?
    /// The control client's password.
    public var password: String?
    /// TLS settings; `nil` is plain TCP.
    public var tls: BrokerTLS?
    /// Whether plain TCP to a broker on another machine is accepted.
    public var allowInsecure: Bool
    /// The generator's `credentials` folder; each vehicle then uses its own account.
    public var vehicleCredentialsDirectory: String?

    /// The variable names, in the settings file and the environment.
    public enum Variable {
        /// The control client's user name.
        public static let username = "FLEETSIM_MQTT_USERNAME"
        /// The control client's password.
        public static let password = "FLEETSIM_MQTT_PASSWORD"
        /// The broker's CA file (turns TLS on).
        public static let caFile = "FLEETSIM_MQTT_CA_FILE"
        /// The client certificate.
        public static let certFile = "FLEETSIM_MQTT_CERT_FILE"
        /// The client key.
        public static let keyFile = "FLEETSIM_MQTT_KEY_FILE"
        /// `true` accepts plain TCP to another machine.
        public static let allowInsecure = "FLEETSIM_MQTT_ALLOW_INSECURE"
        /// The per-vehicle credentials folder.
        public static let vehicleCredentials = "FLEETSIM_MQTT_VEHICLE_CREDENTIALS"
        /// Every variable.
        public static let all = [username, password, caFile, certFile, keyFile, allowInsecure, vehicleCredentials]
    }

    /// Settings for an anonymous, plain-TCP broker (the default for local runs).
    public init(
        username: String? = nil, password: String? = nil, tls: BrokerTLS? = nil, allowInsecure: Bool = false,
        vehicleCredentialsDirectory: String? = nil
    ) {
        self.username = username
        self.password = password
        self.tls = tls
        self.allowInsecure = allowInsecure
        self.vehicleCredentialsDirectory = vehicleCredentialsDirectory
    }

    /// Reads the settings file (if any), then the environment.
    /// - Parameters:
    ///   - file: A `KEY=VALUE` file (`#` comments), relative paths in it resolved against its folder.
    ///   - environment: The process environment.
    /// - Throws: ``SimBrokerSettingsError`` naming the file, line or variable.
    public static func load(file: String?, environment: [String: String]) throws(SimBrokerSettingsError)
        -> SimBrokerSettings
    {
        var values: [String: String] = [:]
        var base = "."
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw SimBrokerSettingsError("cannot read the MQTT settings file '\(file)'")
            }
            let folder = (file as NSString).deletingLastPathComponent
            base = folder.isEmpty ? "." : folder
            for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || line.hasPrefix("#") { continue }
                guard let equals = line.firstIndex(of: "="), Variable.all.contains(String(line[..<equals])) else {
                    throw SimBrokerSettingsError(
                        "\(file):\(index + 1): expected KEY=VALUE with KEY one of \(Variable.all.joined(separator: ", "))"
                    )
                }
                values[String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
        }
        for name in Variable.all {
            if let value = environment[name], !value.isEmpty { values[name] = value }
        }
        func path(_ name: String) -> String? {
            guard let value = values[name], !value.isEmpty else { return nil }
            return value.hasPrefix("/") ? value : base + "/" + value
        }
        var settings = SimBrokerSettings()
        settings.username = values[Variable.username].flatMap { $0.isEmpty ? nil : $0 }
        settings.password = values[Variable.password].flatMap { $0.isEmpty ? nil : $0 }
        if settings.password != nil && settings.username == nil {
            throw SimBrokerSettingsError("\(Variable.password) needs \(Variable.username)")
        }
        if let ca = path(Variable.caFile) {
            settings.tls = BrokerTLS(caFile: ca, certFile: path(Variable.certFile), keyFile: path(Variable.keyFile))
        } else if path(Variable.certFile) != nil || path(Variable.keyFile) != nil {
            throw SimBrokerSettingsError("\(Variable.certFile)/\(Variable.keyFile) need \(Variable.caFile)")
        }
        if let tls = settings.tls, (tls.certFile == nil) != (tls.keyFile == nil) {
            throw SimBrokerSettingsError("\(Variable.certFile) and \(Variable.keyFile) go together")
        }
        switch values[Variable.allowInsecure]?.lowercased() {
        case nil, "", "false", "0", "no": settings.allowInsecure = false
        case "true", "1", "yes": settings.allowInsecure = true
        case let other?:
            throw SimBrokerSettingsError("\(Variable.allowInsecure) must be true or false, got '\(other)'")
        }
        settings.vehicleCredentialsDirectory = path(Variable.vehicleCredentials)
        return settings
    }

    /// The refusal for plain TCP to a broker on another machine, or `nil`.
    /// - Parameters:
    ///   - host: The broker host.
    ///   - port: The broker port.
    public func transportProblem(host: String, port: Int) -> InsecureBrokerError? {
        BrokerTransportPolicy.check(
            host: host, port: port, tls: tls != nil, allowInsecure: allowInsecure,
            remedy: "set \(Variable.caFile), or \(Variable.allowInsecure)=true to accept it")
    }

    /// The user name and password of a vehicle: its own account from ``vehicleCredentialsDirectory``, else the
    /// control client's.
    /// - Parameter id: The vehicle.
    /// - Throws: ``SimBrokerSettingsError`` when the folder lacks the vehicle's file.
    public func credentials(for id: RobotID) throws(SimBrokerSettingsError) -> (username: String?, password: String?) {
        guard let folder = vehicleCredentialsDirectory else { return (username, password) }
        let file = "\(folder)/robots/\(id.manufacturer)/\(id.serialNumber).env"
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw SimBrokerSettingsError(
                "no credentials for \(id) in \(file); run fleetctl broker-credentials for this fleet")
        }
        var user: String?
        var secret: String?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("MQTT_USERNAME=") { user = String(line.dropFirst("MQTT_USERNAME=".count)) }
            if line.hasPrefix("MQTT_PASSWORD=") { secret = String(line.dropFirst("MQTT_PASSWORD=".count)) }
        }
        guard let user, let secret else { throw SimBrokerSettingsError("\(file) lacks MQTT_USERNAME or MQTT_PASSWORD") }
        return (user, secret)
    }

    /// The client library's TLS settings.
    var mqttTLS: MQTTTLSConfiguration? {
        tls.map {
            MQTTTLSConfiguration(
                caFile: $0.caFile, certFile: $0.certFile, keyFile: $0.keyFile, verifyHostname: $0.verifyHostname)
        }
    }
}

/// A bad MQTT settings file or variable.
public struct SimBrokerSettingsError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var description: String

    /// Creates the error.
    public init(_ description: String) { self.description = description }
}
