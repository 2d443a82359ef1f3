import FleetCore
import FleetRuntime
import Foundation
import Testing
import VDA5050

/// The task kinds at the wire: MQTT requests and confirmations, the confirm topic, and the VDA 5050 form of the
/// kinds' actions and of a cooperative carry's drop leg.
@Suite struct TaskKindWireTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test(arguments: [
        (#"{"id":"P1","kind":"patrol","stops":["A","B","C"],"repeatEvery":900}"#, TaskKind.patrol, ["A", "B", "C"]),
        (#"{"id":"K1","kind":"cooperative_carry","pick":"A","drop":"B","robots":3}"#, .cooperativeCarry, ["A", "B"]),
        (#"{"id":"S1","kind":"assist","stops":["A"],"person":"carer-2"}"#, .assist, ["A"]),
        (#"{"id":"H1","kind":"handover","stops":["B"]}"#, .handover, ["B"]),
        (#"{"id":"V1","kind":"coverage","zone":"HALL","robots":2}"#, .coverage, []),
        (#"{"id":"E1","kind":"emergency","stops":["C"]}"#, .emergency, ["C"]),
        (#"{"id":"T1","pick":"A","drop":"B"}"#, .transport, ["A", "B"]),
    ])
    func everyKindDecodes(json: String, kind: TaskKind, stops: [String]) throws {
        let request = try TaskRequestDecoder().request(Self.bytes(json))
        #expect(request.kind == kind && request.stops == stops)
        #expect(request.priority == (kind == .emergency ? .emergency : .normal))
    }

    @Test func optionalFieldsAreRead() throws {
        let json = #"""
            {"id":"P2","kind":"patrol","stops":["A"],"priority":"high","earliestStart":"2026-11-29T08:00:00Z",
             "after":["P1"],"repeatEvery":600,"requester":"mes","deadline":"2026-11-29T09:00:00.500Z"}
            """#
        let request = try TaskRequestDecoder().request(Self.bytes(json))
        #expect(request.priority == .high && request.requester == "mes" && request.after == ["P1"])
        #expect(request.earliestStart == FleetTime(milliseconds: 1_795_939_200_000))
        #expect(request.deadline == FleetTime(milliseconds: 1_795_942_800_500))
        #expect(request.repeatEvery == 600)
        let carry = try TaskRequestDecoder().request(
            Self.bytes(#"{"id":"K","kind":"cooperative_carry","pick":"A","drop":"B"}"#))
        #expect(carry.robots == 2)
    }

    @Test(
        arguments: [
            (
                #"{"id":"X","kind":"cooperative_carry","pick":"A","drop":"B","robots":0}"#, "X",
                "field 'robots': expected a whole number ≥ 1"
            ),
            (
                #"{"id":"X","kind":"cooperative_carry","pick":"A","drop":"B","robots":1.5}"#, "X",
                "field 'robots': expected a whole number ≥ 1"
            ),
            (#"{"id":"X","kind":"charge"}"#, "X", "field 'kind': charge tasks are created by the coordinator"),
            (
                #"{"id":"X","kind":"fly","stops":["A"]}"#, "X",
                "field 'kind': 'fly' is not one of transport, patrol, assist"
            ),
            (#"{"id":"X","kind":"patrol"}"#, "X", "field 'stops': missing"),
            (#"{"id":"X","kind":"patrol","stops":[1,2]}"#, "X", "field 'stops': expected a list of station ids"),
            (
                #"{"id":"X","kind":"patrol","pick":"A","stops":["A"]}"#, "X",
                "field 'pick': a patrol task has no pick station"
            ),
            (
                #"{"id":"X","pick":"A","drop":"B","stops":["A"]}"#, "X",
                "field 'stops': a transport task takes 'pick' and 'drop'"
            ),
            (#"{"id":"X","kind":"coverage"}"#, "X", "field 'zone': missing"),
            (
                #"{"id":"X","kind":"assist","stops":["A"],"person":""}"#, "X",
                "field 'person': expected a non-empty text"
            ),
            (
                #"{"id":"X","pick":"A","drop":"B","earliestStart":"soon"}"#, "X",
                "field 'earliestStart': 'soon' is not an ISO 8601 time"
            ),
            (#"{"id":"X","pick":"A","drop":"B","after":"T1"}"#, "X", "field 'after': expected a list of task ids"),
            (
                #"{"id":"X","kind":"patrol","stops":["A"],"repeatEvery":0}"#, "X",
                "field 'repeatEvery': expected a number of seconds > 0"
            ),
            (
                #"{"id":"X","pick":"A","drop":"B","priority":"asap"}"#, "X",
                "field 'priority': 'asap' is not low, normal, high, urgent or emergency"
            ),
            (#"{"id":"X","pick":"A"}"#, "X", "field 'drop': missing"),
            (#"{"id":"X Y","pick":"A","drop":"B"}"#, "X Y", "field 'id': 'X Y' may contain only"),
            (#"{"id":"a/b","pick":"A","drop":"B"}"#, nil, "field 'id': 'a/b' may contain only"),
            (#"{"id":42,"pick":"A","drop":"B"}"#, nil, "field 'id': expected a non-empty text"),
            (#"{"pick":"A","drop":"B"}"#, nil, "field 'id': missing"),
            (#"[1,2]"#, nil, "expected a JSON object"),
            ("not json", nil, "not valid JSON"),
        ] as [(String, String?, String)])
    func badRequestsNameTheField(json: String, id: String?, reason: String) throws {
        let failure = try #require(
            Self.failure { () throws(TaskRequestDecoder.Failure) in
                _ = try TaskRequestDecoder().request(Self.bytes(json))
            })
        #expect(failure.id == id)
        #expect(failure.reason.hasPrefix(reason), "\(failure.reason)")
    }

    /// The failure `body` throws, or `nil`.
    static func failure(_ body: () throws(TaskRequestDecoder.Failure) -> Void) -> TaskRequestDecoder.Failure? {
        do throws(TaskRequestDecoder.Failure) {
            try body()
            return nil
        } catch {
            return error
        }
    }

    @Test func confirmationsComeFromTheConfirmTopic() throws {
        let topics = FleetTopics(site: "hall-1")
        #expect(topics.taskConfirm("A-1") == "fleetpilot/v1/hall-1/tasks/A-1/confirm")
        #expect(topics.taskConfirmFilter == "fleetpilot/v1/hall-1/tasks/+/confirm")
        #expect(topics.confirmedTask("fleetpilot/v1/hall-1/tasks/A-1/confirm") == "A-1")
        for other in [
            "fleetpilot/v1/hall-1/tasks/A-1/status", "fleetpilot/v1/hall-2/tasks/A-1/confirm",
            "fleetpilot/v1/hall-1/tasks//confirm", "fleetpilot/v1/hall-1/tasks/a/b/confirm",
            "fleetpilot/v1/hall-1/tasks/request",
        ] {
            #expect(topics.confirmedTask(other) == nil, "\(other)")
        }
        let decoder = TaskRequestDecoder()
        #expect(try decoder.confirmation(Self.bytes(#"{"person":"carer-2"}"#), task: "A-1") == "carer-2")
        for (bad, reason) in [
            ("{}", "field 'person': missing"), (#"{"person":3}"#, "field 'person'"), ("nope", "not valid JSON"),
        ] {
            let failure = try #require(
                Self.failure { () throws(TaskRequestDecoder.Failure) in
                    _ = try decoder.confirmation(Self.bytes(bad), task: "A-1")
                })
            #expect(failure.id == "A-1" && failure.reason.hasPrefix(reason), "\(failure.reason)")
        }
    }

    @Test func assistAndHandoverActionsCarryStationAndPerson() {
        let assist = VDA5050Mapping.action(
            PlannedAction(
                actionId: "A-1#1/assist", kind: .assist, station: "BED-3", loadType: "tray", person: "carer-2"))
        #expect(assist.actionType == "assist" && assist.blockingType == .hard && assist.actionId == "A-1.1:assist")
        #expect(
            assist.actionParameters == [
                ActionParameter(key: "stationId", value: .string("BED-3")),
                ActionParameter(key: "person", value: .string("carer-2")),
            ])
        let charge = VDA5050Mapping.action(
            PlannedAction(actionId: "c#1/startCharging", kind: .startCharging, station: "CH-1"))
        #expect(charge.actionType == "startCharging")
        #expect(charge.actionParameters == [ActionParameter(key: "stationId", value: .string("CH-1"))])
    }

    /// A carry's gathering order (to the pick node N2 with the pick) and the core's drop leg (N2 → N3 with the
    /// drop, the pick removed from N2).
    static func carry() -> (gathering: DispatchPlan, leg: DispatchPlan) {
        let pick = PlannedAction(actionId: "K#1/pick", kind: .pick, station: "S1")
        let drop = PlannedAction(actionId: "K#1/drop", kind: .drop, station: "S2")
        func node(_ id: String, _ sequence: Int, _ x: Double, _ actions: [PlannedAction]) -> PlannedNode {
            PlannedNode(
                nodeId: id, sequenceId: sequence, position: SitePoint(x: x, y: 0), mapId: "m", theta: nil,
                actions: actions)
        }
        let gathering = DispatchPlan(
            taskId: "K", orderId: "K#1", orderUpdateId: 0, nodes: [node("N1", 0, 0, []), node("N2", 2, 5, [pick])],
            edges: [
                PlannedEdge(edgeId: "E1", sequenceId: 1, startNodeId: "N1", endNodeId: "N2", maxSpeed: nil, length: 5)
            ])
        let leg = DispatchPlan(
            taskId: "K", orderId: "K#1", orderUpdateId: 1, nodes: [node("N2", 2, 5, []), node("N3", 4, 10, [drop])],
            edges: [
                PlannedEdge(edgeId: "E2", sequenceId: 3, startNodeId: "N2", endNodeId: "N3", maxSpeed: nil, length: 5)
            ])
        return (gathering, leg)
    }

    @Test func aDropLegResendsItsStitchingNodeUnchanged() {
        let (gathering, leg) = Self.carry()
        let robot = RobotID(manufacturer: "acme", serialNumber: "AMR-01")
        let validator = OrderValidator()
        let previous = VDA5050Mapping.order(for: gathering, robot: robot)
        // As the core plans it, the update changes the stitching node: a robot refuses it.
        #expect(!validator.validate(VDA5050Mapping.order(for: leg, robot: robot), previous: previous).isEmpty)
        let wire = VDA5050Mapping.stitched(leg, after: gathering)
        #expect(wire.nodes[0] == gathering.nodes[1] && Array(wire.nodes.dropFirst()) == Array(leg.nodes.dropFirst()))
        #expect(validator.validate(VDA5050Mapping.order(for: wire, robot: robot), previous: previous).isEmpty)
        // A re-send of the update goes out as the first time; other orders pass unchanged.
        #expect(VDA5050Mapping.stitched(leg, after: wire) == wire)
        #expect(VDA5050Mapping.stitched(gathering, after: nil) == gathering)
        var other = leg
        other.orderId = "Q#1"
        #expect(VDA5050Mapping.stitched(other, after: gathering) == other)
    }
}
