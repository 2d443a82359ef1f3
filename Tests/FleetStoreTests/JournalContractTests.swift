import FleetCore
import FleetStore
import Testing

/// The contract every `Journal` keeps, checked on each implementation.
@Suite struct JournalContractTests {
    @Test(arguments: JournalImplementation.allCases)
    func appendAssignsConsecutiveSequencesFromOne(_ implementation: JournalImplementation) throws {
        let directory = TemporaryDirectory()
        let journal = try implementation.make(in: directory)
        #expect(try journal.lastSequence() == 0)
        #expect(try journal.count() == 0)
        #expect(try journal.append([]) == [])

        #expect(try journal.append(Array(sampleEntries(3))) == [1, 2, 3])
        #expect(try journal.append(sampleEntries(1, from: 3)[0]) == 4)
        #expect(try journal.append(sampleEntries(2, from: 4)) == [5, 6])
        #expect(try journal.lastSequence() == 6)
        #expect(try journal.count() == 6)

        let all = try journal.allEntries()
        #expect(all.map(\.sequence) == [1, 2, 3, 4, 5, 6])
        #expect(all.map(\.unsequenced) == sampleEntries(6))
    }

    @Test(arguments: JournalImplementation.allCases)
    func readsPagesAfterASequence(_ implementation: JournalImplementation) throws {
        let directory = TemporaryDirectory()
        let journal = try implementation.make(in: directory)
        _ = try journal.append(sampleEntries(25))
        #expect(try journal.entries(after: 0, limit: 10).map(\.sequence) == Array(1...10))
        #expect(try journal.entries(after: 20, limit: 10).map(\.sequence) == Array(21...25))
        #expect(try journal.entries(after: 25, limit: 10).isEmpty)
        #expect(try journal.entries(after: 99, limit: 10).isEmpty)
        #expect(try journal.entries(after: 3, limit: 0).isEmpty)
        #expect(try journal.entries(after: -5, limit: 2).map(\.sequence) == [1, 2])
    }

    @Test(arguments: JournalImplementation.allCases)
    func findsEntriesByTaskAndRobot(_ implementation: JournalImplementation) throws {
        let directory = TemporaryDirectory()
        let journal = try implementation.make(in: directory)
        let appended = sampleEntries(40)
        _ = try journal.append(appended)

        let task = try journal.entries(forTask: "T-3")
        #expect(task.map(\.sequence) == [4, 14, 24, 34])
        #expect(task.allSatisfy { $0.taskID == "T-3" })
        #expect(try journal.entries(forTask: "T-unknown").isEmpty)

        let robot = try journal.entries(forRobot: "R-1", after: 0, limit: 100)
        let expected = appended.enumerated().filter { $0.element.robotID == "R-1" }.map { Int64($0.offset + 1) }
        #expect(robot.map(\.sequence) == expected)
        #expect(
            try journal.entries(forRobot: "R-1", after: expected[1], limit: 2).map(\.sequence) == [
                expected[2], expected[3],
            ])
    }

    @Test(arguments: JournalImplementation.allCases)
    func keepsOptionalFieldsAndUnicode(_ implementation: JournalImplementation) throws {
        let directory = TemporaryDirectory()
        let journal = try implementation.make(in: directory)
        let odd = NewJournalEntry(
            time: FleetTime(milliseconds: -1), kind: "connection", taskID: nil, robotID: "acme/AMR-07 \"ü\" 🤖",
            payload: #"{"state":"ONLINE","text":"line\nbreak"}"#)
        let empty = NewJournalEntry(time: FleetTime(milliseconds: 0), kind: "", taskID: "", payload: "")
        _ = try journal.append([odd, empty])
        #expect(try journal.allEntries().map(\.unsequenced) == [odd, empty])
    }

    @Test(arguments: JournalImplementation.allCases)
    func rejectsABatchWholeAndContinuesWithoutGaps(_ implementation: JournalImplementation) throws {
        let directory = TemporaryDirectory()
        let journal = try implementation.make(in: directory, maximumPayloadBytes: 64)
        _ = try journal.append(sampleEntries(2))
        var batch = sampleEntries(3, from: 2)
        batch[2].payload = #"{"big":""# + String(repeating: "x", count: 100) + #""}"#
        #expect {
            try journal.append(batch)
        } throws: { error in
            guard case .recordTooLarge(let path, "created", let bytes, 64)? = error as? JournalError else {
                return false
            }
            return path == journal.path && bytes > 100
        }
        #expect(try journal.count() == 2)
        #expect(try journal.lastSequence() == 2)
        #expect(try journal.append(sampleEntries(2, from: 2)) == [3, 4])
        #expect(try journal.allEntries().map(\.unsequenced) == sampleEntries(4))
    }

    @Test(arguments: JournalImplementation.allCases)
    func forEachVisitsInOrderFromACursor(_ implementation: JournalImplementation) throws {
        let directory = TemporaryDirectory()
        let journal = try implementation.make(in: directory)
        _ = try journal.append(sampleEntries(2500))
        var seen: [Int64] = []
        try journal.forEach(after: 1200) { seen.append($0.sequence) }
        #expect(seen == Array(1201...2500))

        var none = 0
        try journal.forEach(after: 2500) { _ in none += 1 }
        #expect(none == 0)
    }

    @Test(arguments: JournalImplementation.allCases)
    func forEachStopsAtTheEndItSawAndLetsTheBodyAppend(_ implementation: JournalImplementation) throws {
        let directory = TemporaryDirectory()
        let journal = try implementation.make(in: directory)
        _ = try journal.append(sampleEntries(1500))
        var visited = 0
        try journal.forEach { entry in
            visited += 1
            if entry.sequence % 500 == 0 { _ = try journal.append(sampleEntries(1, from: 9000)) }
        }
        #expect(visited == 1500)
        #expect(try journal.count() == 1503)
    }

    @Test(arguments: JournalImplementation.allCases)
    func forEachRethrowsTheBodysError(_ implementation: JournalImplementation) throws {
        struct Stop: Error {}
        let directory = TemporaryDirectory()
        let journal = try implementation.make(in: directory)
        _ = try journal.append(sampleEntries(10))
        var visited = 0
        #expect(throws: Stop.self) {
            try journal.forEach { entry in
                visited += 1
                if entry.sequence == 4 { throw Stop() }
            }
        }
        #expect(visited == 4)
    }

    @Test(arguments: JournalImplementation.allCases)
    func concurrentAppendsGetDistinctConsecutiveSequences(_ implementation: JournalImplementation) async throws {
        let directory = TemporaryDirectory()
        let journal = try implementation.make(in: directory)
        let batches = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for writer in 0..<8 {
                group.addTask {
                    var mine: [Int64] = []
                    for batch in 0..<10 { mine += try journal.append(sampleEntries(3, from: writer * 100 + batch * 3)) }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for sequences in batches {
            for batch in stride(from: 0, to: sequences.count, by: 3) {
                #expect(sequences[batch + 1] == sequences[batch] + 1 && sequences[batch + 2] == sequences[batch] + 2)
            }
        }
        #expect(batches.flatMap { $0 }.sorted() == Array(1...240))
        #expect(try journal.allEntries().map(\.sequence) == Array(1...240))
    }

    @Test func inMemoryInjectedFailureAppendsNothing() throws {
        let journal = InMemoryJournal(label: "test-journal")
        _ = try journal.append(sampleEntries(1))
        journal.failAppends(with: .injected(path: "test-journal", reason: "disk full"))
        #expect(throws: JournalError.injected(path: "test-journal", reason: "disk full")) {
            try journal.append(sampleEntries(2))
        }
        journal.failAppends(with: nil)
        #expect(try journal.append(sampleEntries(1)) == [2])
    }
}
