import FleetConfig
import FleetCore
import FleetMQTT
import Foundation
import Logging
import Testing
import VDA5050

@testable import FleetSim

@Suite("Injected faults: drop-out, slowdown, communication loss")
struct FaultInjectionTests {
    static let robots = (1...5).map { RobotID(manufacturer: "acme", serialNumber: "AMR-0\($0)") }

    @Test("robots by serial, or count of them chosen by the seed; begin and end steps in time order")
    func timeline() {
        let faults = [
            ScenarioFault(
                at: 600, kind: .dropout, robots: ["AMR-02", "acme/AMR-04", "AMR-09"], duration: 300, line: 7),
            ScenarioFault(at: 100, kind: .slowdown, count: 2, duration: 500, factor: 0.5),
            ScenarioFault(at: 900, kind: .commLoss, count: 1),
        ]
        var injector = FaultInjector(faults: faults, robots: Self.robots, seed: 42)
        #expect(injector.problems == ["fault #1 (line 7): no robot 'AMR-09' in the fleet"])
        let offsets = injector.steps.map(\.offset)
        #expect(offsets == offsets.sorted())
        #expect(injector.steps.count == 2 * 2 + 2 * 2 + 1)
        let drops = injector.steps.filter { $0.kind == .dropout && $0.begins }.map(\.robot.serialNumber)
        #expect(drops == ["AMR-02", "AMR-04"])
        let slowed = injector.steps.filter { $0.kind == .slowdown && $0.begins }.map(\.vehicle)
        #expect(slowed.count == 2 && Set(slowed).count == 2)
        // The same seed picks the same robots, another seed (almost surely) others over many faults.
        let again = FaultInjector(faults: faults, robots: Self.robots, seed: 42)
        #expect(again.steps == injector.steps)
        let many = (0..<20).map { ScenarioFault(at: Double($0), kind: .commLoss, count: 1) }
        let a = FaultInjector(faults: many, robots: Self.robots, seed: 1).steps.map(\.vehicle)
        let b = FaultInjector(faults: many, robots: Self.robots, seed: 2).steps.map(\.vehicle)
        #expect(a != b && Set(a).count > 1)
        #expect(injector.due(upTo: 99).isEmpty)
        #expect(injector.due(upTo: 100).count == 2)
        #expect(injector.due(upTo: 100).isEmpty)
        let text = injector.due(upTo: 600).map(\.description)
        #expect(text.contains("fault dropout begins on acme/AMR-02 (for 300 s)"), "\(text)")
        #expect(text.contains { $0.hasPrefix("fault slowdown ends on acme/") }, "\(text)")
        #expect(
            injector.due(upTo: 10_000).map(\.description).last
                == "fault commLoss begins on \(injector.steps.last!.robot) (until the end)")
    }

    @Test("faults given by count spare robots broken down at the time, unless too few others are left")
    func spareBrokenDown() {
        for seed in 1...50 as ClosedRange<UInt64> {
            let faults = [
                ScenarioFault(at: 3600, kind: .commLoss, count: 1, duration: 600),
                ScenarioFault(at: 0, kind: .dropout, robots: ["AMR-01", "AMR-02", "AMR-03"]),
                ScenarioFault(at: 100, kind: .dropout, count: 1, duration: 60),
            ]
            let steps = FaultInjector(faults: faults, robots: Self.robots, seed: seed).steps
            let loss = steps.first { $0.kind == .commLoss }!.robot.serialNumber
            let second = steps.first { $0.kind == .dropout && $0.offset == 100 }!.robot.serialNumber
            #expect(["AMR-04", "AMR-05"].contains(loss) && ["AMR-04", "AMR-05"].contains(second), "seed \(seed)")
            let crowded = FaultInjector(
                faults: [faults[1], ScenarioFault(at: 10, kind: .slowdown, count: 4, factor: 0.5)], robots: Self.robots,
                seed: seed)
            #expect(crowded.steps.filter { $0.kind == .slowdown }.count == 4)
        }
    }

    @Test("drop-out: the vehicle stops with a FATAL error, drops its order, ignores time; recovers without it")
    func dropout() {
        var run = ManualRun(vehicle: TestSite.vehicle())
        run.vehicle.receiveOrder(
            TestSite.order(path: ["A", "B", "C"], actions: ["C": [TestSite.action("drop", "d")]]), now: run.time)
        run.run(5)
        #expect(run.vehicle.driving)
        run.vehicle.breakDown()
        let stopped = run.vehicle.position
        run.run(30)
        #expect(!run.vehicle.driving && run.vehicle.position == stopped && run.vehicle.nodes.isEmpty)
        let state = run.vehicle.stateMessage(at: run.time)
        #expect(state.errors.contains { $0.errorType == "robotDropout" && $0.errorLevel == .fatal })
        #expect(state.actionStates.first { $0.actionId == "d" }?.actionStatus == .failed)
        #expect(run.vehicle.takeOutbox().state)
        run.vehicle.recover()
        #expect(run.vehicle.stateMessage(at: run.time).errors.isEmpty && !run.vehicle.brokenDown)
        #expect(run.vehicle.receiveOrder(TestSite.order("O2", path: ["A", "B"]), now: run.time) == nil)
        run.run(until: { $0.isIdle })
        #expect(run.vehicle.lastNodeId == "B")
    }

    @Test("slowdown: the same way takes about 1/factor as long; back to normal when it ends")
    func slowdown() {
        func drive(factor: Double) -> Double {
            var run = ManualRun(vehicle: TestSite.vehicle())
            run.vehicle.setSpeedFactor(factor)
            run.vehicle.receiveOrder(TestSite.order(path: ["A", "B", "C"]), now: run.time)
            return run.run(until: { $0.isIdle && $0.lastNodeId == "C" })
        }
        let normal = drive(factor: 1)
        let slow = drive(factor: 0.5)
        // 20 m at 1 m/s (plus ramps) against 20 m at 0.5 m/s.
        #expect(normal > 20 && normal < 23, "\(normal)")
        #expect(slow > 40 && slow < 42.5, "\(slow)")
        var vehicle = TestSite.vehicle()
        vehicle.setSpeedFactor(0.3)
        vehicle.setSpeedFactor(1)
        #expect(vehicle.speedFactor == 1)
    }

    static func run(_ faults: [ScenarioFault]) -> SimRun {
        var options = FleetSimOptions(scenario: CareSite.scenario(faults: faults, robots: 2))
        options.demand = false
        return SimRun(options: options, logger: Logger(label: "test"))
    }

    @Test("in a run: a drop-out goes OFFLINE and ONLINE, a communication loss loses orders while driving on")
    func inRun() throws {
        var run = Self.run([
            ScenarioFault(at: 10, kind: .dropout, robots: ["AMR-01"], duration: 20),
            ScenarioFault(at: 5, kind: .commLoss, robots: ["AMR-02"], duration: 40),
        ])
        let second = run.vehicles[1].id
        let order = VDA5050Codec()
        var path = TestSite.order(path: ["A", "B"])
        path.manufacturer = second.manufacturer
        path.serialNumber = second.serialNumber
        _ = run.vehicles[1].receiveOrder(path, now: run.now)
        _ = run.advance(by: 6)
        #expect(run.silent == [1] && run.vehicles[1].driving)
        let topic = SimTopics.vehicle(second, .order)
        run.handle([SimInput(vehicle: 1, message: MQTTMessage(topic: topic, payload: try order.encode(path)))])
        #expect(run.lostMessages == 1)
        _ = run.advance(by: 5)
        #expect(run.down == [0] && run.vehicles[0].brokenDown)
        var outgoing = run.takeOutgoing()
        #expect(outgoing.connections.map(\.1) == [.offline])
        _ = run.advance(by: 20)
        outgoing = run.takeOutgoing()
        #expect(outgoing.connections.map(\.1) == [.online] && run.down.isEmpty && !run.vehicles[0].brokenDown)
        // Still silent, but it drove on from A (its start) to B meanwhile.
        #expect(run.silent == [1] && run.vehicles[1].lastNodeId == "B")
        _ = run.advance(by: 15)
        #expect(run.silent.isEmpty)
        #expect(run.faultSteps == 4)
        #expect(run.log.count == 4 && run.log[0].contains("commLoss begins on acme/AMR-02"), "\(run.log)")
    }
}
