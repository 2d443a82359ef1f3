import FleetCore
import Synchronization

/// One appended journal record as the event stream carries it.
public struct FleetEventLine: Sendable, Hashable {
    /// The journal sequence number (the SSE `id`).
    public var sequence: Int64
    /// When it happened on the coordinator's clock.
    public var time: FleetTime
    /// The record kind, e.g. `created`, `assigned`, `position` (the SSE `event`).
    public var kind: String
    /// The task concerned, if any.
    public var taskID: String?
    /// The robot concerned, if any.
    public var robotID: String?
    /// The flat record JSON (the SSE `data`).
    public var payload: String

    /// Creates a line.
    /// - Parameters:
    ///   - sequence: the journal sequence number.
    ///   - time: when it happened.
    ///   - kind: the record kind.
    ///   - taskID: the task concerned.
    ///   - robotID: the robot concerned.
    ///   - payload: the flat record JSON.
    public init(sequence: Int64, time: FleetTime, kind: String, taskID: String?, robotID: String?, payload: String) {
        self.sequence = sequence
        self.time = time
        self.kind = kind
        self.taskID = taskID
        self.robotID = robotID
        self.payload = payload
    }

    /// The server-sent-events frame: `id`, `event` and `data` lines and a blank line.
    public var serverSentEvent: String { "id: \(sequence)\nevent: \(kind)\ndata: \(payload)\n\n" }
}

/// Fans appended journal records out to every open event stream and to the metrics (assignment latency).
///
/// The daemon calls ``publish(_:)`` after each durable append; each subscriber gets a bounded buffer (the newest
/// 1024 lines are kept) so a slow client can never hold the coordinator up.
public final class EventHub: Sendable {
    private struct State {
        var next = 0
        var subscribers: [Int: AsyncStream<FleetEventLine>.Continuation] = [:]
        var recent: [FleetEventLine] = []
    }

    /// How many recent lines are kept for clients that reconnect with `Last-Event-ID`.
    public static let recentLimit = 2048
    private let state = Mutex(State())
    private let metrics: APIMetrics?

    /// Creates a hub.
    /// - Parameter metrics: the metrics to feed (assignment latency), if any.
    public init(metrics: APIMetrics? = nil) {
        self.metrics = metrics
    }

    /// Delivers appended records to every subscriber.
    /// - Parameter lines: the records, in journal order.
    public func publish(_ lines: [FleetEventLine]) {
        guard !lines.isEmpty else { return }
        metrics?.observe(lines)
        state.withLock { state in
            state.recent.append(contentsOf: lines)
            if state.recent.count > Self.recentLimit { state.recent.removeFirst(state.recent.count - Self.recentLimit) }
            for continuation in state.subscribers.values {
                for line in lines { continuation.yield(line) }
            }
        }
    }

    /// A stream of the lines after `sequence` still held in memory, then every new line, until the client leaves.
    /// - Parameter sequence: replay the recent lines after this sequence number; `nil` starts with new lines.
    /// - Returns: the stream.
    public func subscribe(after sequence: Int64?) -> AsyncStream<FleetEventLine> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: FleetEventLine.self, bufferingPolicy: .bufferingNewest(1024))
        let id = state.withLock { state in
            let id = state.next
            state.next += 1
            if let sequence {
                for line in state.recent where line.sequence > sequence { continuation.yield(line) }
            }
            state.subscribers[id] = continuation
            return id
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// How many streams are open.
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Ends every open stream (at shutdown).
    public func finishAll() {
        let open = state.withLock { state in
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for continuation in open { continuation.finish() }
    }
}
