import FleetCore
import FleetEvaluation
import FleetStore
import Foundation
import Testing

@Suite struct JournalReaderTests {
    static func journal(_ records: [JournalRecord], flatPayload: Bool = true) throws -> InMemoryJournal {
        let encoder = JSONEncoder()
        let entries = try records.map { record in
            var payload = String(decoding: try encoder.encode(record), as: UTF8.self)
            if !flatPayload { payload = #"{"outcome":"ok"}"# }
            return NewJournalEntry(
                time: record.time, kind: record.event.kind, taskID: record.event.task?.rawValue,
                robotID: nil, payload: payload)
        }
        return InMemoryJournal(entries: entries)
    }

    @Test func readsRecordsFromAJournal() throws {
        let read = try JournalReader.read(try Self.journal(SampleRun.records))
        #expect(read.undecodable == 0)
        #expect(read.records == SampleRun.records)
    }

    @Test func completesPayloadsFromTheEnvelope() throws {
        let entry = JournalEntry(
            sequence: 1, time: SampleRun.at(5), kind: "completed", taskID: "T1", robotID: "acme/AMR-01",
            payload: #"{"outcome":"ok"}"#)
        let record = try JournalReader.decode(entry)
        #expect(
            record
                == JournalRecord(
                    time: SampleRun.at(5), event: .completed(task: "T1", robot: SampleRun.r1, outcome: "ok")))
    }

    @Test func countsUndecodableEntries() throws {
        let journal = try Self.journal(Array(SampleRun.records.prefix(3)))
        try journal.append(
            NewJournalEntry(time: SampleRun.at(9), kind: "teleported", payload: #"{"kind":"teleported"}"#))
        let read = try JournalReader.read(journal)
        #expect(read.records.count == 3)
        #expect(read.undecodable == 1)
        #expect(read.problems.first?.contains("teleported") == true)
    }

    @Test func roundTripsThroughSQLiteAndJSONL() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let sqlitePath = directory.appendingPathComponent("journal.sqlite").path
        let jsonlPath = directory.appendingPathComponent("journal.jsonl").path
        do {
            let journal = try SQLiteJournal(path: sqlitePath)
            _ = try journal.append(try Self.journal(SampleRun.records).allEntries().map(\.unsequenced))
            try journal.exportJSONL(to: jsonlPath)
            journal.close()
        }
        let fromSQLite = try RunSummary.load(journalPath: sqlitePath, scenario: "sample")
        let fromJSONL = try RunSummary.load(journalPath: jsonlPath, scenario: "sample")
        let direct = RunSummary(analysis: RunAnalysis(records: SampleRun.records), scenario: "sample")
        #expect(fromSQLite == direct)
        #expect(fromJSONL == direct)
        let json = try JSONDecoder().decode(RunSummary.self, from: try direct.jsonData())
        #expect(json == direct)
    }

    @Test func tableShowsTheFigures() {
        let text = SummaryTable.render(
            RunSummary(analysis: RunAnalysis(records: SampleRun.records), scenario: "sample"))
        #expect(text.contains("created 5  completed 2  failed 1  cancelled 1  rejected 1  open 1"))
        #expect(text.contains("open tasks   T5"))
        #expect(text.contains("2.0 tasks/h"))
        #expect(text.contains("acme/AMR-01"))
        #expect(text.contains("52.2 %"))
    }
}
