import FleetCore
import FleetSim
import Testing
import VDA5050

/// What zone holds and slowdowns rely on: the simulated vehicle keeps still while paused (even for an order that
/// arrives while it is paused), reports `paused` in its state, resumes on `stopPause`, and drives no faster than
/// an edge's `maxSpeed`.
@Suite("Simulated vehicle: pauses and slowed edges for zones")
struct SimVehiclePauseTests {
    @Test("an order received while paused waits for stopPause, and the state says paused")
    func orderWhilePaused() {
        var run = ManualRun(vehicle: TestSite.vehicle())
        run.vehicle.receiveInstantActions(
            TestSite.instant(TestSite.action("startPause", "zone-startPause-1")), now: run.time)
        #expect(run.vehicle.receiveOrder(TestSite.order(path: ["A", "B", "C"]), now: run.time) == nil)
        run.run(30)
        #expect(run.vehicle.position == TestSite.layout.node("A")!.position)
        #expect(run.vehicle.stateMessage(at: run.time).paused == true)
        #expect(run.vehicle.stateMessage(at: run.time).orderId == "O1")
        #expect(!run.vehicle.driving)
        run.vehicle.receiveInstantActions(
            TestSite.instant(TestSite.action("stopPause", "zone-stopPause-2")), now: run.time)
        #expect(run.vehicle.stateMessage(at: run.time).paused == false)
        let elapsed = run.run(until: { $0.isIdle })
        #expect(run.vehicle.lastNodeId == "C")
        #expect(elapsed < 60)
        #expect(run.status("zone-stopPause-2") == .finished)
    }

    @Test("a vehicle paused mid-edge stays put for as long as the pause lasts")
    func pausedMidEdge() {
        var run = ManualRun(vehicle: TestSite.vehicle())
        run.vehicle.receiveOrder(TestSite.order(path: ["A", "B", "C"]), now: run.time)
        run.run(6)
        run.vehicle.receiveInstantActions(TestSite.instant(TestSite.action("startPause", "p1")), now: run.time)
        run.run(0.2)
        let held = run.vehicle.position
        #expect(held.x > 0 && held.x < 20)
        run.run(120)
        #expect(run.vehicle.position == held)
        #expect(run.vehicle.nodes.count >= 1)
        run.vehicle.receiveInstantActions(TestSite.instant(TestSite.action("stopPause", "p2")), now: run.time)
        run.run(until: { $0.isIdle })
        #expect(run.vehicle.lastNodeId == "C")
    }

    @Test("an edge's maxSpeed (a zone slowdown) slows the vehicle down")
    func slowedEdge() {
        func travel(maxSpeed: Double?) -> Double {
            var run = ManualRun(vehicle: TestSite.vehicle())
            var order = TestSite.order(path: ["A", "B"])
            order.edges[0].maxSpeed = maxSpeed
            run.vehicle.receiveOrder(order, now: run.time)
            return run.run(until: { $0.isIdle })
        }
        let normal = travel(maxSpeed: nil)
        let slowed = travel(maxSpeed: 0.2)
        #expect(slowed > 45 && slowed < 55, "10 m at 0.2 m/s: \(slowed) s")
        #expect(normal < 15, "10 m at 1 m/s with acceleration: \(normal) s")
    }
}
