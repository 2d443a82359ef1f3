import FleetCore
import FleetStore
import Foundation
import Testing

/// What only the file-backed journal does: survive reopening, share the file, fail clearly on bad files.
@Suite struct SQLiteJournalTests {
    @Test func reopenedFileReadsEverythingBackAndContinuesTheSequence() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("journal.sqlite")
        do {
            let journal = try SQLiteJournal(path: path)
            _ = try journal.append(sampleEntries(50))
            journal.close()
            journal.close()
            #expect(throws: JournalError.closed(path: path)) { try journal.count() }
        }
        let reopened = try SQLiteJournal(path: path)
        #expect(try reopened.allEntries().map(\.unsequenced) == sampleEntries(50))
        #expect(try reopened.append(sampleEntries(1, from: 50)) == [51])
    }

    @Test func appendsAreVisibleToASecondInstanceWithoutClosingTheFirst() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("journal.sqlite")
        // The writer is never closed: what it returned must already be in the file (WAL), as after a SIGKILL.
        let writer = try SQLiteJournal(path: path)
        for batch in 0..<20 { _ = try writer.append(sampleEntries(5, from: batch * 5)) }

        let reader = try SQLiteJournal(path: path)
        #expect(try reader.allEntries().map(\.unsequenced) == sampleEntries(100))
        let evaluator = try SQLiteJournal(readOnlyPath: path)
        #expect(try evaluator.count() == 100)

        // Both writers share the sequence: numbers are assigned inside the write transaction.
        #expect(try reader.append(sampleEntries(1, from: 100)) == [101])
        #expect(try writer.append(sampleEntries(1, from: 101)) == [102])
        #expect(try evaluator.lastSequence() == 102)
        withExtendedLifetime(writer) {}
    }

    @Test func readOnlyJournalRefusesAppends() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("journal.sqlite")
        let writer = try SQLiteJournal(path: path)
        _ = try writer.append(sampleEntries(3))
        writer.close()
        let journal = try SQLiteJournal(readOnlyPath: path)
        #expect(journal.isReadOnly)
        #expect(try journal.entries(forTask: "T-1").count == 1)
        #expect(throws: JournalError.readOnly(path: path)) { try journal.append(sampleEntries(1)) }
    }

    @Test func readOnlyOpenOfAMissingFileNamesThePath() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("missing.sqlite")
        expectOpenError(naming: path) { try SQLiteJournal(readOnlyPath: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func unwritableLocationNamesThePath() throws {
        let directory = TemporaryDirectory()
        // A path below a regular file can never be created, even by root (CI runs as root).
        let blocker = directory.file("not-a-directory")
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8)))
        let path = blocker + "/journal.sqlite"
        expectOpenError(naming: path) { try SQLiteJournal(path: path) }
        let missing = directory.file("no/such/dir/journal.sqlite")
        expectOpenError(naming: missing) { try SQLiteJournal(path: missing) }
    }

    @Test func nonSQLiteFileIsAClearError() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("config.yaml")
        let text = String(repeating: "site: hall-2\nrobots: [AMR-07, AMR-08]\n", count: 200)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
        expectOpenError(naming: path, mentioning: "not an SQLite database") { try SQLiteJournal(path: path) }
        expectOpenError(naming: path, mentioning: "not an SQLite database") { try SQLiteJournal(readOnlyPath: path) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }

    @Test func garbledHeaderIsAClearError() throws {
        let directory = TemporaryDirectory()
        let path = try closedJournalFile(in: directory, entries: 300)
        try patch(path, at: 0, with: Array("Not SQLite at all".utf8))
        expectOpenError(naming: path) { try SQLiteJournal(readOnlyPath: path) }
    }

    @Test(arguments: [0.5, 0.2, 0.0])
    func truncatedFileIsAClearErrorNotACrash(keeping fraction: Double) throws {
        let directory = TemporaryDirectory()
        let path = try closedJournalFile(in: directory, entries: 2000)
        let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        try FileHandle(forUpdating: URL(fileURLWithPath: path)).truncate(atOffset: UInt64(Double(size) * fraction))
        // Opening may succeed (the header survives); reading everything must then fail, naming the file.
        do {
            let journal = try SQLiteJournal(readOnlyPath: path)
            var seen = 0
            try journal.forEach { _ in seen += 1 }
            _ = try journal.count()
            Issue.record("a truncated journal read back \(seen) entries without an error")
        } catch let error as JournalError {
            #expect(error.path == path)
            #expect(error.description.contains(path))
        }
    }

    @Test func newerSchemaIsRefusedWithBothVersions() throws {
        let directory = TemporaryDirectory()
        let path = try closedJournalFile(in: directory, entries: 3)
        try patch(path, at: 60, with: [0, 0, 0, 7])  // PRAGMA user_version lives at header offset 60.
        let expected = JournalError.unsupportedSchema(path: path, version: 7, supported: SQLiteJournal.schemaVersion)
        #expect(throws: expected) { try SQLiteJournal(path: path) }
        #expect(throws: expected) { try SQLiteJournal(readOnlyPath: path) }
        #expect(expected.description.contains("version 7"))
    }

    @Test func anotherApplicationsDatabaseIsRefused() throws {
        let directory = TemporaryDirectory()
        let path = try closedJournalFile(in: directory, entries: 3)
        try patch(path, at: 68, with: [0x12, 0x34, 0x56, 0x78])  // PRAGMA application_id, offset 68.
        try patch(path, at: 18, with: [1, 1])  // Rollback-journal mode, as most applications' databases.
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect {
            try SQLiteJournal(path: path)
        } throws: { error in
            guard case .notAJournal(path, let reason)? = error as? JournalError else { return false }
            return reason.contains("0x12345678")
        }
        // Refused before anything was written: still in rollback-journal mode, byte for byte the same.
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func closingFlushesTheWALIntoTheFile() throws {
        let directory = TemporaryDirectory()
        let path = try closedJournalFile(in: directory, entries: 10)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        let journal = try SQLiteJournal(readOnlyPath: path)
        #expect(try journal.count() == 10)
    }

    /// Writes `entries` sample entries to a new journal, closes it, and returns its path.
    private func closedJournalFile(in directory: TemporaryDirectory, entries: Int) throws -> String {
        let path = directory.file("journal.sqlite")
        let journal = try SQLiteJournal(path: path, options: .init(synchronous: .normal))
        for start in stride(from: 0, to: entries, by: 100) {
            _ = try journal.append(sampleEntries(min(100, entries - start), from: start))
        }
        journal.close()
        return path
    }

    private func expectOpenError(
        naming path: String,
        mentioning text: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws -> SQLiteJournal
    ) {
        do {
            _ = try body()
            Issue.record("opening '\(path)' succeeded", sourceLocation: sourceLocation)
        } catch let error as JournalError {
            #expect(error.path == path, sourceLocation: sourceLocation)
            #expect(error.description.contains("'\(path)'"), sourceLocation: sourceLocation)
            if let text { #expect(error.description.contains(text), "\(error)", sourceLocation: sourceLocation) }
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }
}
