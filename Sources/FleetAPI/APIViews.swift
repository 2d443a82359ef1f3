import FleetCore
import Foundation
import Hummingbird

/// A task as the API shows it (`GET /v1/tasks/{id}`).
public struct TaskView: ResponseCodable, Sendable, Hashable {
    /// Task id.
    public var id: String
    /// Lifecycle state (`queued`, `assigned`, `dispatched`, `inProgress`, `completed`, `failed`, `cancelled`).
    public var state: String
    /// The task kind (`transport`, `patrol`, `assist`, `handover`, `cooperative_carry`, `coverage`, `charge`,
    /// `emergency`).
    public var kind: String
    /// Pick station (load-carrying kinds).
    public var pick: String?
    /// Drop station (load-carrying kinds).
    public var drop: String?
    /// Stations in visiting order.
    public var stops: [String]
    /// The zone (coverage).
    public var zone: String?
    /// How many robots the task needs.
    public var robots: Int
    /// The person who must confirm (assist, handover), if a particular one.
    public var person: String?
    /// Priority.
    public var priority: String
    /// Who asked (for API submissions: the token name).
    public var requester: String
    /// The robot bound to the task (the last one after a terminal state).
    public var robot: String?
    /// Why the task is in this state, if there is a reason.
    public var reason: String?
    /// When the task was accepted (ISO 8601, coordinator clock).
    public var createdAt: String
    /// When the state last changed (ISO 8601, coordinator clock).
    public var updatedAt: String
    /// Kind of load, if given.
    public var loadType: String?
    /// Load weight in kg, if given.
    public var loadWeightKg: Double?
    /// Required robot capabilities.
    public var capabilities: [String]
    /// Deadline (ISO 8601), if given.
    public var deadline: String?
    /// Not before this time (ISO 8601), if given.
    public var earliestStart: String?
    /// Tasks that must complete before this one starts.
    public var after: [String]
    /// A recurring patrol's interval in seconds, if it recurs.
    public var repeatEvery: Double?

    /// The view of a task.
    /// - Parameter task: the coordinator's task.
    public init(_ task: TransportTask) {
        let request = task.request
        let last = task.history.last
        id = request.id.rawValue
        state = task.state.rawValue
        kind = request.kind.rawValue
        pick = request.pick
        drop = request.drop
        stops = request.stops
        zone = request.zone
        robots = request.robots
        person = request.person
        priority = request.priority.rawValue
        requester = request.requester
        robot = task.robot?.description
        reason = last?.detail ?? last?.reason
        createdAt = Self.iso8601(task.createdAt)
        updatedAt = Self.iso8601(last?.time ?? task.createdAt)
        loadType = request.loadType
        loadWeightKg = request.loadWeightKg
        capabilities = request.requiredCapabilities.sorted()
        deadline = request.deadline.map(Self.iso8601)
        earliestStart = request.earliestStart.map(Self.iso8601)
        after = request.after.map(\.rawValue)
        repeatEvery = request.repeatEvery
    }

    /// ISO 8601 with milliseconds, UTC.
    /// - Parameter time: the time.
    /// - Returns: e.g. `2026-11-29T08:00:02.000Z`.
    public static func iso8601(_ time: FleetTime) -> String {
        Date(timeIntervalSince1970: Double(time.milliseconds) / 1000).formatted(
            Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// One page of tasks (`GET /v1/tasks`).
public struct TaskPage: ResponseCodable, Sendable, Hashable {
    /// The tasks on this page, newest first.
    public var items: [TaskView]
    /// How many tasks match the filter in total.
    public var total: Int
    /// The offset of the first item.
    public var offset: Int
    /// The page size asked for.
    public var limit: Int
}

/// A robot as the API shows it (`GET /v1/robots/{manufacturer}/{serial}`).
public struct RobotView: ResponseCodable, Sendable, Hashable {
    /// `manufacturer/serial`.
    public var id: String
    /// VDA 5050 manufacturer.
    public var manufacturer: String
    /// VDA 5050 serial number.
    public var serialNumber: String
    /// Robot type.
    public var type: String
    /// `available`, `busy`, `unavailable`, `offline` or `maintenance`.
    public var status: String
    /// Who took the robot out of service, why and since when, while it is in maintenance.
    public var maintenance: MaintenanceView?
    /// Why the robot takes no new work, if it does not.
    public var unavailableReason: String?
    /// Link state: `online`, `offline`, `connectionBroken`.
    public var connection: String
    /// The task the robot works on.
    public var task: String?
    /// Battery percentage, if reported.
    public var battery: Double?
    /// Whether it is charging.
    public var charging: Bool
    /// Whether the robot reports itself paused (`startPause`).
    public var paused: Bool
    /// Operating mode, if reported.
    public var mode: String?
    /// Position on the site, if reported.
    public var x: Double?
    /// Position on the site, if reported.
    public var y: Double?
    /// Map of the position, if reported.
    public var map: String?
    /// Last node passed, if reported.
    public var lastNode: String?
    /// Metres to the nearest person the robot's last state reported (VDA 5050 `information` `HUMAN_PROXIMITY`).
    public var nearestPerson: Double?
    /// What the robot's VDA 5050 factsheet declared, if it sent a plausible one (its profile is narrowed by it).
    public var factsheet: FactsheetView?
    /// When the last state arrived (ISO 8601, coordinator clock).
    public var lastSeen: String?

    /// The view of a robot.
    /// - Parameters:
    ///   - robot: the coordinator's robot.
    ///   - snapshot: the snapshot it comes from (availability depends on the time and thresholds).
    public init(_ robot: RobotState, in snapshot: FleetSnapshot) {
        let observation = robot.observation
        id = robot.id.description
        manufacturer = robot.id.manufacturer
        serialNumber = robot.id.serialNumber
        type = robot.profile.type
        status = Self.status(of: robot, in: snapshot)
        maintenance = snapshot.coordinator.maintenance[robot.id].map(MaintenanceView.init)
        unavailableReason = snapshot.now.flatMap { Self.unavailability(of: robot, in: snapshot, now: $0) }?.description
        connection = robot.connection.rawValue
        task = snapshot.coordinator.busy[robot.id]?.rawValue
        battery = observation?.batteryPercent
        charging = observation?.charging ?? false
        paused = observation?.paused ?? false
        mode = observation?.mode.rawValue
        x = observation?.position?.x
        y = observation?.position?.y
        map = observation?.mapId
        lastNode = observation?.lastNodeId
        nearestPerson = observation?.humanDistance
        factsheet = snapshot.coordinator.factsheet(of: robot.id).map(FactsheetView.init)
        lastSeen = robot.lastSeen.map(TaskView.iso8601)
    }

    /// `maintenance` (taken out of service by an operator), `busy` (bound to a task), `offline` (link down or never
    /// seen), `unavailable` or `available`.
    /// - Parameters:
    ///   - robot: the robot.
    ///   - snapshot: the snapshot.
    /// - Returns: the status name.
    public static func status(of robot: RobotState, in snapshot: FleetSnapshot) -> String {
        if snapshot.coordinator.maintenance[robot.id] != nil { return "maintenance" }
        if snapshot.coordinator.busy[robot.id] != nil { return "busy" }
        if robot.connection != .online || robot.observation == nil { return "offline" }
        guard let now = snapshot.now else { return "unavailable" }
        return unavailability(of: robot, in: snapshot, now: now) == nil ? "available" : "unavailable"
    }

    private static func unavailability(of robot: RobotState, in snapshot: FleetSnapshot, now: FleetTime)
        -> Unavailability?
    {
        let configuration = snapshot.coordinator.configuration
        return robot.unavailability(
            now: now, stateTimeout: configuration.stateTimeout, minimumBattery: configuration.minimumBatteryForWork)
    }
}

/// A robot's maintenance as the API shows it.
public struct MaintenanceView: ResponseCodable, Sendable, Hashable {
    /// Who took the robot out of service (token name).
    public var actor: String
    /// Why (may be empty).
    public var reason: String
    /// Since when (ISO 8601, coordinator clock).
    public var since: String

    /// The view of a maintenance record.
    /// - Parameter maintenance: the coordinator's record.
    public init(_ maintenance: RobotMaintenance) {
        actor = maintenance.actor
        reason = maintenance.reason
        since = TaskView.iso8601(maintenance.since)
    }
}

/// What a robot's factsheet declared, as the coordinator took it.
public struct FactsheetView: ResponseCodable, Sendable, Hashable {
    /// The robot series.
    public var series: String
    /// Top speed in m/s (`physicalParameters.speedMax`).
    public var speedMax: Double
    /// Heaviest load in kg (`maxLoadMass`, or the largest load set).
    public var maxLoadKg: Double
    /// The action types it declared, sorted.
    public var actions: [String]

    /// The view of a factsheet.
    /// - Parameter factsheet: the coordinator's summary of it.
    public init(_ factsheet: RobotFactsheet) {
        series = factsheet.series
        speedMax = factsheet.maxSpeed
        maxLoadKg = factsheet.maxLoadKg
        actions = factsheet.actionTypes.sorted()
    }
}

/// What `POST /v1/robots/.../pause` and `.../resume` answer: the command was sent; the robot confirms by
/// reporting `paused` in its next state.
public struct RobotCommandReceipt: ResponseCodable, Sendable, Hashable {
    /// The robot.
    public var robot: String
    /// `startPause` or `stopPause`.
    public var action: String
    /// Who sent it (token name).
    public var actor: String
}

/// `/healthz` and `/readyz` bodies.
public struct HealthStatus: ResponseCodable, Sendable, Hashable {
    /// `ok`, `ready` or `starting`.
    public var status: String
}
