import FleetCore
import FleetSim
import Testing
import VDA5050

@Suite("Simulated vehicle: order acceptance and cancellation (2.1 §6.6)")
struct SimVehicleOrderTests {
    @Test("a new order while busy is rejected with orderError and the current order continues")
    func busy() {
        var run = ManualRun(vehicle: TestSite.vehicle())
        run.vehicle.receiveOrder(TestSite.order(path: ["A", "B"]), now: run.time)
        run.run(2)
        #expect(run.vehicle.receiveOrder(TestSite.order("O2", path: ["A", "B"]), now: run.time) == .orderError)
        #expect(run.vehicle.orderId == "O1")
        #expect(run.vehicle.errors.map(\.errorType) == ["orderError"])
        #expect(run.vehicle.errors.first?.errorLevel == .warning)
        run.run(until: { $0.isIdle })
        #expect(run.vehicle.lastNodeId == "B")
        #expect(run.vehicle.receiveOrder(TestSite.order("O3", path: ["B", "C"]), now: run.time) == nil)
        #expect(run.vehicle.errors.isEmpty)
    }

    @Test("an order whose first node is far away is rejected")
    func farStart() {
        var vehicle = TestSite.vehicle()
        #expect(vehicle.receiveOrder(TestSite.order(path: ["C", "B"]), now: TestSite.t0) == .orderError)
        #expect(vehicle.orderId == "")
        #expect(vehicle.rejectedOrders == 1)
    }

    @Test("an invalid order (sequence ids) and bad JSON are rejected with validationError")
    func invalid() {
        var vehicle = TestSite.vehicle()
        var order = TestSite.order(path: ["A", "B"])
        order.edges[0].sequenceId = 3
        #expect(vehicle.receiveOrder(order, now: TestSite.t0) == .validationError)
        #expect(vehicle.receiveOrder(payload: Array("{not json".utf8), now: TestSite.t0) == .validationError)
        #expect(vehicle.receiveOrder(payload: Array("{\"orderId\":1}".utf8), now: TestSite.t0) == .validationError)
        #expect(vehicle.orderId == "")
        #expect(vehicle.rejectedOrders == 3)
        #expect(vehicle.takeOutbox().state)
    }

    @Test("an unsupported node action is rejected with orderError")
    func unsupportedAction() {
        var vehicle = TestSite.vehicle()
        let order = TestSite.order(path: ["A", "B"], actions: ["B": [TestSite.action("weld", "w1")]])
        #expect(vehicle.receiveOrder(order, now: TestSite.t0) == .orderError)
    }

    @Test("an outdated update is rejected; a stitched update extends the base; a duplicate is ignored")
    func updates() {
        var run = ManualRun(vehicle: TestSite.vehicle())
        run.vehicle.receiveOrder(TestSite.order(update: 1, path: ["A", "B"]), now: run.time)
        #expect(run.vehicle.orderId == "")  // a new order must start with orderUpdateId 0
        let base = TestSite.order(path: ["A", "B", "C"], horizonFrom: 2)
        #expect(run.vehicle.receiveOrder(base, now: run.time) == nil)
        #expect(run.vehicle.receiveOrder(base, now: run.time) == nil)
        run.run(2)
        let stitched = TestSite.order(update: 2, path: ["B", "C"], firstSequenceId: 2)
        #expect(run.vehicle.receiveOrder(stitched, now: run.time) == nil)
        #expect(run.vehicle.orderUpdateId == 2)
        #expect(run.vehicle.nodes.map(\.nodeId) == ["B", "C"])
        #expect(run.vehicle.nodes.allSatisfy { $0.released })
        let outdated = TestSite.order(update: 1, path: ["B", "C"], firstSequenceId: 2)
        #expect(run.vehicle.receiveOrder(outdated, now: run.time) == .orderUpdateError)
        #expect(run.vehicle.orderUpdateId == 2)
        let wrongStitch = TestSite.order(update: 3, path: ["B", "C"], firstSequenceId: 2)
        #expect(run.vehicle.receiveOrder(wrongStitch, now: run.time) == .orderUpdateError)
        run.run(until: { $0.isIdle })
        #expect(run.vehicle.lastNodeId == "C")
        #expect(run.vehicle.lastNodeSequenceId == 4)
    }

    @Test("cancelOrder: stop at the next node, waiting actions FAILED, cancelOrder FINISHED, no further updates")
    func cancel() {
        var run = ManualRun(vehicle: TestSite.vehicle())
        let order = TestSite.order(
            path: ["A", "B", "C"],
            actions: ["B": [TestSite.action("pick", "a-pick")], "C": [TestSite.action("drop", "a-drop")]])
        run.vehicle.receiveOrder(order, now: run.time)
        run.run(4)
        run.vehicle.receiveInstantActions(TestSite.instant(TestSite.action("cancelOrder", "c1")), now: run.time)
        #expect(run.status("c1") == .running)
        #expect(run.status("a-pick") == .failed)
        #expect(run.status("a-drop") == .failed)
        run.run(until: { $0.status("c1") == .finished }, limit: 60)
        #expect(run.status("c1") == .finished)
        #expect(run.vehicle.lastNodeId == "B")
        #expect(run.vehicle.nodes.isEmpty && run.vehicle.edges.isEmpty)
        #expect(run.vehicle.orderId == "O1")
        run.run(5)
        #expect(run.vehicle.lastNodeId == "B")
        let update = TestSite.order(update: 1, path: ["C", "FAR"], firstSequenceId: 4)
        #expect(run.vehicle.receiveOrder(update, now: run.time) == .orderUpdateError)
        #expect(run.vehicle.receiveOrder(TestSite.order("O2", path: ["B", "C"]), now: run.time) == nil)
    }

    @Test("cancelOrder while idle fails with noOrderToCancel; unknown instant actions fail with a WARNING")
    func idleCancelAndUnknown() {
        var vehicle = TestSite.vehicle()
        vehicle.receiveInstantActions(
            TestSite.instant(TestSite.action("cancelOrder", "c1"), TestSite.action("selfDestruct", "x1")),
            now: TestSite.t0)
        #expect(vehicle.actionStates.map(\.actionStatus) == [.failed, .failed])
        #expect(Set(vehicle.errors.map(\.errorType)) == ["noOrderToCancel", "invalidInstantAction"])
        #expect(vehicle.errors.allSatisfy { $0.errorLevel == .warning })
        vehicle.receiveInstantActions(payload: Array("[]".utf8), now: TestSite.t0)
        #expect(vehicle.errors.contains { $0.errorType == "validationError" })
    }

    @Test("stateRequest asks for a state, factsheetRequest for the factsheet")
    func requests() {
        var vehicle = TestSite.vehicle()
        _ = vehicle.takeOutbox()
        vehicle.receiveInstantActions(TestSite.instant(TestSite.action("stateRequest", "s1", .none)), now: TestSite.t0)
        #expect(vehicle.takeOutbox().state)
        vehicle.receiveInstantActions(
            TestSite.instant(TestSite.action("factsheetRequest", "f1", .none)), now: TestSite.t0)
        #expect(vehicle.takeOutbox().factsheet)
    }
}
