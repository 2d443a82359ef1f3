import FleetCore
import Foundation
import Yams

/// Loads `fleetd`'s YAML configuration (format: `Configs/fleetd.yaml`, which documents every key), with errors
/// that name the file, the line and the field.
///
/// Unknown keys are errors. Relative `site` paths are resolved against the configuration file's directory.
/// MQTT credentials and TLS files may come from the file or from the environment (`FLEETD_MQTT_USERNAME`,
/// `FLEETD_MQTT_PASSWORD`, `FLEETD_MQTT_CA_FILE`, `FLEETD_MQTT_CERT_FILE`, `FLEETD_MQTT_KEY_FILE`; the environment
/// wins), never from flags. Relative TLS paths are resolved like `site`.
public struct FleetdConfigurationLoader: Sendable {
    /// The environment variable holding the MQTT user name.
    public static let usernameVariable = "FLEETD_MQTT_USERNAME"
    /// The environment variable holding the MQTT password.
    public static let passwordVariable = "FLEETD_MQTT_PASSWORD"
    /// The environment variable holding the broker's CA certificate file (turns TLS on).
    public static let caFileVariable = "FLEETD_MQTT_CA_FILE"
    /// The environment variable holding the client certificate file.
    public static let certFileVariable = "FLEETD_MQTT_CERT_FILE"
    /// The environment variable holding the client key file.
    public static let keyFileVariable = "FLEETD_MQTT_KEY_FILE"

    private let environment: [String: String]

    /// Creates a loader.
    /// - Parameter environment: where credentials are looked up (default: the process environment).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Loads the configuration file at `path`.
    /// - Throws: ``ConfigError`` naming the file, and the line and field where known.
    public func load(path: String) throws(ConfigError) -> FleetdConfiguration {
        let text = try ConfigFile.read(path)
        let directory = (path as NSString).deletingLastPathComponent
        return try load(yaml: text, file: path, baseDirectory: directory.isEmpty ? "." : directory)
    }

    /// Loads a configuration from YAML text.
    /// - Parameters:
    ///   - yaml: the text.
    ///   - file: the name used in errors.
    ///   - baseDirectory: the directory relative `site` paths are resolved against.
    /// - Throws: ``ConfigError`` naming the file, and the line and field where known.
    public func load(yaml: String, file: String, baseDirectory: String = ".") throws(ConfigError)
        -> FleetdConfiguration
    {
        let r = YAMLNodeReader(file: file)
        let root = try r.compose(yaml)
        let top = try r.mapping(
            root, "",
            allowed: [
                "siteId", "site", "broker", "interfaceName", "journal", "clock", "coordinator", "allocation", "fleet",
                "limits", "api",
            ])
        let layout = try r.string(top, "site", "", at: root)
        var config = FleetdConfiguration(
            siteId: try r.string(top, "siteId", "", at: root),
            siteLayoutPath: layout.hasPrefix("/") ? layout : baseDirectory + "/" + layout)
        try checkTopicLevel(config.siteId, Self.node(top, "siteId"), "siteId", r)
        if let node = Self.node(top, "broker") { config.broker = try broker(node, r, baseDirectory: baseDirectory) }
        if let name = try r.optionalString(top, "interfaceName", "") {
            try checkTopicLevel(name, Self.node(top, "interfaceName"), "interfaceName", r)
            config.interfaceName = name
        }
        if let node = Self.node(top, "journal") {
            let m = try r.mapping(node, "journal", allowed: ["path", "synchronous"])
            config.journalPath = try r.optionalString(m, "path", "journal") ?? config.journalPath
            if Self.node(m, "synchronous") != nil {
                config.journalSynchronous = try r.choice(m, "synchronous", "journal", at: node)
            }
        }
        if Self.node(top, "clock") != nil { config.clock = try r.choice(top, "clock", "", at: root) }
        if let node = Self.node(top, "coordinator") { config.coordinator = try coordinator(node, r) }
        if let node = Self.node(top, "allocation") { try Self.allocation(node, r, into: &config.coordinator) }
        config.fleet = try FleetEntryReader(reader: r).entries(top)
        if let node = Self.node(top, "limits") {
            let m = try r.mapping(node, "limits", allowed: ["maxPayloadBytes"])
            if let bytes = try r.optionalInt(m, "maxPayloadBytes", "limits") {
                guard bytes >= 1024 else {
                    throw r.invalid(Self.node(m, "maxPayloadBytes"), "limits.maxPayloadBytes", "must be at least 1024")
                }
                config.maxPayloadBytes = bytes
            }
        }
        if let user = environment[Self.usernameVariable], !user.isEmpty { config.broker.username = user }
        if let password = environment[Self.passwordVariable], !password.isEmpty { config.broker.password = password }
        config.api = try api(Self.node(top, "api"), r, environment: environment)
        if config.broker.password != nil && config.broker.username == nil {
            throw r.invalid(Self.node(top, "broker"), "broker.password", "a password needs a username")
        }
        try applyTLSEnvironment(to: &config.broker, top: top, r)
        return config
    }

    private func applyTLSEnvironment(
        to broker: inout FleetdConfiguration.Broker, top: Node.Mapping, _ r: YAMLNodeReader
    )
        throws(ConfigError)
    {
        func variable(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        if let ca = variable(Self.caFileVariable) {
            broker.tls = BrokerTLS(
                caFile: ca, certFile: broker.tls?.certFile, keyFile: broker.tls?.keyFile,
                verifyHostname: broker.tls?.verifyHostname ?? true)
        }
        let cert = variable(Self.certFileVariable)
        let key = variable(Self.keyFileVariable)
        if cert != nil || key != nil {
            guard broker.tls != nil else {
                throw r.invalid(
                    Self.node(top, "broker"), "broker.tls",
                    "\(Self.certFileVariable)/\(Self.keyFileVariable) need a CA file (broker.tls.caFile or "
                        + "\(Self.caFileVariable))")
            }
            if let cert { broker.tls?.certFile = cert }
            if let key { broker.tls?.keyFile = key }
        }
        if let tls = broker.tls, (tls.certFile == nil) != (tls.keyFile == nil) {
            throw r.invalid(
                Self.node(top, "broker"), "broker.tls", "certFile and keyFile go together: give both or neither")
        }
    }

    private func broker(_ node: Node, _ r: YAMLNodeReader, baseDirectory: String) throws(ConfigError)
        -> FleetdConfiguration.Broker
    {
        let m = try r.mapping(
            node, "broker",
            allowed: [
                "host", "port", "clientId", "username", "password", "keepAlive", "persistentSession", "tls",
                "allowInsecure",
            ])
        var broker = FleetdConfiguration.Broker()
        broker.host = try r.optionalString(m, "host", "broker") ?? broker.host
        if let port = try r.optionalInt(m, "port", "broker") {
            guard (1...65535).contains(port) else {
                throw r.invalid(Self.node(m, "port"), "broker.port", "\(port) is not in 1...65535")
            }
            broker.port = port
        }
        broker.clientId = try r.optionalString(m, "clientId", "broker") ?? broker.clientId
        broker.persistentSession = try r.optionalBool(m, "persistentSession", "broker") ?? broker.persistentSession
        broker.username = try r.optionalString(m, "username", "broker")
        broker.password = try r.optionalString(m, "password", "broker")
        if let keepAlive = try r.optionalInt(m, "keepAlive", "broker") {
            guard (5...65535).contains(keepAlive) else {
                throw r.invalid(Self.node(m, "keepAlive"), "broker.keepAlive", "\(keepAlive) s is not in 5...65535")
            }
            broker.keepAliveSeconds = keepAlive
        }
        broker.allowInsecure = try r.optionalBool(m, "allowInsecure", "broker") ?? false
        if let tlsNode = Self.node(m, "tls") {
            let t = try r.mapping(tlsNode, "broker.tls", allowed: ["caFile", "certFile", "keyFile", "verifyHostname"])
            func path(_ key: String) throws(ConfigError) -> String? {
                guard let value = try r.optionalString(t, key, "broker.tls") else { return nil }
                return value.hasPrefix("/") ? value : baseDirectory + "/" + value
            }
            guard let ca = try path("caFile") else {
                throw r.invalid(tlsNode, "broker.tls.caFile", "missing required key 'caFile' (the CA of the broker)")
            }
            broker.tls = BrokerTLS(
                caFile: ca, certFile: try path("certFile"), keyFile: try path("keyFile"),
                verifyHostname: try r.optionalBool(t, "verifyHostname", "broker.tls") ?? true)
        }
        return broker
    }

    private func coordinator(_ node: Node, _ r: YAMLNodeReader) throws(ConfigError) -> CoordinatorConfiguration {
        let f = "coordinator"
        let m = try r.mapping(
            node, f,
            allowed: [
                "stateTimeout", "dispatchAcknowledgementTimeout", "maxDispatchSends", "maxFailedAttempts",
                "minimumBatteryForWork", "batteryReserve", "batteryThresholds", "positionSampleInterval",
                "chargeBelow", "chargeUntil", "confirmationTimeout", "proximityWarning",
            ])
        var c = CoordinatorConfiguration()
        func positive(_ key: String) throws(ConfigError) -> Double? {
            guard let value = try r.optionalDouble(m, key, f) else { return nil }
            guard value.isFinite, value > 0 else { throw r.invalid(Self.node(m, key), "\(f).\(key)", "must be > 0") }
            return value
        }
        func percent(_ key: String) throws(ConfigError) -> Double? {
            guard let value = try r.optionalDouble(m, key, f) else { return nil }
            guard (0...100).contains(value) else {
                throw r.invalid(Self.node(m, key), "\(f).\(key)", "\(value) is not a percentage in 0...100")
            }
            return value
        }
        func count(_ key: String) throws(ConfigError) -> Int? {
            guard let value = try r.optionalInt(m, key, f) else { return nil }
            guard value >= 1 else { throw r.invalid(Self.node(m, key), "\(f).\(key)", "must be at least 1") }
            return value
        }
        c.stateTimeout = try positive("stateTimeout") ?? c.stateTimeout
        c.dispatchAcknowledgementTimeout =
            try positive("dispatchAcknowledgementTimeout") ?? c.dispatchAcknowledgementTimeout
        c.maxDispatchSends = try count("maxDispatchSends") ?? c.maxDispatchSends
        c.maxFailedAttempts = try count("maxFailedAttempts") ?? c.maxFailedAttempts
        c.minimumBatteryForWork = try percent("minimumBatteryForWork") ?? c.minimumBatteryForWork
        c.batteryReserve = try percent("batteryReserve") ?? c.batteryReserve
        if Self.node(m, "batteryThresholds") != nil {
            var thresholds: [Double] = []
            for (i, item) in try r.sequence(m, "batteryThresholds", "\(f).batteryThresholds").enumerated() {
                let value = try r.double(item, "\(f).batteryThresholds[\(i)]")
                guard (0...100).contains(value) else {
                    throw r.invalid(item, "\(f).batteryThresholds[\(i)]", "\(value) is not a percentage in 0...100")
                }
                thresholds.append(value)
            }
            c.batteryThresholds = thresholds.sorted()
        }
        c.chargeBelow = try percent("chargeBelow") ?? c.chargeBelow
        c.chargeUntil = try percent("chargeUntil") ?? c.chargeUntil
        guard c.chargeUntil > c.chargeBelow else {
            throw r.invalid(
                Self.node(m, "chargeUntil") ?? Self.node(m, "chargeBelow") ?? node, "\(f).chargeUntil",
                "\(c.chargeUntil) must be above chargeBelow (\(c.chargeBelow))")
        }
        c.confirmationTimeout = try positive("confirmationTimeout") ?? c.confirmationTimeout
        c.proximityWarning = try positive("proximityWarning") ?? c.proximityWarning
        if let value = try r.optionalDouble(m, "positionSampleInterval", f) {
            guard value.isFinite, value >= 0 else {
                throw r.invalid(Self.node(m, "positionSampleInterval"), "\(f).positionSampleInterval", "must be >= 0")
            }
            c.positionSampleInterval = value == 0 ? nil : value
        }
        return c
    }

    /// Reads `allocation: {policy: greedy|optimal|market, minimumInterval: SECONDS}` into `configuration` (also
    /// used for a scenario's `allocation`).
    static func allocation(_ node: Node, _ r: YAMLNodeReader, into configuration: inout CoordinatorConfiguration)
        throws(ConfigError)
    {
        let f = "allocation"
        let m = try r.mapping(node, f, allowed: ["policy", "minimumInterval"])
        if Self.node(m, "policy") != nil {
            let kind: AllocationPolicyKind = try r.choice(m, "policy", f, at: node)
            configuration.allocationPolicy = kind
        }
        if let seconds = try r.optionalDouble(m, "minimumInterval", f) {
            guard seconds.isFinite, (0...60).contains(seconds) else {
                throw r.invalid(
                    Self.node(m, "minimumInterval"), "\(f).minimumInterval", "\(seconds) s is not in 0...60")
            }
            configuration.allocationMinimumInterval = seconds
        }
    }

    private func checkTopicLevel(_ text: String, _ node: Node?, _ field: String, _ r: YAMLNodeReader)
        throws(ConfigError)
    {
        if text.contains(where: { "/+#$".contains($0) || $0.isWhitespace }) {
            throw r.invalid(node, field, "'\(text)' is used as an MQTT topic level: no '/', '+', '#', '$' or spaces")
        }
    }

    /// The value under `key` (plain text comparison).
    static func node(_ mapping: Node.Mapping, _ key: String) -> Node? {
        mapping.first { $0.key.scalar?.string == key }?.value
    }
}

/// Reads the `fleet` list (the same shape as a scenario's fleet; simulator-only keys are accepted and ignored).
struct FleetEntryReader {
    let reader: YAMLNodeReader

    func entries(_ top: Node.Mapping) throws(ConfigError) -> [FleetdConfiguration.FleetEntry] {
        let r = reader
        var entries: [FleetdConfiguration.FleetEntry] = []
        var seen: Set<RobotID> = []
        for (i, item) in try r.sequence(top, "fleet", "fleet").enumerated() {
            let f = "fleet[\(i)]"
            let m = try r.mapping(
                item, f,
                allowed: [
                    "type", "manufacturer", "serialPrefix", "count", "capabilities", "maxPayloadKg", "maxSpeed",
                    "batteryPercentPerMetre", "acceleration", "chargePercentPerSecond", "initialBattery",
                    "allowedZones", "kinds",
                ])
            guard let count = try r.optionalInt(m, "count", f) else {
                throw r.invalid(item, "\(f).count", "missing required key 'count'")
            }
            guard (1...999).contains(count) else {
                throw r.invalid(FleetdConfigurationLoader.node(m, "count"), "\(f).count", "\(count) is not in 1...999")
            }
            var capabilities: Set<String> = []
            for (j, cap) in try r.sequence(m, "capabilities", "\(f).capabilities").enumerated() {
                capabilities.insert(try r.string(cap, "\(f).capabilities[\(j)]"))
            }
            let limits = try FleetLimitsReader(reader: r).limits(m, f)
            let entry = FleetdConfiguration.FleetEntry(
                type: try r.string(m, "type", f, at: item),
                manufacturer: try r.string(m, "manufacturer", f, at: item),
                serialPrefix: try r.string(m, "serialPrefix", f, at: item), count: count, capabilities: capabilities,
                maxPayloadKg: try positive(m, "maxPayloadKg", f, item),
                maxSpeed: try positive(m, "maxSpeed", f, item),
                batteryPercentPerMetre: try r.optionalDouble(m, "batteryPercentPerMetre", f) ?? 0.01,
                allowedZones: limits.allowedZones, taskKinds: limits.taskKinds)
            for (key, text) in [("manufacturer", entry.manufacturer), ("serialPrefix", entry.serialPrefix)] {
                if let bad = text.first(where: { !Self.isPermitted($0) }) {
                    throw r.invalid(
                        FleetdConfigurationLoader.node(m, key), "\(f).\(key)",
                        "'\(text)' contains '\(bad)'; VDA 5050 ids allow only A-Z a-z 0-9 _ . : -")
                }
            }
            for id in entry.robotIDs where !seen.insert(id).inserted {
                throw r.invalid(item, f, "robot \(id) is already defined by an earlier fleet entry")
            }
            entries.append(entry)
        }
        return entries
    }

    private func positive(_ m: Node.Mapping, _ key: String, _ f: String, _ item: Node) throws(ConfigError) -> Double {
        let value = try reader.double(m, key, f, at: item)
        guard value.isFinite, value > 0 else {
            throw reader.invalid(FleetdConfigurationLoader.node(m, key), "\(f).\(key)", "must be > 0, got \(value)")
        }
        return value
    }

    static func isPermitted(_ c: Character) -> Bool {
        guard let v = c.asciiValue else { return false }
        return (65...90).contains(v) || (97...122).contains(v) || (48...57).contains(v) || "_.:-".contains(c)
    }
}
