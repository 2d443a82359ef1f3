import FleetCore
import FleetSim
import Foundation
import Testing
import VDA5050

@Suite("Every message the vehicle model produces passes shared/tools/vda5050-validate")
struct MessageSchemaTests {
    /// `$FLEETPILOT_SHARED`, else `<repo>/../shared`.
    static var shared: URL {
        if let path = ProcessInfo.processInfo.environment["FLEETPILOT_SHARED"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared").standardized
    }

    @Test("state, connection and factsheet messages are valid VDA 5050 2.1, faults included")
    func validate() throws {
        let tool = Self.shared.appendingPathComponent("tools/vda5050-validate")
        try #require(FileManager.default.isExecutableFile(atPath: tool.path), "missing \(tool.path)")
        let codec = VDA5050Codec()
        var counter = HeaderCounter()
        var lines: [String] = []
        func add<M: VDA5050Message>(_ message: M, _ id: RobotID) throws {
            var message = message
            counter.stamp(&message, at: VDA5050Timestamp(millisecondsSince1970: TestSite.t0.milliseconds))
            let topic = VDA5050TopicName(manufacturer: id.manufacturer, serialNumber: id.serialNumber, topic: M.topic)
            lines.append("\(topic.string) \(String(decoding: try codec.encode(message), as: UTF8.self))")
        }
        var run = ManualRun(vehicle: TestSite.vehicle())
        let id = TestSite.id
        try add(run.vehicle.stateMessage(at: run.time), id)
        let order = TestSite.order(
            path: ["A", "B", "C", "FAR"], actions: ["B": [TestSite.action("pick", "p")]], horizonFrom: 3)
        run.vehicle.receiveOrder(order, now: run.time)
        for _ in 0..<40 {
            run.run(1)
            try add(run.vehicle.stateMessage(at: run.time), id)
        }
        run.vehicle.receiveOrder(TestSite.order("O9", path: ["A", "B"]), now: run.time)
        run.vehicle.receiveInstantActions(
            TestSite.instant(TestSite.action("startPause", "sp"), TestSite.action("unknownThing", "u")), now: run.time)
        try add(run.vehicle.stateMessage(at: run.time), id)
        // Injected faults: a slowed vehicle driving, a drop-out (FATAL error, actions FAILED) and the recovery.
        run.vehicle.setSpeedFactor(0.5)
        run.vehicle.receiveOrder(
            TestSite.order(
                "O10", path: [run.vehicle.lastNodeId, "B"], actions: ["B": [TestSite.action("drop", "dd")]]),
            now: run.time)
        run.run(2)
        try add(run.vehicle.stateMessage(at: run.time), id)
        run.vehicle.breakDown()
        try add(run.vehicle.stateMessage(at: run.time), id)
        run.vehicle.recover()
        try add(run.vehicle.stateMessage(at: run.time), id)
        for state in [VDA5050.ConnectionState.online, .offline, .connectionBroken] {
            try add(
                Connection(manufacturer: id.manufacturer, serialNumber: id.serialNumber, connectionState: state), id)
        }
        try add(run.vehicle.factsheet(at: run.time), id)
        let capture = FileManager.default.temporaryDirectory.appendingPathComponent("fleetsim-\(UUID().uuidString).txt")
        try (lines.joined(separator: "\n") + "\n").write(to: capture, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: capture) }
        let process = Process()
        process.executableURL = tool
        process.arguments = [capture.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("\(lines.count) passed"), "\(text)")
    }
}
