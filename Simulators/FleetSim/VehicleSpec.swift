import FleetConfig
import FleetCore

/// What a simulated vehicle is and can do: kinematics, battery model and action durations.
public struct VehicleSpec: Sendable, Hashable {
    /// Vehicle type, e.g. `AMR`.
    public var type: String
    /// Top speed in m/s.
    public var maxSpeed: Double
    /// Acceleration in m/s².
    public var acceleration: Double
    /// Deceleration in m/s².
    public var deceleration: Double
    /// Heaviest load in kilograms.
    public var maxPayloadKg: Double
    /// Battery drain in percentage points per metre driven.
    public var batteryPercentPerMetre: Double
    /// Charging rate in percentage points per simulated second.
    public var chargePercentPerSecond: Double
    /// Simulated seconds per action type; the keys are the node/edge actions the vehicle supports.
    public var actionDurations: [String: Double]
    /// Distance in metres within which the vehicle counts as on a node (when an order gives no deviation).
    public var positionTolerance: Double

    /// Creates a specification.
    public init(
        type: String = "AMR", maxSpeed: Double = 1, acceleration: Double = 0.5, deceleration: Double? = nil,
        maxPayloadKg: Double = 50, batteryPercentPerMetre: Double = 0.01, chargePercentPerSecond: Double = 0.05,
        actionDurations: [String: Double] = Scenario.defaultActionDurations, positionTolerance: Double = 0.5
    ) {
        self.type = type
        self.maxSpeed = maxSpeed
        self.acceleration = acceleration
        self.deceleration = deceleration ?? acceleration
        self.maxPayloadKg = maxPayloadKg
        self.batteryPercentPerMetre = batteryPercentPerMetre
        self.chargePercentPerSecond = chargePercentPerSecond
        self.actionDurations = actionDurations
        self.positionTolerance = positionTolerance
    }

    /// The specification of a scenario fleet entry, with the scenario's action durations.
    public init(entry: ScenarioFleetEntry, actionDurations: [String: Double]) {
        self.init(
            type: entry.type, maxSpeed: entry.maxSpeed, acceleration: entry.acceleration,
            deceleration: entry.deceleration, maxPayloadKg: entry.maxPayloadKg,
            batteryPercentPerMetre: entry.batteryPercentPerMetre, chargePercentPerSecond: entry.chargePercentPerSecond,
            actionDurations: actionDurations)
    }

    /// Actions every vehicle runs on nodes and edges besides those with configured durations (instantaneous).
    static let builtInActions: Set<String> = ["startCharging", "stopCharging", "finePositioning", "logReport"]

    /// Whether the vehicle can run `actionType` on a node or an edge.
    public func supports(_ actionType: String) -> Bool {
        actionDurations[actionType] != nil || Self.builtInActions.contains(actionType)
    }

    /// Simulated seconds `actionType` takes.
    public func duration(of actionType: String) -> Double { actionDurations[actionType] ?? 0 }
}

/// The parts of a site a vehicle needs: node positions, edge lengths and limits, and charger nodes.
public struct SimSite: Sendable {
    /// The layout.
    public let layout: SiteLayout
    /// Nodes where a vehicle charges when idle.
    public let chargerNodes: Set<NodeID>
    private let edgesByEnds: [String: SiteEdge]

    /// Creates the simulator's view of `layout`.
    public init(layout: SiteLayout) {
        self.layout = layout
        chargerNodes = Set(layout.chargers.map(\.node))
        var edges: [String: SiteEdge] = [:]
        for edge in layout.edges { edges["\(edge.from)>\(edge.to)"] = edge }
        edgesByEnds = edges
    }

    /// The layout edge from `from` to `to`, if any.
    func edge(from: NodeID, to: NodeID) -> SiteEdge? { edgesByEnds["\(from)>\(to)"] }

    /// Distinct start nodes for `count` vehicles: parking spots, then chargers, then plain nodes, then stations.
    public func startNodes(count: Int) -> [SiteNode] {
        var order: [NodeID] = layout.parkingSpots.map(\.node) + layout.chargers.map(\.node)
        let stationNodes = Set(layout.stations.map(\.node))
        order += layout.nodes.map(\.id).filter { !stationNodes.contains($0) }
        order += layout.nodes.map(\.id)
        var seen: Set<NodeID> = []
        var result: [SiteNode] = []
        for id in order where !seen.contains(id) {
            seen.insert(id)
            if let node = layout.node(id) { result.append(node) }
            if result.count == count { break }
        }
        return result
    }
}
