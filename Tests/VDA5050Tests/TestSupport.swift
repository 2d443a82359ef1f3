import Foundation
import Testing

@testable import VDA5050

/// Fixtures, the shared/ folder and sample messages used by several suites.
enum TestSupport {
    static let fixtures: URL = {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("Fixtures folder missing from the test bundle")
        }
        return url
    }()

    static func fixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    /// `shared/` from FLEETPILOT_SHARED, else `<repo>/../shared` computed from this file's path.
    static var sharedDirectory: URL {
        if let env = ProcessInfo.processInfo.environment["FLEETPILOT_SHARED"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()  // <repo>/Tests/VDA5050Tests/TestSupport.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared")
    }

    static let t0 = VDA5050Timestamp(iso8601: "2026-03-01T08:00:00.123Z")!

    static func node(_ id: String, _ seq: Int, released: Bool = true, actions: [Action] = []) -> Node {
        Node(
            nodeId: id, sequenceId: seq, released: released,
            nodePosition: NodePosition(x: Double(seq), y: 1, theta: 0.5, allowedDeviationXY: 0.2, mapId: "hall-1"),
            actions: actions)
    }

    static func edge(_ id: String, _ seq: Int, from: String, to: String, released: Bool = true) -> Edge {
        Edge(edgeId: id, sequenceId: seq, released: released, startNodeId: from, endNodeId: to)
    }

    /// A valid order of `count` nodes starting at `start`, the first `released` nodes in the base.
    static func order(
        id: String = "order-1", update: UInt32 = 0, start: Int = 0, count: Int = 3, released: Int? = nil,
        firstNode: Int = 1
    ) -> Order {
        let base = released ?? count
        var nodes: [Node] = []
        var edges: [Edge] = []
        for i in 0..<count {
            let n = firstNode + i
            nodes.append(
                node(
                    "N\(n)", start + 2 * i, released: i < base,
                    actions: [Action(actionType: "beep", actionId: "\(id)-a\(n)", blockingType: .none)]))
            if i > 0 {
                edges.append(
                    edge("E\(n - 1)-\(n)", start + 2 * i - 1, from: "N\(n - 1)", to: "N\(n)", released: i < base))
            }
        }
        return Order(
            timestamp: t0, manufacturer: "acme", serialNumber: "AMR-1", orderId: id, orderUpdateId: update,
            nodes: nodes, edges: edges)
    }

    static let allParameterKinds: [ActionParameter] = [
        ActionParameter(key: "loadId", value: .string("KLT-7")),
        ActionParameter(key: "height", value: .number(0.35)),
        ActionParameter(key: "count", value: .number(3)),
        ActionParameter(key: "verify", value: .bool(true)),
        ActionParameter(key: "slots", value: .array([.number(1), .string("b"), .bool(false)])),
        ActionParameter(key: "options", value: .object(["mode": .string("fast"), "retries": .number(2)])),
    ]

    /// An order with base and horizon, actions with parameters of every JSON kind, a corridor and a trajectory.
    static var richOrder: Order {
        var o = order(count: 4, released: 2)
        o.zoneSetId = "zones-1"
        o.nodes[0].nodeDescription = "start"
        o.nodes[0].actions.append(
            Action(
                actionType: "pick", actionId: "pick-1", actionDescription: "pick the KLT", blockingType: .hard,
                actionParameters: allParameterKinds))
        o.edges[0] = Edge(
            edgeId: o.edges[0].edgeId, sequenceId: 1, edgeDescription: "aisle 3", released: true, startNodeId: "N1",
            endNodeId: "N2", maxSpeed: 1.2, maxHeight: 2, minHeight: 0.1, orientation: 3.14, orientationType: .global,
            direction: "left", rotationAllowed: true, maxRotationSpeed: 0.6, length: 2.0,
            trajectory: Trajectory(
                degree: 2, knotVector: [0, 0, 0, 1, 1, 1],
                controlPoints: [
                    ControlPoint(x: 0, y: 1, weight: 1), ControlPoint(x: 1, y: 1.5), ControlPoint(x: 2, y: 1),
                ]),
            corridor: Corridor(leftWidth: 0.5, rightWidth: 0.25, corridorRefPoint: .kinematicCenter),
            actions: [Action(actionType: "horn", actionId: "horn-1", blockingType: .soft)])
        o.edges[1].corridor = Corridor(leftWidth: 0.3, rightWidth: 0.3)
        return o
    }

    static var richInstantActions: InstantActions {
        InstantActions(
            headerId: 3, timestamp: t0, manufacturer: "acme", serialNumber: "AMR-1",
            actions: [
                Action(actionType: "startPause", actionId: "ia-1", blockingType: .hard),
                Action(
                    actionType: "custom", actionId: "ia-2", actionDescription: "all kinds", blockingType: .none,
                    actionParameters: allParameterKinds),
                Action(actionType: "cancelOrder", actionId: "ia-3", blockingType: .none, actionParameters: []),
            ])
    }

    static var richState: State {
        State(
            headerId: 17, timestamp: t0, manufacturer: "acme", serialNumber: "AMR-1",
            maps: [MapInfo(mapId: "hall-1", mapVersion: "2", mapDescription: "Hall", mapStatus: .enabled)],
            orderId: "order-1", orderUpdateId: 2, zoneSetId: "zones-1", lastNodeId: "N1", lastNodeSequenceId: 0,
            driving: true, paused: false, newBaseRequest: true, distanceSinceLastNode: 0.4,
            operatingMode: .semiautomatic,
            nodeStates: [
                NodeState(
                    nodeId: "N2", sequenceId: 2, nodeDescription: "d", released: true,
                    nodePosition: NodePosition(x: 2, y: 1, theta: 0, mapId: "hall-1"))
            ],
            edgeStates: [
                EdgeState(
                    edgeId: "E1-2", sequenceId: 1, edgeDescription: "e", released: true,
                    trajectory: Trajectory(
                        degree: 1, knotVector: [0, 0, 1, 1],
                        controlPoints: [ControlPoint(x: 0, y: 1, weight: 1), ControlPoint(x: 2, y: 1, weight: 1)]))
            ],
            agvPosition: AGVPosition(
                x: 1.2, y: 1, theta: -0.2, mapId: "hall-1", mapDescription: "Hall", positionInitialized: true,
                localizationScore: 0.9, deviationRange: 0.05),
            velocity: Velocity(vx: 0.8, vy: 0, omega: 0.1),
            loads: [
                Load(
                    loadId: "KLT-7", loadType: "KLT", loadPosition: "front",
                    boundingBoxReference: BoundingBoxReference(x: 0, y: 0, z: 0.3, theta: 0),
                    loadDimensions: LoadDimensions(length: 0.6, width: 0.4, height: 0.3), weight: 12)
            ],
            actionStates: [
                ActionState(
                    actionId: "pick-1", actionType: "pick", actionDescription: "p", actionStatus: .running,
                    resultDescription: "r")
            ],
            batteryState: BatteryState(
                batteryCharge: 81.5, batteryVoltage: 48.2, batteryHealth: 97, charging: false, reach: 15000),
            errors: [
                VDA5050Error(
                    errorType: "orderUpdateError",
                    errorReferences: [Reference(referenceKey: "orderId", referenceValue: "order-0")],
                    errorDescription: "outdated", errorHint: "resend", errorLevel: .warning)
            ],
            information: [
                Information(
                    infoType: "temp", infoReferences: [Reference(referenceKey: "motor", referenceValue: "left")],
                    infoDescription: "41 C", infoLevel: .debug)
            ],
            safetyState: SafetyState(eStop: .autoAck, fieldViolation: true))
    }

    static func connection(_ state: ConnectionState) -> Connection {
        Connection(headerId: 1, timestamp: t0, manufacturer: "acme", serialNumber: "AMR-1", connectionState: state)
    }

    /// A factsheet with every part. `blockingTypes` and `envelopes3d[].description` stay nil: the 2.1 schema
    /// types them wrongly (see Factsheet+Geometry.swift and the report).
    static var richFactsheet: Factsheet {
        Factsheet(
            headerId: 0, timestamp: t0, manufacturer: "acme", serialNumber: "AMR-1",
            typeSpecification: TypeSpecification(
                seriesName: "Carrier-X", seriesDescription: "small", agvKinematic: .omni, agvClass: .carrier,
                maxLoadMass: 100, localizationTypes: LocalizationType.allCases, navigationTypes: NavigationType.allCases
            ),
            physicalParameters: PhysicalParameters(
                speedMin: 0.01, speedMax: 1.5, accelerationMax: 0.5, decelerationMax: 0.8, heightMin: 0.3,
                heightMax: 0.5, width: 0.6, length: 1.0),
            protocolLimits: ProtocolLimits(
                maxStringLens: MaxStringLens(
                    msgLen: 100_000, topicSerialLen: 20, topicElemLen: 20, idLen: 36, idNumericalOnly: false,
                    enumLen: 20, loadIdLen: 20),
                maxArrayLens: MaxArrayLens(
                    orderNodes: 100, orderEdges: 99, nodeActions: 5, edgeActions: 5, actionsActionsParameters: 10,
                    instantActions: 5, trajectoryKnotVector: 20, trajectoryControlPoints: 20, stateNodeStates: 100,
                    stateEdgeStates: 99, stateLoads: 2, stateActionStates: 100, stateErrors: 20, stateInformation: 20,
                    errorErrorReferences: 5, informationInfoReferences: 5),
                timing: Timing(
                    minOrderInterval: 0.5, minStateInterval: 0.1, defaultStateInterval: 30, visualizationInterval: 0.1)),
            protocolFeatures: ProtocolFeatures(
                optionalParameters: [
                    OptionalParameter(parameter: "order.edges.trajectory", support: .required, description: "d"),
                    OptionalParameter(parameter: "order.edges.corridor", support: .supported),
                ],
                agvActions: [
                    AGVAction(
                        actionType: "pick", actionDescription: "pick", actionScopes: [.node, .edge],
                        actionParameters: [
                            FactsheetActionParameter(
                                key: "loadId", valueDataType: .string, description: "id", isOptional: false)
                        ], resultDescription: "ok"),
                    AGVAction(actionType: "startPause", actionScopes: [.instant]),
                ]),
            agvGeometry: AGVGeometry(
                wheelDefinitions: [
                    WheelDefinition(
                        type: .mecanum, isActiveDriven: true, isActiveSteered: false,
                        position: WheelPosition(x: 0.4, y: 0.25, theta: 0), diameter: 0.2, width: 0.05,
                        centerDisplacement: 0, constraints: "none")
                ],
                envelopes2d: [
                    Envelope2D(
                        set: "default",
                        polygonPoints: [
                            PolygonPoint(x: 0.5, y: 0.3), PolygonPoint(x: -0.5, y: 0.3), PolygonPoint(x: 0, y: -0.3),
                        ], description: "outline")
                ],
                envelopes3d: [
                    Envelope3D(set: "default", format: "DXF", data: ["layers": .number(3)], url: "http://x/env.dxf")
                ]),
            loadSpecification: LoadSpecification(
                loadPositions: ["front"],
                loadSets: [
                    LoadSet(
                        setName: "klt", loadType: "KLT", loadPositions: ["front"],
                        boundingBoxReference: BoundingBoxReference(x: 0, y: 0, z: 0.3),
                        loadDimensions: LoadDimensions(length: 0.6, width: 0.4), maxWeight: 20,
                        minLoadhandlingHeight: 0.3, maxLoadhandlingHeight: 0.4, minLoadhandlingDepth: 0,
                        maxLoadhandlingDepth: 0.1, minLoadhandlingTilt: 0, maxLoadhandlingTilt: 0.1, agvSpeedLimit: 1,
                        agvAccelerationLimit: 0.3, agvDecelerationLimit: 0.5, pickTime: 5, dropTime: 4,
                        description: "d")
                ]),
            vehicleConfig: VehicleConfig(
                versions: [VersionInfo(key: "softwareVersion", value: "v1.03.2")],
                network: NetworkConfig(
                    dnsServers: ["10.0.0.1"], localIpAddress: "10.0.0.12", ntpServers: ["10.0.0.2"],
                    netmask: "255.255.255.0", defaultGateway: "10.0.0.1")))
    }

    static var richVisualization: Visualization {
        Visualization(
            headerId: 99, timestamp: t0, manufacturer: "acme", serialNumber: "AMR-1",
            agvPosition: AGVPosition(
                x: 1, y: 2, theta: 0.3, mapId: "hall-1", positionInitialized: true, localizationScore: 1,
                deviationRange: 0.1),
            velocity: Velocity(vx: 0.5))
    }

    /// Encodes a message and returns the `TOPIC JSON` capture line.
    static func captureLine<M: VDA5050Message>(_ message: M) throws -> String {
        let payload = try VDA5050Codec().encode(message)
        let topic = VDA5050TopicName(
            manufacturer: message.manufacturer, serialNumber: message.serialNumber, topic: M.topic)
        return "\(topic) \(String(decoding: payload, as: UTF8.self))"
    }

    /// Parses a fixture, lets `edit` change it, and serialises it again.
    static func editedFixture(_ name: String, _ edit: (inout [String: Any]) -> Void) throws -> [UInt8] {
        var object = try JSONSerialization.jsonObject(with: Data(try fixture(name))) as! [String: Any]
        edit(&object)
        return [UInt8](try JSONSerialization.data(withJSONObject: object))
    }

    static func roundTrip<M: VDA5050Message>(_ message: M) throws -> M {
        let codec = VDA5050Codec()
        return try codec.decode(M.self, from: try codec.encode(message))
    }
}
