import FleetCore
import FleetStore
import FleetTestKit
import Foundation
import Testing

/// Every integration test, one at a time: each runs several real processes, and on a shared 2-core machine
/// parallel runs would fight over the CPU and time out.
@Suite(.serialized) struct Integration {}

/// Where the integration tests find the built programs, the repository and the shared VDA 5050 schemas.
enum IntegrationEnvironment {
    /// The repository root (from this file's path).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The build folder with the package's programs (see ``FleetTestKit/BuiltPrograms``).
    static var binDirectory: URL { BuiltPrograms.directory }

    /// The path of a built program, failing the test when it is missing.
    static func program(_ name: String) throws -> String { try BuiltPrograms.path(name) }

    /// The shared folder (`FLEETPILOT_SHARED`, else `<repo>/../shared`); the tests fail when it is missing.
    static func sharedDirectory() throws -> URL {
        let candidates =
            [ProcessInfo.processInfo.environment["FLEETPILOT_SHARED"]].compactMap { $0 }.filter {
                !$0.isEmpty
            }.map { URL(fileURLWithPath: $0) } + [
                repository.deletingLastPathComponent().appendingPathComponent("shared")
            ]
        for candidate in candidates
        where FileManager.default.fileExists(atPath: candidate.appendingPathComponent("tools/vda5050-validate").path) {
            return candidate
        }
        throw TestTimeout(
            "shared/tools/vda5050-validate not found (tried \(candidates.map(\.path))); set FLEETPILOT_SHARED")
    }

    /// The default factory scenario.
    static var factoryScenario: String {
        repository.appendingPathComponent("Configs/scenarios/factory-default.yaml").path
    }

    /// A fresh temporary folder.
    static func temporaryDirectory(_ label: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fleetpilot-it-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Validates the `uagv/` lines of a capture (`topic payload` lines) with `shared/tools/vda5050-validate`.
    /// - Returns: The number of VDA 5050 messages checked.
    static func validateVDA5050(capture: URL) async throws -> Int {
        let shared = try sharedDirectory()
        let lines = try String(contentsOf: capture, encoding: .utf8).split(separator: "\n").filter {
            $0.hasPrefix("uagv/")
        }
        let filtered = capture.deletingLastPathComponent().appendingPathComponent("vda5050-only.log")
        try (lines.joined(separator: "\n") + "\n").write(to: filtered, atomically: true, encoding: .utf8)
        let validator = try ChildProcess(
            "python3", [shared.appendingPathComponent("tools/vda5050-validate").path, filtered.path])
        // Waited for by polling with Task.sleep, not by blocking a thread: the validator runs for up to minutes,
        // and a blocked cooperative thread (one per core) starves every other test's waits on a 2-core machine.
        let status = try await validator.waitForExit(timeout: .seconds(120))
        #expect(status == 0, "vda5050-validate failed:\n\(validator.outputText.suffix(3000))")
        return lines.count
    }

    /// Waits for a child to exit, polling.
    static func waitBlocking(_ child: ChildProcess, seconds: Double) throws -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while child.isRunning {
            guard Date() < deadline else { throw TestTimeout("\(child.commandLine) did not exit in \(seconds) s") }
            usleep(20_000)
        }
        // The output is read asynchronously: give what it wrote last up to 2 s to arrive (a CI run once saw a
        // fleetctl error message missing because the exit was noticed first).
        let drainDeadline = Date().addingTimeInterval(2)
        while !child.outputDrained && Date() < drainDeadline { usleep(10_000) }
        return child.exitStatus
    }

    /// Every record of a journal file, decoded (the payload is the flat record JSON).
    static func records(journal path: String) throws -> [JournalRecord] {
        let journal = try SQLiteJournal(readOnlyPath: path)
        defer { journal.close() }
        let decoder = JSONDecoder()
        return try journal.allEntries().map { try decoder.decode(JournalRecord.self, from: Data($0.payload.utf8)) }
    }
}
