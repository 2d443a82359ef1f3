import FleetCore
import FleetStore
import Foundation
import Testing

/// A day's worth of journal: appends in batches, replay with bounded memory, and append rates (printed, not
/// asserted: timing depends on the disk).
@Suite(.serialized) struct JournalVolumeTests {
    @Test func hundredThousandEntriesStreamBackInBoundedPages() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("volume.sqlite")
        let journal = try SQLiteJournal(path: path, options: .init(synchronous: .normal))
        let start = ContinuousClock.now
        for batch in 0..<1000 {
            _ = try journal.append(sampleEntries(100, from: batch * 100, tasks: 5000, robots: 40))
        }
        let appended = ContinuousClock.now - start
        #expect(try journal.count() == 100_000)

        let spy = PageSpyJournal(journal)
        var expected: Int64 = 0
        var payloadBytes = 0
        let replayStart = ContinuousClock.now
        try spy.forEach { entry in
            expected += 1
            if entry.sequence != expected { Issue.record("sequence \(entry.sequence), expected \(expected)") }
            payloadBytes += entry.payload.utf8.count
        }
        let replayed = ContinuousClock.now - replayStart
        #expect(expected == 100_000)
        #expect(spy.largestPage <= SQLiteJournal.forEachPageSize)
        #expect(try journal.entries(forTask: "T-4321").count == 20)

        print(
            "FleetStore volume: 100,000 entries appended (batches of 100, NORMAL) in \(appended),"
                + " replayed with forEach in \(replayed) (\(payloadBytes) payload bytes)")
    }

    @Test func appendRates() throws {
        for synchronous in SQLiteJournal.Synchronous.allCases {
            for batchSize in [1, 100] {
                let directory = TemporaryDirectory()
                let journal = try SQLiteJournal(
                    path: directory.file("rate.sqlite"), options: .init(synchronous: synchronous))
                let batch = sampleEntries(batchSize)
                let budget = Duration.milliseconds(400)
                let start = ContinuousClock.now
                var entries = 0
                var commits = 0
                while ContinuousClock.now - start < budget {
                    _ = try journal.append(batch)
                    entries += batchSize
                    commits += 1
                }
                let seconds = (ContinuousClock.now - start) / .seconds(1)
                let rate = Int(Double(entries) / seconds)
                print(
                    "FleetStore append rate: synchronous=\(synchronous.rawValue) batch=\(batchSize):"
                        + " \(rate) entries/s, \(Int(Double(commits) / seconds)) commits/s (\(entries) entries)")
                #expect(try journal.count() == entries)
            }
        }
    }
}
