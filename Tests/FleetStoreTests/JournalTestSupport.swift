import FleetCore
import FleetStore
import Foundation
import Synchronization
import Testing

/// A fresh directory under the system temporary directory, removed on deinit.
final class TemporaryDirectory: Sendable {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "fleetstore-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}

/// The implementations the shared contract tests run against.
enum JournalImplementation: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case inMemory
    case sqlite
    case sqliteNormal

    var testDescription: String { rawValue }

    /// A fresh empty journal; the directory must outlive it.
    func make(in directory: TemporaryDirectory, maximumPayloadBytes: Int = 16 << 20) throws -> any Journal {
        switch self {
        case .inMemory:
            return InMemoryJournal(maximumPayloadBytes: maximumPayloadBytes)
        case .sqlite, .sqliteNormal:
            let options = SQLiteJournal.Options(
                synchronous: self == .sqlite ? .full : .normal, maximumPayloadBytes: maximumPayloadBytes)
            return try SQLiteJournal(path: directory.file("journal.sqlite"), options: options)
        }
    }
}

/// Readable sample records: task `T-<n % tasks>` assigned to robot `R-<n % robots>`.
func sampleEntries(_ count: Int, from start: Int = 0, tasks: Int = 10, robots: Int = 3) -> [NewJournalEntry] {
    var result: [NewJournalEntry] = []
    result.reserveCapacity(count)
    for n in start..<start + count {
        let time = FleetTime(milliseconds: 1_764_424_987_000 + Int64(n) * 10)
        let robot: String? = n % 5 == 4 ? nil : "R-\(n % robots)"
        let payload = "{\"n\":\(n),\"note\":\"sample\"}"
        let kind = n % 2 == 0 ? "created" : "assigned"
        result.append(
            NewJournalEntry(time: time, kind: kind, taskID: "T-\(n % tasks)", robotID: robot, payload: payload))
    }
    return result
}

/// Wraps a journal and records the largest page `forEach` asked for (to show its memory is bounded).
final class PageSpyJournal: Journal {
    let base: any Journal
    private let largest = Mutex(0)

    init(_ base: any Journal) { self.base = base }

    var path: String { base.path }
    var largestPage: Int { largest.withLock { $0 } }

    func append(_ entries: [NewJournalEntry]) throws(JournalError) -> [Int64] { try base.append(entries) }
    func entries(after sequence: Int64, limit: Int) throws(JournalError) -> [JournalEntry] {
        let page = try base.entries(after: sequence, limit: limit)
        largest.withLock { $0 = max($0, page.count) }
        return page
    }
    func entries(forTask taskID: String) throws(JournalError) -> [JournalEntry] {
        try base.entries(forTask: taskID)
    }
    func entries(forRobot robotID: String, after sequence: Int64, limit: Int) throws(JournalError) -> [JournalEntry] {
        try base.entries(forRobot: robotID, after: sequence, limit: limit)
    }
    func lastSequence() throws(JournalError) -> Int64 { try base.lastSequence() }
    func count() throws(JournalError) -> Int { try base.count() }
}

/// Overwrites bytes of a file in place.
func patch(_ path: String, at offset: UInt64, with bytes: [UInt8]) throws {
    let handle = try #require(FileHandle(forUpdatingAtPath: path))
    try handle.seek(toOffset: offset)
    try handle.write(contentsOf: Data(bytes))
    try handle.close()
}
