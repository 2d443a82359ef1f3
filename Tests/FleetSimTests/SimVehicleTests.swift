import FleetCore
import FleetSim
import Testing
import VDA5050

@Suite("Simulated vehicle: driving, actions, battery, charging")
struct SimVehicleTests {
    @Test("drives an order in distance/speed + speed/acceleration (trapezoidal profile)")
    func timing() {
        var run = ManualRun(vehicle: TestSite.vehicle())
        #expect(run.vehicle.receiveOrder(TestSite.order(path: ["A", "B"]), now: run.time) == nil)
        #expect(run.vehicle.lastNodeId == "A")
        #expect(run.vehicle.nodes.map(\.nodeId) == ["B"])
        let elapsed = run.run(until: { $0.isIdle })
        // 10 m at 1 m/s with 0.5 m/s²: 10/1 + 1/0.5 = 12 s.
        #expect(abs(elapsed - 12) < 0.25)
        #expect(run.vehicle.lastNodeId == "B")
        #expect(run.vehicle.lastNodeSequenceId == 2)
        #expect(abs(run.vehicle.position.x - 10) < 1e-9)
        #expect(!run.vehicle.driving)
        #expect(abs(run.vehicle.odometer - 10) < 1e-6)
        // Battery drains by distance: 0.01 %/m.
        #expect(abs(run.vehicle.battery - (80 - 0.1)) < 1e-6)
    }

    @Test("passes intermediate nodes without stopping")
    func passThrough() {
        var run = ManualRun(vehicle: TestSite.vehicle())
        run.vehicle.receiveOrder(TestSite.order(path: ["A", "B", "C"]), now: run.time)
        let elapsed = run.run(until: { $0.isIdle })
        #expect(abs(elapsed - 22) < 0.25)
        #expect(run.vehicle.lastNodeId == "C")
        #expect(run.vehicle.lastNodeSequenceId == 4)
    }

    @Test("runs node actions for their durations; HARD actions block driving")
    func actions() {
        var run = ManualRun(vehicle: TestSite.vehicle())
        let order = TestSite.order(
            path: ["A", "B", "C"],
            actions: ["B": [TestSite.action("pick", "a-pick")], "C": [TestSite.action("drop", "a-drop")]])
        run.vehicle.receiveOrder(order, now: run.time)
        #expect(run.status("a-pick") == .waiting)
        let reachB = run.run(until: { $0.lastNodeId == "B" })
        #expect(abs(reachB - 12) < 0.25)
        run.run(1)
        #expect(run.status("a-pick") == .running)
        #expect(!run.vehicle.driving)
        let pickDone = run.run(until: { $0.status("a-pick") == .finished })
        #expect(abs(pickDone + 1 - 15) < 0.25)
        #expect(run.vehicle.loads.count == 1)
        let rest = run.run(until: { $0.isIdle })
        #expect(abs(rest - (12 + 10)) < 0.3)
        #expect(run.status("a-drop") == .finished)
        #expect(run.vehicle.loads.isEmpty)
    }

    @Test("charges when idle at a charger, stops charging when an order arrives")
    func charging() {
        var run = ManualRun(vehicle: TestSite.vehicle(at: "CH", battery: 50))
        run.run(100)
        #expect(run.vehicle.charging)
        #expect(abs(run.vehicle.battery - 55) < 0.01)
        run.vehicle.receiveOrder(TestSite.order(path: ["CH", "A"]), now: run.time)
        run.run(0.2)
        #expect(!run.vehicle.charging)
        var away = ManualRun(vehicle: TestSite.vehicle(at: "B", battery: 50))
        away.run(10)
        #expect(!away.vehicle.charging)
    }

    @Test("startPause stops driving, stopPause resumes")
    func pause() {
        var run = ManualRun(vehicle: TestSite.vehicle())
        run.vehicle.receiveOrder(TestSite.order(path: ["A", "B"]), now: run.time)
        run.run(3)
        run.vehicle.receiveInstantActions(TestSite.instant(TestSite.action("startPause", "p1")), now: run.time)
        let x = run.vehicle.position.x
        run.run(5)
        #expect(run.vehicle.paused)
        #expect(!run.vehicle.driving)
        #expect(run.vehicle.position.x == x)
        #expect(run.status("p1") == .finished)
        run.vehicle.receiveInstantActions(TestSite.instant(TestSite.action("stopPause", "p2")), now: run.time)
        #expect(!run.vehicle.paused)
        run.run(until: { $0.isIdle })
        #expect(run.vehicle.lastNodeId == "B")
    }

    @Test("node occupancy conflicts are reported once per episode")
    func conflicts() {
        var detector = ConflictDetector()
        let a = RobotID(manufacturer: "acme", serialNumber: "AMR-01")
        let b = RobotID(manufacturer: "acme", serialNumber: "AMR-02")
        let c = RobotID(manufacturer: "acme", serialNumber: "AMR-03")
        #expect(detector.update([(a, "N1"), (b, "N2")], at: TestSite.t0).isEmpty)
        let first = detector.update([(a, "N1"), (b, "N1")], at: TestSite.t0)
        #expect(first.map(\.node) == ["N1"])
        #expect(first.first?.robots == [a, b])
        #expect(detector.update([(a, "N1"), (b, "N1")], at: TestSite.t0).isEmpty)
        #expect(detector.update([(a, "N1"), (b, "N1"), (c, "N1")], at: TestSite.t0).count == 1)
        #expect(detector.update([(a, nil), (b, nil), (c, nil)], at: TestSite.t0).isEmpty)
        #expect(detector.count == 2)
        let vehicles = [
            SimVehicle(id: a, spec: TestSite.spec, site: TestSite.site, at: TestSite.layout.node("B")!, battery: 90),
            SimVehicle(id: b, spec: TestSite.spec, site: TestSite.site, at: TestSite.layout.node("B")!, battery: 90),
        ]
        #expect(detector.update(vehicles, at: TestSite.t0).map(\.node) == ["B"])
    }
}
