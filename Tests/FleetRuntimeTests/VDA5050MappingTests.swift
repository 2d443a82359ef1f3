import FleetCore
import FleetRuntime
import Foundation
import Testing
import VDA5050

@Suite("VDA 5050 mapping")
struct VDA5050MappingTests {
    @Test("a state becomes the expected observation")
    func stateToObservation() {
        let state = VDA5050.State(
            headerId: 7, timestamp: VDA5050Timestamp(millisecondsSince1970: 0), manufacturer: "acme",
            serialNumber: "AMR-01", orderId: "T-9.2", orderUpdateId: 0, lastNodeId: "N2", lastNodeSequenceId: 2,
            driving: true, paused: true, operatingMode: .semiautomatic,
            nodeStates: [NodeState(nodeId: "N3", sequenceId: 4, released: true)],
            agvPosition: AGVPosition(x: 5, y: 1.5, theta: 0, mapId: "m1", positionInitialized: true),
            actionStates: [
                ActionState(actionId: "T-9.2:pick", actionType: "pick", actionStatus: .finished),
                ActionState(actionId: "T-9.2:drop", actionType: "drop", actionStatus: .initializing),
            ],
            batteryState: BatteryState(batteryCharge: 42.5, charging: false),
            errors: [
                VDA5050Error(
                    errorType: "orderError",
                    errorReferences: [Reference(referenceKey: "orderId", referenceValue: "T-9.2")],
                    errorDescription: "cannot", errorLevel: .fatal)
            ],
            safetyState: VDA5050.SafetyState(eStop: .autoAck, fieldViolation: true))
        let expected = RobotObservation(
            position: SitePoint(x: 5, y: 1.5), mapId: "m1", lastNodeId: "N2", batteryPercent: 42.5, charging: false,
            driving: true, paused: true, mode: .semiautomatic,
            faults: [RobotFault(type: "orderError", level: .fatal, description: "cannot", orderId: "T-9#2")],
            safety: FleetCore.SafetyState(eStop: true, fieldViolation: true),
            order: OrderProgress(
                orderId: "T-9#2", orderUpdateId: 0, lastNodeSequenceId: 2, remainingNodeCount: 1,
                actions: ["T-9#2/pick": ActionProgress(.finished), "T-9#2/drop": ActionProgress(.running)]),
            reportedAt: FleetTime(milliseconds: 0))
        #expect(VDA5050Mapping.observation(from: state) == expected)
    }

    @Test("the nearest person is the smallest valid HUMAN_PROXIMITY distance; other information is ignored")
    func humanProximity() {
        func entry(_ type: String, _ values: [String]) -> Information {
            Information(
                infoType: type, infoReferences: values.map { Reference(referenceKey: "distance", referenceValue: $0) },
                infoLevel: .info)
        }
        #expect(VDA5050Mapping.humanDistance(nil) == nil)
        #expect(VDA5050Mapping.humanDistance([entry("BATTERY_TEMP", ["0.1"])]) == nil)
        #expect(VDA5050Mapping.humanDistance([entry("HUMAN_PROXIMITY", ["near", "-1", "nan", "inf"])]) == nil)
        #expect(
            VDA5050Mapping.humanDistance([
                entry("HUMAN_PROXIMITY", ["1.25"]), entry("OTHER", ["0.1"]), entry("HUMAN_PROXIMITY", ["0.8", "x"]),
            ]) == 0.8)
        let state = VDA5050.State(
            headerId: 0, timestamp: VDA5050Timestamp(millisecondsSince1970: 0), manufacturer: "acme",
            serialNumber: "AMR-01", batteryState: BatteryState(batteryCharge: 80, charging: false),
            information: [entry("HUMAN_PROXIMITY", ["2.5"])])
        #expect(VDA5050Mapping.observation(from: state).humanDistance == 2.5)
    }

    @Test("an idle, unlocalised robot has no order and no position")
    func idleState() {
        let state = VDA5050.State(
            headerId: 0, timestamp: VDA5050Timestamp(millisecondsSince1970: 0), manufacturer: "acme",
            serialNumber: "AMR-01",
            agvPosition: AGVPosition(x: 1, y: 1, theta: 0, mapId: "m1", positionInitialized: false),
            batteryState: BatteryState(batteryCharge: 80, charging: true))
        let observation = VDA5050Mapping.observation(from: state)
        #expect(observation.order == nil)
        #expect(observation.position == nil)
        #expect(observation.lastNodeId == nil)
        #expect(observation.charging)
    }

    @Test("ids round-trip between the coordinator's and the wire form", arguments: ["T-1", "T.5", "A-1.2.3", "9"])
    func idRoundTrip(task: String) {
        let orderId = task + "#3"
        #expect(VDA5050Mapping.isPermittedID(VDA5050Mapping.wireOrderId(orderId)))
        #expect(VDA5050Mapping.coordinatorOrderId(VDA5050Mapping.wireOrderId(orderId)) == orderId)
        let actionId = orderId + "/pick"
        #expect(VDA5050Mapping.coordinatorActionId(VDA5050Mapping.wireActionId(actionId)) == actionId)
    }

    static func plan() -> DispatchPlan {
        let pick = PlannedAction(actionId: "T-1#1/pick", kind: .pick, station: "S1", loadType: "KLT")
        let drop = PlannedAction(actionId: "T-1#1/drop", kind: .drop, station: "S2", loadType: "KLT")
        return DispatchPlan(
            taskId: "T-1", orderId: "T-1#1", orderUpdateId: 0,
            nodes: [
                PlannedNode(
                    nodeId: "N1", sequenceId: 0, position: SitePoint(x: 0, y: 0), mapId: "m1", theta: nil, actions: []),
                PlannedNode(
                    nodeId: "N2", sequenceId: 2, position: SitePoint(x: 5, y: 0), mapId: "m1", theta: 1.57,
                    actions: [pick]),
                PlannedNode(
                    nodeId: "N1", sequenceId: 4, position: SitePoint(x: 0, y: 0), mapId: "m1", theta: nil,
                    actions: [drop]),
            ],
            edges: [
                PlannedEdge(edgeId: "E1", sequenceId: 1, startNodeId: "N1", endNodeId: "N2", maxSpeed: 1.2, length: 5),
                PlannedEdge(
                    edgeId: "E1~rev", sequenceId: 3, startNodeId: "N2", endNodeId: "N1", maxSpeed: nil, length: 5),
            ])
    }

    @Test("a dispatch plan becomes an order that passes OrderValidator and the official 2.1 schema")
    func planToOrder() throws {
        let robot = RobotID(manufacturer: "acme", serialNumber: "AMR-01")
        let counters = HeaderCounters()
        let first = counters.stamp(
            VDA5050Mapping.order(for: Self.plan(), robot: robot),
            at: VDA5050Timestamp(millisecondsSince1970: 1_764_403_200_000))
        let second = counters.stamp(
            VDA5050Mapping.order(for: Self.plan(), robot: robot),
            at: VDA5050Timestamp(millisecondsSince1970: 1_764_403_200_500))
        #expect(OrderValidator().validate(first).isEmpty)
        #expect((first.headerId, second.headerId) == (0, 1))
        #expect(first.orderId == "T-1.1")
        #expect(first.nodes.allSatisfy(\.released) && first.edges.allSatisfy(\.released))
        #expect(first.edges.map(\.edgeId) == ["E1", "E1-rev"])
        #expect(first.edges[0].maxSpeed == 1.2 && first.edges[0].length == 5)
        #expect(first.nodes[1].nodePosition?.mapId == "m1")
        let pick = try #require(first.nodes[1].actions.first)
        #expect(pick.actionType == "pick" && pick.blockingType == .hard && pick.actionId == "T-1.1:pick")
        #expect(pick.actionParameters?.contains(ActionParameter(key: "loadType", value: .string("KLT"))) == true)
        let cancel = counters.stamp(
            VDA5050Mapping.cancelOrder(robot: robot, orderId: "T-1#1", sequence: 1),
            at: VDA5050Timestamp(millisecondsSince1970: 1_764_403_201_000))

        let codec = VDA5050Codec()
        var capture = "uagv/v2/acme/AMR-01/order " + String(decoding: try codec.encode(first), as: UTF8.self) + "\n"
        capture +=
            "uagv/v2/acme/AMR-01/instantActions " + String(decoding: try codec.encode(cancel), as: UTF8.self) + "\n"
        let file = NSTemporaryDirectory() + "fleetd-capture-\(UUID().uuidString).txt"
        try capture.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let tool = try #require(Self.sharedDirectory(), "shared directory not found") + "/tools/vda5050-validate"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = [file]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "vda5050-validate: \(text)")
    }

    /// `FLEETPILOT_SHARED`, or `<repo>/../shared`.
    static func sharedDirectory() -> String? {
        if let shared = ProcessInfo.processInfo.environment["FLEETPILOT_SHARED"] { return shared }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let shared = repo.deletingLastPathComponent().appendingPathComponent("shared").path
        return FileManager.default.fileExists(atPath: shared + "/tools/vda5050-validate") ? shared : nil
    }
}
