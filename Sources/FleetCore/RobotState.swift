/// Whether the robot's link to the coordinator is up (VDA 5050 `connection` topic).
public enum ConnectionState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Connected.
    case online
    /// Disconnected on purpose.
    case offline
    /// Disconnected unexpectedly (last will).
    case connectionBroken
}

/// Why a robot is not available for new work. The first that applies is reported.
public enum Unavailability: Sendable, Hashable, CustomStringConvertible {
    /// No observation received yet.
    case neverSeen
    /// The robot is offline or its connection broke.
    case disconnected(ConnectionState)
    /// No observation for longer than the state timeout.
    case stale(secondsSinceLastSeen: Double)
    /// Not in automatic or semiautomatic mode.
    case mode(OperatingMode)
    /// Emergency stop active.
    case eStop
    /// A fatal error is active.
    case fatalFault(type: String)
    /// Battery below the threshold for taking work.
    case lowBattery(percent: Double)

    /// A short explanation, e.g. `battery 12% below threshold`.
    public var description: String {
        switch self {
        case .neverSeen: return "no state received yet"
        case .disconnected(let state): return "connection \(state.rawValue)"
        case .stale(let seconds): return "no state for \(seconds) s"
        case .mode(let mode): return "operating mode \(mode.rawValue)"
        case .eStop: return "emergency stop active"
        case .fatalFault(let type): return "fatal error '\(type)'"
        case .lowBattery(let percent): return "battery \(percent)% below threshold"
        }
    }
}

/// The coordinator's live picture of one robot.
public struct RobotState: Sendable, Hashable {
    /// Identity.
    public let id: RobotID
    /// Type and capabilities: the configured profile narrowed by the robot's factsheet, if it published one
    /// (``Coordinator/configuredProfile(of:)``, ``Coordinator/factsheet(of:)``).
    public var profile: RobotProfile
    /// Link state.
    public var connection: ConnectionState
    /// The latest observation, if any.
    public var observation: RobotObservation?
    /// When the latest observation arrived.
    public var lastSeen: FleetTime?

    /// Creates the picture of a freshly registered robot (online until told otherwise, never seen).
    public init(id: RobotID, profile: RobotProfile, connection: ConnectionState = .online) {
        self.id = id
        self.profile = profile
        self.connection = connection
    }

    /// Why the robot cannot take new work at `now`, or `nil` when it is available.
    /// - Parameters:
    ///   - now: the current time.
    ///   - stateTimeout: seconds without an observation after which the robot counts as stale.
    ///   - minimumBattery: battery percentage below which the robot takes no work.
    public func unavailability(now: FleetTime, stateTimeout: Double, minimumBattery: Double) -> Unavailability? {
        guard let observation, let lastSeen else { return .neverSeen }
        if connection != .online { return .disconnected(connection) }
        let age = now.seconds(since: lastSeen)
        if age >= stateTimeout { return .stale(secondsSinceLastSeen: age) }
        if observation.mode != .automatic && observation.mode != .semiautomatic { return .mode(observation.mode) }
        if observation.safety.eStop { return .eStop }
        if let fatal = observation.faults.first(where: { $0.level == .fatal }) { return .fatalFault(type: fatal.type) }
        if observation.batteryPercent < minimumBattery { return .lowBattery(percent: observation.batteryPercent) }
        return nil
    }

    /// Whether the robot is available for work at `now` (see ``unavailability(now:stateTimeout:minimumBattery:)``).
    public func isAvailable(now: FleetTime, stateTimeout: Double, minimumBattery: Double) -> Bool {
        unavailability(now: now, stateTimeout: stateTimeout, minimumBattery: minimumBattery) == nil
    }

    /// Whether the robot reports no unfinished order and is not driving.
    public var isIdle: Bool {
        guard let observation else { return false }
        return !observation.driving && (observation.order?.isFinished ?? true)
    }

    /// The node to plan from: the last node reported, else the node nearest to the reported position.
    public func startNode(in layout: SiteLayout) -> NodeID? {
        guard let observation else { return nil }
        if let last = observation.lastNodeId, !last.isEmpty, layout.node(last) != nil { return last }
        guard let position = observation.position, let mapId = observation.mapId else { return nil }
        return layout.nearestNode(to: position, mapId: mapId)?.id
    }
}
