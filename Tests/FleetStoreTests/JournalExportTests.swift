import FleetCore
import FleetStore
import Foundation
import Testing

/// The JSONL export the evaluator reads.
@Suite struct JournalExportTests {
    @Test(arguments: JournalImplementation.allCases)
    func everyLineIsAJSONObjectWithTheRecordInline(_ implementation: JournalImplementation) throws {
        let directory = TemporaryDirectory()
        let journal = try implementation.make(in: directory)
        var entries = sampleEntries(1200)
        entries[7].kind = "weird \"kind\"\n\t\u{1}"
        entries[7].payload = "{\n  \"pretty\": [1, 2],\r\n  \"s\": \"a\\nb\"\n}\n"
        entries[8].payload = ""
        _ = try journal.append(entries)

        let output = directory.file("export.jsonl")
        #expect(try journal.exportJSONL(to: output) == 1200)
        #expect(!FileManager.default.fileExists(atPath: output + ".partial"))
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 1200)

        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for (index, line) in lines.enumerated() {
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "line \(index + 1)")
            let entry = entries[index]
            #expect(object["seq"] as? Int64 == Int64(index + 1))
            #expect(object["ts_ms"] as? Int64 == entry.time.milliseconds)
            let stamp = try #require(object["t"] as? String)
            let date = try #require(formatter.date(from: stamp))
            #expect(Int64((date.timeIntervalSince1970 * 1000).rounded()) == entry.time.milliseconds)
            #expect(object["kind"] as? String == entry.kind)
            #expect(object["task"] as? String == entry.taskID)
            #expect((object["robot"] as? String) == entry.robotID)
            #expect((object["robot"] is NSNull) == (entry.robotID == nil))
            if index == 8 {
                #expect(object["data"] is NSNull)
            } else {
                #expect(object["data"] is [String: Any], "line \(index + 1): data must be an object, not a string")
            }
        }
        let seventh = try #require(try JSONSerialization.jsonObject(with: Data(lines[7].utf8)) as? [String: Any])
        let pretty = seventh["data"] as? [String: Any]
        #expect(pretty?["s"] as? String == "a\nb")
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect((first["data"] as? [String: Any])?["n"] as? Int == 0)
    }

    @Test func lineLayoutIsExactlyAsDocumented() throws {
        let journal = InMemoryJournal()
        _ = try journal.append(
            NewJournalEntry(
                time: FleetTime(milliseconds: 1_764_423_787_120), kind: "assigned", taskID: "T-17",
                robotID: "acme/AMR-07", payload: #"{"robot":"acme/AMR-07"}"#))
        _ = try journal.append(NewJournalEntry(time: FleetTime(milliseconds: 5), kind: "connection"))
        let directory = TemporaryDirectory()
        let output = directory.file("export.jsonl")
        try journal.exportJSONL(to: output)
        let expected = """
            {"seq":1,"t":"2025-11-29T13:43:07.120Z","ts_ms":1764423787120,"kind":"assigned","task":"T-17",\
            "robot":"acme/AMR-07","data":{"robot":"acme/AMR-07"}}
            {"seq":2,"t":"1970-01-01T00:00:00.005Z","ts_ms":5,"kind":"connection","task":null,"robot":null,"data":{}}

            """
        #expect(try String(contentsOfFile: output, encoding: .utf8) == expected)
    }

    @Test func exportAfterASequenceWritesOnlyTheTail() throws {
        let journal = InMemoryJournal(entries: sampleEntries(10))
        let directory = TemporaryDirectory()
        let output = directory.file("tail.jsonl")
        #expect(try journal.exportJSONL(to: output, after: 7) == 3)
        #expect(try String(contentsOfFile: output, encoding: .utf8).hasPrefix(#"{"seq":8,"#))
    }

    @Test func unwritableExportPathIsAClearError() throws {
        let journal = InMemoryJournal(entries: sampleEntries(2))
        let directory = TemporaryDirectory()
        let output = directory.file("missing/dir/export.jsonl")
        #expect {
            try journal.exportJSONL(to: output)
        } throws: { error in
            guard case .export(output, let reason)? = error as? JournalError else { return false }
            return reason.contains("No such file or directory")
        }
    }
}
