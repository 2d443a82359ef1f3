import FleetCore
import FleetSim
import Foundation
import VDA5050

/// A small straight site: A(0,0) - B(10,0) - C(20,0) - FAR(100,0), and a charger CH at (0,-2) off A.
enum TestSite {
    static let layout: SiteLayout = {
        let nodes = [
            SiteNode(id: "A", x: 0, y: 0, mapId: "m"), SiteNode(id: "B", x: 10, y: 0, mapId: "m"),
            SiteNode(id: "C", x: 20, y: 0, mapId: "m"), SiteNode(id: "FAR", x: 100, y: 0, mapId: "m"),
            SiteNode(id: "CH", x: 0, y: -2, mapId: "m"),
        ]
        let edges = [
            EdgeSpec(id: "AB", from: "A", to: "B", bidirectional: true),
            EdgeSpec(id: "BC", from: "B", to: "C", bidirectional: true),
            EdgeSpec(id: "CF", from: "C", to: "FAR", bidirectional: true),
            EdgeSpec(id: "ACH", from: "A", to: "CH", bidirectional: true),
        ]
        return try! SiteLayout(
            siteId: "test", nodes: nodes, edges: edges,
            stations: [Station(id: "S1", node: "B", kind: .pick), Station(id: "S2", node: "C", kind: .drop)],
            chargers: [Charger(id: "CH-1", node: "CH")], parkingSpots: [ParkingSpot(id: "P1", node: "A")])
    }()
    static let site = SimSite(layout: layout)
    static let id = RobotID(manufacturer: "acme", serialNumber: "AMR-01")
    static let spec = VehicleSpec(maxSpeed: 1, acceleration: 0.5, actionDurations: ["pick": 15, "drop": 10])

    static func vehicle(at node: String = "A", battery: Double = 80) -> SimVehicle {
        SimVehicle(id: id, spec: spec, site: site, at: layout.node(node)!, battery: battery)
    }

    /// An order along `path`; `actions[nodeId]` are put on that node; nodes from index `horizonFrom` unreleased.
    static func order(
        _ orderId: String = "O1", update: UInt32 = 0, path: [String], firstSequenceId: Int = 0,
        actions: [String: [Action]] = [:], horizonFrom: Int? = nil
    ) -> Order {
        var nodes: [VDA5050.Node] = []
        var edges: [Edge] = []
        for (i, nodeId) in path.enumerated() {
            let released = horizonFrom.map { i < $0 } ?? true
            let p = layout.node(nodeId)!.position
            nodes.append(
                VDA5050.Node(
                    nodeId: nodeId, sequenceId: firstSequenceId + 2 * i, released: released,
                    nodePosition: NodePosition(x: p.x, y: p.y, mapId: "m"), actions: actions[nodeId] ?? []))
            if i > 0 {
                edges.append(
                    Edge(
                        edgeId: "\(path[i - 1])\(nodeId)", sequenceId: firstSequenceId + 2 * i - 1, released: released,
                        startNodeId: path[i - 1], endNodeId: nodeId))
            }
        }
        return Order(
            manufacturer: id.manufacturer, serialNumber: id.serialNumber, orderId: orderId, orderUpdateId: update,
            nodes: nodes, edges: edges)
    }

    static func action(_ type: String, _ id: String, _ blocking: BlockingType = .hard) -> Action {
        Action(actionType: type, actionId: id, blockingType: blocking)
    }

    static func instant(_ actions: Action...) -> InstantActions {
        InstantActions(manufacturer: id.manufacturer, serialNumber: id.serialNumber, actions: actions)
    }

    static let t0 = FleetTime(milliseconds: 1_796_018_400_000)
}

/// A manual clock driving one vehicle in fixed steps.
struct ManualRun {
    var vehicle: SimVehicle
    var time = TestSite.t0
    let step = 0.1

    /// Advances by `seconds`.
    mutating func run(_ seconds: Double) {
        for _ in 0..<Int((seconds / step).rounded()) {
            time = time.adding(seconds: step)
            vehicle.advance(by: step, now: time)
        }
    }

    @discardableResult
    /// Advances until `condition` holds (at most `limit` seconds); returns the seconds elapsed.
    mutating func run(until condition: (SimVehicle) -> Bool, limit: Double = 600) -> Double {
        var elapsed = 0.0
        while !condition(vehicle), elapsed < limit {
            time = time.adding(seconds: step)
            vehicle.advance(by: step, now: time)
            elapsed += step
        }
        return elapsed
    }

    func status(_ actionId: String) -> VDA5050.ActionStatus? {
        vehicle.actionStates.first { $0.actionId == actionId }?.actionStatus
    }
}

extension SimVehicle {
    /// The status of action `actionId`, if the vehicle reports it.
    func status(_ actionId: String) -> VDA5050.ActionStatus? {
        actionStates.first { $0.actionId == actionId }?.actionStatus
    }
}
