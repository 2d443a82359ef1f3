import Foundation
import Testing

@testable import VDA5050

/// Encodes messages of every type and checks them with the official 2.1 JSON schemas through
/// `shared/tools/vda5050-validate`. Missing tools fail the test: CI installs them.
@Suite("Schema conformance", .serialized)
struct ConformanceTests {
    struct ValidatorRun {
        var exitCode: Int32
        var output: String
    }

    static func runValidator(capture lines: [String], version: String = "2.1.0") throws -> ValidatorRun {
        let shared = TestSupport.sharedDirectory
        let tool = shared.appendingPathComponent("tools/vda5050-validate")
        guard FileManager.default.fileExists(atPath: tool.path) else {
            throw ToolMissing(
                message: "validator not found at \(tool.path); set FLEETPILOT_SHARED to the shared/ folder")
        }
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("vda5050-capture-\(UUID().uuidString).txt")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", tool.path, "--version", version, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: data, as: UTF8.self)
        if output.contains("jsonschema' is missing") || output.contains("No such file") {
            throw ToolMissing(message: "the validator cannot run: \(output)")
        }
        return ValidatorRun(exitCode: process.terminationStatus, output: output)
    }

    struct ToolMissing: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    static func representativeCapture() throws -> [String] {
        typealias S = TestSupport
        var lines: [String] = []
        lines.append(try S.captureLine(S.richOrder))
        lines.append(try S.captureLine(S.order(count: 1)))
        lines.append(try S.captureLine(S.richInstantActions))
        lines.append(try S.captureLine(InstantActions(manufacturer: "acme", serialNumber: "AMR-1", actions: [])))
        lines.append(try S.captureLine(S.richState))
        lines.append(
            try S.captureLine(
                State(
                    headerId: 0, timestamp: S.t0, manufacturer: "acme", serialNumber: "AMR-1",
                    batteryState: BatteryState(batteryCharge: 50, charging: true))))
        for state in ConnectionState.allCases { lines.append(try S.captureLine(S.connection(state))) }
        lines.append(try S.captureLine(S.richFactsheet))
        lines.append(try S.captureLine(S.richVisualization))
        lines.append(try S.captureLine(Visualization(manufacturer: "acme", serialNumber: "AMR-1")))
        return lines
    }

    @Test("every encoded message type passes the 2.1 schemas")
    func encodedMessagesAreSchemaValid() throws {
        let lines = try Self.representativeCapture()
        #expect(Set(lines.map { $0.prefix { $0 != " " }.split(separator: "/").last! }).count == 6)
        let run = try Self.runValidator(capture: lines)
        #expect(run.exitCode == 0, "validator failed:\n\(run.output)")
    }

    @Test("the 2.1 fixtures pass the 2.1 schemas (factsheet without blockingTypes, see report)")
    func fixturesAreSchemaValid() throws {
        var lines: [String] = []
        for topic in VDA5050Topic.allCases {
            var object =
                try JSONSerialization.jsonObject(with: Data(try TestSupport.fixture("\(topic.rawValue)-2.1.json")))
                as! [String: Any]
            if topic == .factsheet, var features = object["protocolFeatures"] as? [String: Any],
                var actions = features["agvActions"] as? [[String: Any]]
            {
                for i in actions.indices { actions[i]["blockingTypes"] = nil }
                features["agvActions"] = actions
                object["protocolFeatures"] = features
            }
            let json = try JSONSerialization.data(withJSONObject: object)
            lines.append("uagv/v2/KIT/0001/\(topic.rawValue) \(String(decoding: json, as: UTF8.self))")
        }
        let run = try Self.runValidator(capture: lines)
        #expect(run.exitCode == 0, "validator failed:\n\(run.output)")
    }

    @Test(
        "negative control: the validator rejects invalid messages",
        arguments: [
            // An edge without startNodeId (required in 2.x).
            #"uagv/v2/acme/AMR-1/order {"headerId":0,"timestamp":"2026-03-01T08:00:00.123Z","version":"2.1.0","#
                + #""manufacturer":"acme","serialNumber":"AMR-1","orderId":"o","orderUpdateId":0,"nodes":[{"nodeId":"#
                + #""N1","sequenceId":0,"released":true,"actions":[]},{"nodeId":"N2","sequenceId":2,"released":true,"#
                + #""actions":[]}],"edges":[{"edgeId":"E1","sequenceId":1,"released":true,"endNodeId":"N2","#
                + #""actions":[]}]}"#,
            // A 3.0 spelling of the connection state.
            #"uagv/v2/acme/AMR-1/connection {"headerId":0,"timestamp":"2026-03-01T08:00:00.123Z","version":"2.1.0","#
                + #""manufacturer":"acme","serialNumber":"AMR-1","connectionState":"CONNECTION_BROKEN"}"#,
        ])
    func validatorCanFail(line: String) throws {
        let run = try Self.runValidator(capture: [line])
        #expect(run.exitCode == 1, "expected the validator to reject the message; output:\n\(run.output)")
    }
}
