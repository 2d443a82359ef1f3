import FleetConfig
import FleetCore
import FleetSim
import Testing
import VDA5050

/// What the task kinds ask of a vehicle: the custom `assist` and `handover` actions, `startCharging` at a charger,
/// and a cooperative carry's drop leg as an order update stitched onto a finished order.
@Suite("Simulated vehicle: task kinds")
struct SimVehicleTaskKindTests {
    static let spec = VehicleSpec(maxSpeed: 1, acceleration: 0.5)

    static func vehicle(at node: String = "A", battery: Double = 80) -> SimVehicle {
        SimVehicle(id: TestSite.id, spec: spec, site: TestSite.site, at: TestSite.layout.node(node)!, battery: battery)
    }

    static func action(_ type: String, _ id: String, _ parameters: [(String, String)]) -> Action {
        Action(
            actionType: type, actionId: id, blockingType: .hard,
            actionParameters: parameters.map { ActionParameter(key: $0.0, value: .string($0.1)) })
    }

    @Test("assist and handover are supported by default, take a few seconds and are announced in the factsheet")
    func customActions() {
        #expect(Scenario.defaultActionDurations["assist"] == 5 && Scenario.defaultActionDurations["handover"] == 5)
        var run = ManualRun(vehicle: Self.vehicle())
        let assist = Self.action("assist", "O1:assist", [("stationId", "S2"), ("person", "carer-2")])
        #expect(
            run.vehicle.receiveOrder(TestSite.order(path: ["A", "B", "C"], actions: ["C": [assist]]), now: run.time)
                == nil)
        run.run(until: { $0.status("O1:assist") == .running }, limit: 120)
        #expect(run.vehicle.lastNodeId == "C")
        let took = run.run(until: { $0.status("O1:assist") == .finished }, limit: 60)
        #expect(took > 4 && took < 6)
        #expect(run.vehicle.isIdle)
        let handover = Self.action("handover", "O2:handover", [("stationId", "S1")])
        #expect(
            run.vehicle.receiveOrder(TestSite.order("O2", path: ["C", "B"], actions: ["B": [handover]]), now: run.time)
                == nil)
        run.run(until: { $0.isIdle }, limit: 120)
        #expect(run.vehicle.status("O2:handover") == .finished)
        let announced = run.vehicle.factsheet(at: run.time).protocolFeatures.agvActions.map(\.actionType)
        #expect(["assist", "handover", "startCharging", "pick", "drop"].allSatisfy(announced.contains))
    }

    @Test("startCharging at the charger finishes, and the vehicle charges while it stands there idle")
    func startCharging() {
        var run = ManualRun(vehicle: Self.vehicle(at: "B", battery: 25))
        let charge = Self.action("startCharging", "C1:startCharging", [("stationId", "CH-1")])
        #expect(
            run.vehicle.receiveOrder(
                TestSite.order("C1", path: ["B", "A", "CH"], actions: ["CH": [charge]]), now: run.time) == nil)
        #expect(!run.vehicle.charging)
        run.run(until: { $0.isIdle }, limit: 120)
        #expect(run.vehicle.status("C1:startCharging") == .finished)
        #expect(run.vehicle.lastNodeId == "CH")
        let arrived = run.vehicle.battery
        run.run(100)
        #expect(run.vehicle.charging)
        #expect(run.vehicle.battery > arrived + 4)
        #expect(run.vehicle.stateMessage(at: run.time).batteryState.charging)
    }

    @Test("a drop leg stitched onto the last node of a finished order is accepted and driven; the pick is not re-run")
    func dropLegAfterFinishedOrder() {
        var run = ManualRun(vehicle: Self.vehicle())
        let pick = Self.action("pick", "K1.1:pick", [("stationId", "S1")])
        let gathering = TestSite.order("K1.1", path: ["A", "B"], actions: ["B": [pick]])
        #expect(run.vehicle.receiveOrder(gathering, now: run.time) == nil)
        run.run(until: { $0.isIdle }, limit: 120)
        #expect(run.vehicle.status("K1.1:pick") == .finished && run.vehicle.loads.count == 1)
        run.run(3)
        // The update: same order id, update id + 1, first node = the previous last node (B, sequence 2) unchanged.
        let drop = Self.action("drop", "K1.1:drop", [("stationId", "S2")])
        let leg = TestSite.order(
            "K1.1", update: 1, path: ["B", "C"], firstSequenceId: 2, actions: ["B": [pick], "C": [drop]])
        #expect(run.vehicle.receiveOrder(leg, now: run.time) == nil)
        #expect(run.vehicle.errors.isEmpty)
        #expect(run.vehicle.orderUpdateId == 1)
        run.run(until: { $0.isIdle }, limit: 120)
        #expect(run.vehicle.lastNodeId == "C" && run.vehicle.lastNodeSequenceId == 4)
        #expect(run.vehicle.status("K1.1:drop") == .finished)
        #expect(run.vehicle.actionStates.filter { $0.actionId == "K1.1:pick" }.count == 1)
        #expect(run.vehicle.loads.isEmpty)
    }

    @Test("a drop leg whose stitching node lost its actions is refused (VDA 5050: resend it unchanged)")
    func changedStitchingNodeIsRefused() {
        var run = ManualRun(vehicle: Self.vehicle())
        let pick = Self.action("pick", "K1.1:pick", [("stationId", "S1")])
        run.vehicle.receiveOrder(TestSite.order("K1.1", path: ["A", "B"], actions: ["B": [pick]]), now: run.time)
        run.run(until: { $0.isIdle }, limit: 120)
        let leg = TestSite.order("K1.1", update: 1, path: ["B", "C"], firstSequenceId: 2)
        #expect(run.vehicle.receiveOrder(leg, now: run.time) == .orderUpdateError)
        #expect(run.vehicle.lastNodeId == "B")
    }
}
