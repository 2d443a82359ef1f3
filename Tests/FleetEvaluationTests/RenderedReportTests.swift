import FleetStore
import Foundation
import Testing

@testable import FleetEvaluation

/// Tests that run programs: the HTML report in headless Chromium (Debian's `chromium`; skipped when it is not
/// installed) and the `fleet-eval` executable built next to the test bundle (skipped when it was not built).
@Suite("Rendered reports and the fleet-eval command", .serialized)
struct RenderedReportTests {
    /// `chromium`, when installed.
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// `fleet-eval` in the build products folder of this test run.
    static let fleetEval: String? = {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [folder, folder.deletingLastPathComponent()].map {
            $0.appendingPathComponent("fleet-eval").path
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Where artifacts (the screenshot) are kept: `$FLEET_TEST_ARTIFACTS` or the temporary folder.
    static let artifacts =
        ProcessInfo.processInfo.environment["FLEET_TEST_ARTIFACTS"] ?? NSTemporaryDirectory()
        + "fleetpilot-test-artifacts"

    /// Runs a program to its end on a Dispatch thread, suspending the caller meanwhile: Chromium takes many seconds,
    /// and a blocked cooperative thread (one per core) starves every other test's waits on a 2-core machine.
    static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(executable, arguments) })
            }
        }
    }

    static func runBlocking(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(
        "the HTML report renders in headless Chromium with every chart; a screenshot is kept",
        .enabled(if: chromium != nil))
    func chromiumRenders() async throws {
        let run = RunEvaluation(records: JournalFixture.records, settings: RunEvaluationTests.settings)
        let report = EvaluationReport(run: run, scenarioName: "fixture", scenarioFile: nil, journalFile: nil)
        try FileManager.default.createDirectory(atPath: Self.artifacts, withIntermediateDirectories: true)
        let page = Self.artifacts + "/report.html"
        try Data(HTMLReport.render(report, run: run).utf8).write(to: URL(fileURLWithPath: page))
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        let dom = try await Self.run(Self.chromium!, common + ["--dump-dom", "file://" + page])
        #expect(dom.status == 0)
        for id in ["ecdf-lead_time", "throughput", "gantt", "utilisation", "battery"] {
            #expect(dom.output.contains("id=\"\(id)\"><svg"), "chart \(id) missing from the rendered DOM")
        }
        let shot = Self.artifacts + "/report.png"
        try? FileManager.default.removeItem(atPath: shot)
        _ = try await Self.run(
            Self.chromium!, common + ["--screenshot=" + shot, "--window-size=1200,2400", "file://" + page])
        let size = (try FileManager.default.attributesOfItem(atPath: shot)[.size] as? Int) ?? 0
        #expect(size > 10_000, "screenshot at \(shot)")
    }

    @Test(
        "the report of a journal with every task kind, calls and fall alerts renders with their tables and ECDFs",
        .enabled(if: chromium != nil))
    func chromiumRendersKindsAndPeople() async throws {
        let records = (WorkJournalFixture.records + PeopleJournalFixture.records).enumerated().sorted {
            ($0.element.time, $0.offset) < ($1.element.time, $1.offset)
        }.map(\.element)
        let run = RunEvaluation(records: records, settings: RunEvaluationTests.settings)
        let report = EvaluationReport(run: run, scenarioName: "kinds and people", scenarioFile: nil, journalFile: nil)
        try FileManager.default.createDirectory(atPath: Self.artifacts, withIntermediateDirectories: true)
        let page = Self.artifacts + "/report-kinds-people.html"
        try Data(HTMLReport.render(report, run: run).utf8).write(to: URL(fileURLWithPath: page))
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        let dom = try await Self.run(Self.chromium!, common + ["--dump-dom", "file://" + page])
        #expect(dom.status == 0)
        for id in [
            "ecdf-call_resolve", "ecdf-call_ack", "ecdf-fall_human_on_scene", "ecdf-handover_duration",
            "ecdf-coalition_sync_wait", "throughput", "gantt",
        ] {
            #expect(dom.output.contains("id=\"\(id)\"><svg"), "chart \(id) missing from the rendered DOM")
        }
        for heading in ["Task kinds", "Patrol waypoints"] { #expect(dom.output.contains("<h2>\(heading)</h2>")) }
        #expect(dom.output.contains("long_lie_ge_60min"))
    }

    @Test("fleet-eval evaluate on a small SQLite journal writes the three reports", .enabled(if: fleetEval != nil))
    func evaluateCommand() async throws {
        let folder = try JournalFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let journal = try SQLiteJournal(path: folder + "/journal.sqlite")
        _ = try journal.append(try JournalFixture.entries())
        journal.close()
        let configs = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Configs/sites/factory-hall.yaml").standardized.path
        let scenario = """
            name: fixture
            site: \(configs)
            start: 2027-01-15T08:00:00Z
            duration: 1h
            fleet:
              - {manufacturer: acme, serialPrefix: R, count: 2}
            targets:
              - {kpi: success_rate, type: rate_ge, threshold: 0.5}
              - {kpi: safety_task_failures, type: zero_tolerance}
            """
        try Data(scenario.utf8).write(to: URL(fileURLWithPath: folder + "/scenario.yaml"))
        let result = try await Self.run(
            Self.fleetEval!, ["evaluate", "--quiet", "--journal", folder, "--scenario", folder + "/scenario.yaml"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("success_rate"))
        for name in ["report.json", "report.md", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: folder + "/" + name), "\(name)")
        }
        let bad = try await Self.run(
            Self.fleetEval!,
            ["evaluate", "--journal", folder + "/missing.sqlite", "--scenario", folder + "/scenario.yaml"])
        #expect(bad.status == 1)
        #expect(bad.output.contains("no such journal"))
    }
}
