import FleetCore
import VDA5050

/// A simulated VDA 5050 2.1 vehicle: a pure value that accepts orders and instant actions, drives, runs actions,
/// drains and charges its battery. Time is passed in; the same inputs give the same run.
///
/// The runtime feeds it with ``receiveOrder(_:now:)``, ``receiveInstantActions(_:now:)`` and
/// ``advance(by:now:)``, and publishes a state whenever ``takeOutbox()`` says so.
public struct SimVehicle: Sendable {
    /// The vehicle's identity.
    public let id: RobotID
    /// Kinematics, battery and actions.
    public let spec: VehicleSpec
    let site: SimSite

    /// Current position on `mapId`, in metres.
    public internal(set) var position: SitePoint
    /// The closest person the robot's people detection saw since its last state message, in metres (reported as
    /// VDA 5050 `information` `HUMAN_PROXIMITY`).
    public internal(set) var closestPerson: Double?
    /// The nearest person seen now, within ``personSensingRange``.
    public internal(set) var nearestPerson: Double?
    /// Heading in radians (−π...π).
    public internal(set) var theta: Double
    /// The map of the current position.
    public internal(set) var mapId: String
    /// Current speed in m/s.
    public internal(set) var speed = 0.0
    /// The last node reached.
    public internal(set) var lastNodeId: String
    /// Where ``lastNodeId`` is.
    var lastNodePosition: SitePoint
    /// The sequence id of ``lastNodeId``.
    public internal(set) var lastNodeSequenceId = 0
    /// The current (or last) order id; empty before the first order.
    public internal(set) var orderId = ""
    /// The last accepted update of ``orderId``.
    public internal(set) var orderUpdateId: UInt32 = 0
    /// Nodes still to traverse (the first is the next one to reach).
    public internal(set) var nodes: [VDA5050.Node] = []
    /// Edges still to traverse (the first leads from ``lastNodeId`` to the first of ``nodes``).
    public internal(set) var edges: [Edge] = []
    /// Action states of the current order and of instant actions since it was accepted.
    public internal(set) var actionStates: [ActionState] = []
    /// State of charge in percent.
    public internal(set) var battery: Double
    /// Whether the vehicle is charging.
    public internal(set) var charging = false
    /// Whether the vehicle is paused (`startPause`).
    public internal(set) var paused = false
    /// Active errors (order rejections, instant action problems).
    public internal(set) var errors: [VDA5050Error] = []
    /// Loads on board.
    public internal(set) var loads: [Load] = []
    /// Operating mode; always AUTOMATIC in the simulation.
    public internal(set) var operatingMode: VDA5050.OperatingMode = .automatic
    /// Total distance driven, in metres.
    public internal(set) var odometer = 0.0
    /// Orders refused (invalid or not acceptable), counted.
    public internal(set) var rejectedOrders = 0
    /// The speed multiplier of an injected slowdown (1 without one): every speed limit is scaled by it.
    public internal(set) var speedFactor = 1.0
    /// Whether the vehicle broke down (an injected drop-out): it stands still with a FATAL error until it recovers.
    public internal(set) var brokenDown = false

    /// The last accepted order message (the reference for updates).
    var acceptedOrder: Order?
    /// Distance driven along `edges[0]`.
    var edgeProgress = 0.0
    /// Node actions waiting to start, in order.
    var actionQueue: [Action] = []
    /// The running action and its remaining simulated seconds.
    var running: (action: Action, remaining: Double)?
    /// Edge actions running while the vehicle drives `edges[0]`.
    var edgeActions: [String] = []
    /// The pending `cancelOrder` actions (reported FINISHED together once the vehicle stopped).
    var cancelActionIds: [String] = []
    /// The order id that was cancelled (updates to it are refused).
    var cancelledOrderId: String?
    var outbox = VehicleOutbox()

    /// Creates a vehicle standing on `node`.
    /// - Parameters:
    ///   - id: The identity.
    ///   - spec: Kinematics, battery and actions.
    ///   - site: The site it drives on.
    ///   - node: The start node.
    ///   - battery: Initial state of charge in percent.
    public init(id: RobotID, spec: VehicleSpec, site: SimSite, at node: SiteNode, battery: Double) {
        self.id = id
        self.spec = spec
        self.site = site
        position = node.position
        theta = node.theta ?? 0
        mapId = node.mapId
        lastNodeId = node.id
        lastNodePosition = node.position
        self.battery = battery
        outbox.state = true
    }

    /// Whether the vehicle has no order work left: no nodes, no edges, no unfinished action.
    public var isIdle: Bool {
        nodes.isEmpty && edges.isEmpty && running == nil && actionQueue.isEmpty
            && actionStates.allSatisfy(\.actionStatus.isTerminal)
    }

    /// Whether the vehicle is moving.
    public var driving: Bool { speed > 0 }

    /// What the runtime should publish since the last call, then cleared.
    public mutating func takeOutbox() -> VehicleOutbox {
        defer { outbox = VehicleOutbox() }
        return outbox
    }

    /// The node the vehicle occupies: its last or next node when within `radius` metres of it.
    public func occupiedNode(radius: Double) -> NodeID? {
        if let last = site.layout.node(lastNodeId), last.position.distance(to: position) <= radius { return lastNodeId }
        if let next = nodes.first, let p = nodePosition(next), p.distance(to: position) <= radius { return next.nodeId }
        return nil
    }

    /// The `state` message for `now` (header id and timestamp are set by the publisher).
    public func stateMessage(at now: FleetTime) -> State {
        State(
            headerId: 0, timestamp: VDA5050Timestamp(millisecondsSince1970: now.milliseconds),
            manufacturer: id.manufacturer, serialNumber: id.serialNumber, orderId: orderId,
            orderUpdateId: orderUpdateId, lastNodeId: lastNodeId, lastNodeSequenceId: lastNodeSequenceId,
            driving: driving, paused: paused, newBaseRequest: false,
            distanceSinceLastNode: edges.isEmpty ? nil : edgeProgress, operatingMode: operatingMode,
            nodeStates: nodes.map {
                NodeState(
                    nodeId: $0.nodeId, sequenceId: $0.sequenceId, released: $0.released, nodePosition: $0.nodePosition)
            },
            edgeStates: edges.map { EdgeState(edgeId: $0.edgeId, sequenceId: $0.sequenceId, released: $0.released) },
            agvPosition: AGVPosition(
                x: position.x, y: position.y, theta: theta, mapId: mapId, positionInitialized: true,
                localizationScore: 1),
            velocity: Velocity(vx: speed, vy: 0, omega: 0), loads: loads, actionStates: actionStates,
            batteryState: BatteryState(
                batteryCharge: (battery * 100).rounded() / 100, charging: charging,
                reach: spec.batteryPercentPerMetre > 0 ? (battery / spec.batteryPercentPerMetre).rounded() : nil),
            errors: errors,
            information: closestPerson.map { distance in
                [
                    Information(
                        infoType: "HUMAN_PROXIMITY",
                        infoReferences: [
                            Reference(referenceKey: "distance", referenceValue: String(format: "%.2f", distance))
                        ],
                        infoDescription: "closest person since the last state", infoLevel: .info)
                ]
            },
            safetyState: SafetyState(eStop: .none, fieldViolation: false))
    }

    /// The range of the simulated robots' people detection, in metres.
    public static let personSensingRange = 3.0
    /// Their warning field in metres: a person entering or leaving it makes the robot send a state at once.
    public static let personWarningField = 2.0

    /// The nearest person is `distance` metres away (`nil`: nobody): remembered for the next state message, and a
    /// person entering or leaving the warning field asks for a state now.
    public mutating func sensePerson(at distance: Double?) {
        let seen = distance.flatMap { $0 <= Self.personSensingRange ? $0 : nil }
        if let seen { closestPerson = min(closestPerson ?? seen, seen) }
        let inside = (seen ?? .infinity) < Self.personWarningField
        if inside != ((nearestPerson ?? .infinity) < Self.personWarningField) { outbox.state = true }
        nearestPerson = seen
    }

    /// A state message went out: the next one reports from the person seen now on.
    public mutating func personReported() {
        closestPerson = nearestPerson
    }

    /// The position of an order node: its own `nodePosition`, else the site's node.
    func nodePosition(_ node: VDA5050.Node) -> SitePoint? {
        if let p = node.nodePosition { return SitePoint(x: p.x, y: p.y) }
        return site.layout.node(node.nodeId)?.position
    }

    /// Sets the status of the action `actionId` (appending a state if it has none yet).
    mutating func setStatus(
        _ actionId: String, _ status: VDA5050.ActionStatus, type: String? = nil, result: String? = nil
    ) {
        if let i = actionStates.firstIndex(where: { $0.actionId == actionId }) {
            actionStates[i].actionStatus = status
            if let result { actionStates[i].resultDescription = result }
        } else {
            actionStates.append(
                ActionState(actionId: actionId, actionType: type, actionStatus: status, resultDescription: result))
        }
        outbox.state = true
    }

    /// Adds an error, replacing an earlier one of the same type.
    mutating func report(_ type: String, _ description: String, references: [(String, String)]) {
        errors.removeAll { $0.errorType == type }
        errors.append(
            VDA5050Error(
                errorType: type,
                errorReferences: references.map { Reference(referenceKey: $0.0, referenceValue: $0.1) },
                errorDescription: description, errorLevel: .warning))
        outbox.state = true
    }
}

/// What a vehicle wants published after an input or a step.
public struct VehicleOutbox: Sendable, Hashable {
    /// Something changed that the spec counts as an event: publish a state now.
    public var state = false
    /// A `factsheetRequest` arrived: publish the factsheet.
    public var factsheet = false
    /// Human-readable descriptions of what happened (for logs and tests).
    public var notes: [String] = []
    /// Assist and handover actions finished for a named person: the robot now waits for them to confirm.
    public var meetings: [SimMeeting] = []
}

/// A robot waiting for a person at an assist or handover: its `assist` or `handover` action finished.
public struct SimMeeting: Sendable, Hashable {
    /// The task (the order id without its `.n` assignment suffix).
    public var task: String
    /// The person the action names (its `person` parameter).
    public var person: String
    /// The station (its `stationId` parameter), if given.
    public var station: String?
}
