import FleetCore
import FleetStore
import Foundation
import Testing

@testable import FleetEvaluation

/// report.json's shape, the self-contained HTML, and the whole path from an SQLite journal file to the reports.
@Suite("Reports")
struct ReportTests {
    static let targets = [
        TargetSpec(kpi: "success_rate", type: .rateAtLeast, value: 0.5),
        TargetSpec(kpi: "safety_task_failures", type: .zeroTolerance, value: 0),
    ]

    func evaluated() -> (RunEvaluation, EvaluationReport) {
        let run = RunEvaluation(
            records: JournalFixture.records, targets: Self.targets, settings: RunEvaluationTests.settings)
        return (run, EvaluationReport(run: run, scenarioName: "fixture", scenarioFile: nil, journalFile: nil))
    }

    @Test("report.json has the catalogue's result-record shape")
    func jsonShape() throws {
        let (_, report) = evaluated()
        let object = try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
        for key in ["evaluator", "scenario", "log", "kpis", "gates", "overall", "methods"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let log = try #require(object["log"] as? [String: Any])
        #expect(log["quality"] != nil)
        let scenario = try #require(object["scenario"] as? [String: Any])
        #expect((scenario["window"] as? [String])?.count == 2)
        #expect(scenario["warmup_s"] != nil)
        let kpis = try #require(object["kpis"] as? [[String: Any]])
        let sr = try #require(kpis.first { $0["id"] as? String == "success_rate" })
        for key in ["id", "estimate", "ci", "n", "target", "verdict", "unit", "reason"] {
            #expect(sr[key] != nil, "\(key)")
        }
        let ci = try #require(sr["ci"] as? [String: Any])
        #expect(ci["method"] as? String == "wilson")
        #expect((sr["target"] as? [String: Any])?["type"] as? String == "rate_ge")
        let gates = try #require(object["gates"] as? [[String: Any]])
        let safety = try #require(gates.first { $0["id"] as? String == "safety_task_failures" })
        #expect(safety["n_required"] as? Int == 59)
        #expect(safety["verdict"] as? String == "INSUFFICIENT_DATA")
        #expect(object["overall"] as? String == "INCONCLUSIVE")
    }

    @Test("the HTML report is self-contained: no scripts, no http(s) references, every chart present")
    func htmlSelfContained() {
        let (run, report) = evaluated()
        let html = HTMLReport.render(report, run: run)
        #expect(!html.contains("http://"))
        #expect(!html.contains("https://"))
        #expect(!html.contains("<script"))
        for id in [
            "ecdf-lead_time", "ecdf-time_to_assign", "ecdf-queue_wait", "throughput", "gantt", "utilisation", "battery",
        ] {
            #expect(html.contains("<figure id='\(id)'><svg"), "chart \(id)")
        }
        #expect(html.range(of: "Provenance")!.lowerBound < html.range(of: "<h2>KPIs")!.lowerBound)
        let comparison = ABComparison(a: [run], b: [run])
        let forest = HTMLReport.render(comparison: comparison)
        #expect(forest.contains("<figure id='forest'><svg"))
        #expect(!forest.contains("http"))
        #expect(MarkdownReport.render(report).contains("| success_rate |") == false)
        #expect(MarkdownReport.render(report).contains("`success_rate`"))
    }

    @Test("A/B: identical runs differ by 0; replications aggregate with a t interval")
    func abAndReplications() throws {
        let (run, _) = evaluated()
        let comparison = ABComparison(a: [run, run], b: [run, run])
        let sr = try #require(comparison.rows.first { $0.id == "success_rate" })
        #expect(sr.difference == 0)
        #expect(sr.ci?.method == "paired t over 2 seeds")
        let single = ABComparison(a: [run], b: [run])
        #expect(single.rows.first { $0.id == "success_rate" }?.ci?.method == "newcombe hybrid score (mover)")
        let rows = ReplicationRow.aggregate([run, run, run])
        #expect(rows.first { $0.id == "throughput" }?.mean == 3)
        let verdicts = ReplicationRow.verdicts([run, run, run], rows: rows)
        #expect(verdicts.kpis.first { $0.id == "safety_task_failures" }?.n == 15)
    }

    @Test("end to end: an SQLite journal file → reader → evaluation → report files")
    func endToEnd() throws {
        let folder = try JournalFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/journal.sqlite"
        let journal = try SQLiteJournal(path: path)
        _ = try journal.append(try JournalFixture.entries())
        journal.close()
        let read = try JournalReader.read(path: path)
        #expect(read.records.count == JournalFixture.records.count)
        #expect(read.undecodable == 0)
        let run = RunEvaluation(records: read.records, targets: Self.targets, settings: RunEvaluationTests.settings)
        let report = EvaluationReport(run: run, scenarioName: "fixture", scenarioFile: nil, journalFile: path)
        #expect(report.log.sha256?.count == 64)
        #expect(run.kpi("success_rate")?.estimate == 0.75)
        try report.jsonData().write(to: URL(fileURLWithPath: folder + "/report.json"))
        let back = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: folder + "/report.json")))
        #expect((back as? [String: Any])?["overall"] as? String == "INCONCLUSIVE")
    }

    @Test("a damaged JSONL journal is counted, never silently read as a shorter run")
    func damagedJournal() throws {
        let entries = try JournalFixture.entries()
        var text = entries.enumerated().map { i, entry in
            "{\"seq\":\(i + 1),\"ts_ms\":\(entry.time.milliseconds),\"kind\":\"\(entry.kind)\",\"task\":null,\"robot\":null,\"data\":\(entry.payload)}"
        }
        text[7] = "{\"seq\":8,\"kind\":\"started\",\"da"
        let read = JournalReader.read(jsonl: Data(text.joined(separator: "\n").utf8))
        #expect(read.undecodable == 1)
        let run = RunEvaluation(
            records: read.records, undecodable: read.undecodable, settings: RunEvaluationTests.settings)
        #expect(run.dataQuality.gate.verdict == .fail)
        #expect(run.overall == .invalid)
    }
}
