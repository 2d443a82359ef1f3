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

        /// Creates broker settings.
        public init(
            host: String = "127.0.0.1", port: Int = 1883, clientId: String = "fleetd", username: String? = nil,
            password: String? = nil, keepAliveSeconds: Int = 15, persistentSession: Bool = true
        ) {
            self.host = host
            self.port = port
            self.clientId = clientId
            self.username = username
            self.password = password
            self.keepAliveSeconds = keepAliveSeconds
            self.persistentSession = persistentSession
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

        /// Creates a fleet entry.
        public init(
            type: String, manufacturer: String, serialPrefix: String, count: Int, capabilities: Set<String> = [],
            maxPayloadKg: Double, maxSpeed: Double, batteryPercentPerMetre: Double = 0.01
        ) {
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
                batteryPercentPerMetre: batteryPercentPerMetre)
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
