import FleetCore

/// Everything `fleetd` needs to run one site, as read from `Configs/fleetd.yaml` (see that file for every key).
///
/// Values come from the file, then from the environment (MQTT credentials only), then from command-line flags;
/// the executable applies the flags by setting the properties after loading.
public struct FleetdConfiguration: Sendable, Hashable {
    /// How `fleetd` tells the time.
    public enum Clock: String, Sendable, Hashable, CaseIterable {
        /// The machine's wall clock.
        case wall
        /// The simulator's clock topic `fleetpilot/v1/{site}/clock`.
        case sim
    }

    /// How hard the SQLite journal works to make each commit durable.
    public enum JournalSynchronous: String, Sendable, Hashable, CaseIterable {
        /// Every commit is fsynced (survives a power cut).
        case full
        /// The WAL is fsynced at checkpoints only (survives a process crash; faster).
        case normal
    }

    /// Where the MQTT broker is and how to log in.
    public struct Broker: Sendable, Hashable {
        /// Host name or address.
        public var host: String
        /// TCP port.
        public var port: Int
        /// MQTT client id of the daemon.
        public var clientId: String
        /// User name, if the broker wants one (file or `FLEETD_MQTT_USERNAME`).
        public var username: String?
        /// Password, if the broker wants one (file or `FLEETD_MQTT_PASSWORD`).
        public var password: String?
        /// Keep-alive in seconds.
        public var keepAliveSeconds: Int
        /// Whether the broker keeps the daemon's session (subscriptions and queued QoS 1 messages such as task
        /// requests) while the daemon is down, so a restart loses no request. Needs a stable `clientId`.
        public var persistentSession: Bool
        /// TLS settings (file `broker.tls` or `FLEETD_MQTT_CA_FILE`, `..._CERT_FILE`, `..._KEY_FILE`); `nil` is
        /// plain TCP, which fleetd accepts only for a broker on this machine unless ``allowInsecure`` is set.
        public var tls: BrokerTLS?
        /// Whether plain TCP to a broker on another machine is accepted (`broker.allowInsecure: true`).
        public var allowInsecure: Bool

        /// Creates broker settings.
        public init(
            host: String = "127.0.0.1", port: Int = 1883, clientId: String = "fleetd", username: String? = nil,
            password: String? = nil, keepAliveSeconds: Int = 15, persistentSession: Bool = true,
            tls: BrokerTLS? = nil, allowInsecure: Bool = false
        ) {
            self.host = host
            self.port = port
            self.clientId = clientId
            self.username = username
            self.password = password
            self.keepAliveSeconds = keepAliveSeconds
            self.persistentSession = persistentSession
            self.tls = tls
            self.allowInsecure = allowInsecure
        }

        /// Why these settings must not be used (a broker on another machine without TLS, not explicitly allowed),
        /// or `nil` when they are acceptable.
        public var transportProblem: InsecureBrokerError? {
            BrokerTransportPolicy.check(
                host: host, port: port, tls: tls != nil, allowInsecure: allowInsecure,
                remedy: "set broker.tls.caFile (or FLEETD_MQTT_CA_FILE), or broker.allowInsecure: true to accept it")
        }
    }

    /// One kind of robot in the fleet; yields `count` robots `{manufacturer}/{serialPrefix}{01...}`.
    public struct FleetEntry: Sendable, Hashable {
        /// Robot type, e.g. `AMR`.
        public var type: String
        /// VDA 5050 manufacturer.
        public var manufacturer: String
        /// Serial number prefix, e.g. `AMR-`.
        public var serialPrefix: String
        /// How many robots of this kind.
        public var count: Int
        /// What they can do, e.g. `klt`.
        public var capabilities: Set<String>
        /// Heaviest load, kg.
        public var maxPayloadKg: Double
        /// Top speed, m/s.
        public var maxSpeed: Double
        /// Battery use in percentage points per metre.
        public var batteryPercentPerMetre: Double
        /// The zones the robots may enter (``FleetCore/RobotProfile/allowedZones``), `nil` for the default rule.
        public var allowedZones: Set<String>?
        /// The task kinds the robots take, `nil` for all.
        public var taskKinds: Set<TaskKind>?

        /// Creates a fleet entry.
        public init(
            type: String, manufacturer: String, serialPrefix: String, count: Int, capabilities: Set<String> = [],
            maxPayloadKg: Double, maxSpeed: Double, batteryPercentPerMetre: Double = 0.01,
            allowedZones: Set<String>? = nil, taskKinds: Set<TaskKind>? = nil
        ) {
            self.allowedZones = allowedZones
            self.taskKinds = taskKinds
            self.type = type
            self.manufacturer = manufacturer
            self.serialPrefix = serialPrefix
            self.count = count
            self.capabilities = capabilities
            self.maxPayloadKg = maxPayloadKg
            self.maxSpeed = maxSpeed
            self.batteryPercentPerMetre = batteryPercentPerMetre
        }

        /// The robots of this entry: serial `{serialPrefix}{index}`, index `01`, `02`, ... (three digits from 100).
        public var robotIDs: [RobotID] {
            guard count > 0 else { return [] }
            return (1...count).map { index in
                let digits = index < 10 ? "0\(index)" : "\(index)"
                return RobotID(manufacturer: manufacturer, serialNumber: serialPrefix + digits)
            }
        }

        /// The profile every robot of this entry registers with.
        public var profile: RobotProfile {
            RobotProfile(
                type: type, capabilities: capabilities, maxPayloadKg: maxPayloadKg, maxSpeed: maxSpeed,
                batteryPercentPerMetre: batteryPercentPerMetre, allowedZones: allowedZones, taskKinds: taskKinds)
        }
    }

    /// The site id, one topic level of `fleetpilot/v1/{site}/...`.
    public var siteId: String
    /// The site layout file (resolved against the configuration file's directory).
    public var siteLayoutPath: String
    /// The broker.
    public var broker: Broker
    /// The VDA 5050 interface name, first topic level (`uagv`).
    public var interfaceName: String
    /// The SQLite journal file.
    public var journalPath: String
    /// The journal's durability.
    public var journalSynchronous: JournalSynchronous
    /// Wall or simulated time.
    public var clock: Clock
    /// Coordinator timeouts and thresholds.
    public var coordinator: CoordinatorConfiguration
    /// The robots the daemon coordinates; states from others are ignored.
    public var fleet: [FleetEntry]
    /// The largest MQTT payload the daemon decodes, bytes; larger ones are counted and dropped.
    public var maxPayloadBytes: Int
    /// The operator HTTP API (off by default; see ``API``).
    public var api = API()

    /// Creates a configuration; everything but the site and its layout has a default.
    public init(
        siteId: String, siteLayoutPath: String, broker: Broker = Broker(), interfaceName: String = "uagv",
        journalPath: String = "fleetd-journal.sqlite", journalSynchronous: JournalSynchronous = .full,
        clock: Clock = .wall, coordinator: CoordinatorConfiguration = CoordinatorConfiguration(),
        fleet: [FleetEntry] = [], maxPayloadBytes: Int = 256 * 1024
    ) {
        self.siteId = siteId
        self.siteLayoutPath = siteLayoutPath
        self.broker = broker
        self.interfaceName = interfaceName
        self.journalPath = journalPath
        self.journalSynchronous = journalSynchronous
        self.clock = clock
        self.coordinator = coordinator
        self.fleet = fleet
        self.maxPayloadBytes = maxPayloadBytes
    }

    /// Every configured robot with its profile, in configuration order.
    public var robots: [(id: RobotID, profile: RobotProfile)] {
        fleet.flatMap { entry in entry.robotIDs.map { (id: $0, profile: entry.profile) } }
    }
}

/// TLS settings of a broker connection: the CA that signed the broker's certificate and an optional client
/// certificate (for a broker with `require_certificate true`).
public struct BrokerTLS: Sendable, Hashable {
    /// Trusted CA certificates (PEM).
    public var caFile: String
    /// Client certificate (PEM), paired with ``keyFile``.
    public var certFile: String?
    /// Client private key (PEM, unencrypted), paired with ``certFile``.
    public var keyFile: String?
    /// Whether the broker certificate's name must match the host (turn off only for tests).
    public var verifyHostname: Bool

    /// Creates TLS settings.
    public init(caFile: String, certFile: String? = nil, keyFile: String? = nil, verifyHostname: Bool = true) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.verifyHostname = verifyHostname
    }
}

/// A refusal to talk plain MQTT to a broker on another machine: the password and every order would cross the
/// network in clear text, and anyone on the path could send a robot somewhere.
public struct InsecureBrokerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The broker, `host:port`.
    public var broker: String
    /// What to change.
    public var remedy: String

    /// Creates the error.
    public init(broker: String, remedy: String) {
        self.broker = broker
        self.remedy = remedy
    }

    /// The message for the operator.
    public var description: String {
        "refusing to connect to broker \(broker) without TLS: it is not on this machine (loopback), so passwords and "
            + "orders would cross the network in clear text; \(remedy)"
    }
}

/// The rule fleetd and fleet-sim share: plain TCP only to a loopback broker, unless explicitly allowed.
public enum BrokerTransportPolicy {
    /// Whether `host` is this machine: `localhost`, `127.0.0.0/8` or `::1`.
    public static func isLoopback(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("[") && name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" || name.hasSuffix(".localhost") || name == "::1" || name == "0:0:0:0:0:0:0:1" {
            return true
        }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { part in UInt8(part) != nil }
    }

    /// The refusal for a connection, or `nil` when it is acceptable (TLS, a loopback host, or explicitly allowed).
    /// - Parameters:
    ///   - host: The broker host.
    ///   - port: The broker port.
    ///   - tls: Whether TLS is configured.
    ///   - allowInsecure: Whether plain TCP to another machine was explicitly allowed.
    ///   - remedy: The settings to change, for the message.
    public static func check(host: String, port: Int, tls: Bool, allowInsecure: Bool, remedy: String)
        -> InsecureBrokerError?
    {
        if tls || allowInsecure || isLoopback(host) { return nil }
        return InsecureBrokerError(broker: "\(host):\(port)", remedy: remedy)
    }
}
