import FleetMQTT
import FleetRuntime
import FleetTestKit
import Foundation
import Testing

@Suite("Coordinator shell against a real broker and journal", .serialized)
struct CoordinatorShellTests {
    static let request = #"{"id":"T-1","pick":"S1","drop":"S2","loadType":"KLT","requester":"test"}"#

    @Test("a task request becomes an order, the robot's states complete it, journal first")
    func taskCompletes() async throws {
        let harness = try ShellHarness()
        let daemon = try await harness.startDaemon()
        let robot = try FakeRobot(port: harness.broker.port, serial: "R-01", at: "N1")
        try await robot.start()
        let (observer, seen) = try await harness.observer()
        try await waitUntil("robot observed") { daemon.service.counters.states >= 1 }
        let requester = try await harness.requester()
        try await requester.publishAndWait(topic: "fleetpilot/v1/site-1/tasks/request", string: Self.request)

        let statusTopic = "fleetpilot/v1/site-1/tasks/T-1/status"
        try await seen.waitForElement(timeout: .seconds(10)) {
            $0.topic == statusTopic && $0.payloadString.contains("\"completed\"")
        }
        let kinds = try harness.journalKinds(task: "T-1")
        #expect(
            kinds.filter { $0 != "phase" } == ["created", "assigned", "dispatched", "started", "completed"], "\(kinds)")

        // Every side effect arrives after the event line of the journal record it follows from.
        let messages = seen.elements
        func index(_ predicate: (MQTTMessage) -> Bool) -> Int? { messages.firstIndex(where: predicate) }
        func eventIndex(_ kind: String) -> Int? {
            index {
                $0.topic.hasSuffix("/events") && $0.json["kind"] as? String == kind
                    && $0.json["task"] as? String == "T-1"
            }
        }
        let order = try #require(index { $0.topic == "uagv/v2/acme/R-01/order" })
        let dispatched = try #require(eventIndex("dispatched"))
        let completedEvent = try #require(eventIndex("completed"))
        let completedStatus = try #require(
            index { $0.topic == statusTopic && $0.payloadString.contains("\"completed\"") })
        #expect(dispatched < order)
        #expect(completedEvent < completedStatus)
        let sequences = messages.filter { $0.topic.hasSuffix("/events") }.compactMap { $0.json["seq"] as? Int }
        #expect(sequences == sequences.sorted())
        #expect(robot.ordersReceived == 1)
        #expect(robot.currentOrder?.orderId == "T-1.1")

        try await daemon.stop()
        #expect(daemon.service.counters.ordersPublished == 1)
        #expect(daemon.service.counters.journalFailures == 0)
        await robot.stop()
        await observer.disconnect()
        await requester.disconnect()
    }

    @Test("bad inputs are counted and answered, and the daemon keeps working")
    func badInputs() async throws {
        let harness = try ShellHarness(maxPayloadBytes: 2048)
        let daemon = try await harness.startDaemon()
        let robot = try FakeRobot(port: harness.broker.port, serial: "R-01", at: "N1")
        try await robot.start()
        let stranger = try FakeRobot(port: harness.broker.port, serial: "X-99", at: "N1")
        try await stranger.start()
        let (observer, seen) = try await harness.observer()
        let requester = try await harness.requester()
        let requests = "fleetpilot/v1/site-1/tasks/request"
        try await requester.publishAndWait(topic: requests, string: #"{"id":"B-1","pick":5,"drop":"S2"}"#)
        try await requester.publishAndWait(topic: requests, string: #"{"id":"#)
        try await requester.publishAndWait(topic: requests, string: #"{"id":"B-2","pick":"NOPE","drop":"S2"}"#)
        try await requester.publishAndWait(
            topic: requests,
            string: #"{"id":"B-3","pick":"S1","drop":"S2","x":""# + String(repeating: "y", count: 3000) + "\"}")
        try await requester.publishAndWait(topic: "uagv/v2/acme/R-01/state", string: "garbage", qos: .atMostOnce)
        try await waitUntil("bad inputs counted") {
            let c = daemon.service.counters
            return c.malformedRequests == 2 && c.rejectedRequests == 2 && c.oversizedPayloads == 1
                && c.invalidMessages == 1 && c.unknownRobots == 1 && c.unknownRobotMessages >= 2
        }
        for (id, reason) in [("B-1", "field 'pick'"), ("B-2", "unknown pick station")] {
            let status = try await seen.waitForElement { $0.topic == "fleetpilot/v1/site-1/tasks/\(id)/status" }.element
            #expect(status.json["state"] as? String == "rejected")
            #expect((status.json["reason"] as? String)?.contains(reason) == true)
        }
        // A duplicate of a live task is refused without touching its status.
        try await requester.publishAndWait(topic: requests, string: Self.request)
        try await seen.waitForElement(timeout: .seconds(10)) {
            $0.topic == "fleetpilot/v1/site-1/tasks/T-1/status" && $0.payloadString.contains("\"completed\"")
        }
        try await requester.publishAndWait(topic: requests, string: Self.request)
        try await waitUntil("duplicate refused") { daemon.service.counters.refusedForExistingTask == 1 }
        #expect(try harness.journalKinds(task: "T-1").filter { $0 == "completed" }.count == 1)
        try await daemon.stop()
        await robot.stop()
        await stranger.stop()
        await observer.disconnect()
        await requester.disconnect()
    }

    @Test("a restarted daemon carries on from the journal and completes the task exactly once")
    func restart() async throws {
        let harness = try ShellHarness()
        let first = try await harness.startDaemon()
        let robot = try FakeRobot(port: harness.broker.port, serial: "R-01", at: "N1")
        robot.setAutoFinish(false)
        try await robot.start()
        try await waitUntil("robot observed") { first.service.counters.states >= 1 }
        let requester = try await harness.requester()
        try await requester.publishAndWait(topic: "fleetpilot/v1/site-1/tasks/request", string: Self.request)
        try await waitUntil("task started") {
            (try? harness.journalKinds(task: "T-1").contains("started")) == true
        }
        try await first.stop()

        let second = try await harness.startDaemon()
        robot.finish()
        try await waitUntil(timeout: .seconds(10), "task completed after restart") {
            (try? harness.journalKinds(task: "T-1").contains("completed")) == true
        }
        try await Task.sleep(for: .milliseconds(200))
        let kinds = try harness.journalKinds(task: "T-1")
        #expect(kinds.filter { $0 == "created" }.count == 1)
        #expect(kinds.filter { $0 == "completed" }.count == 1)
        #expect(second.service.counters.replayProblems == 0)
        try await second.stop()
        await robot.stop()
        await requester.disconnect()
    }
}
