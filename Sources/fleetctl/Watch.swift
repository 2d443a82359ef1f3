import ArgumentParser
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `fleetctl watch`: a live table of robots and open tasks, redrawn as journal events arrive on
/// `GET /v1/events`; `--json` prints each event's record instead (one JSON object a line).
struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch the fleet live (server-sent events from fleetd); Ctrl-C to stop.")

    @OptionGroup var options: OperatorOptions

    @Option(help: "Stop after this many seconds (default: run until Ctrl-C).")
    var seconds: Double?

    func run() async throws {
        try await runOperator("watch") {
            let client = try options.client()
            if !options.json { try await redraw(client) }
            let stream = EventStreamReader(request: client.request("/v1/events"), tokenGiven: client.token != nil)
            let deadline = seconds.map { Date().addingTimeInterval($0) }
            var lastDraw = Date.distantPast
            var pending = false
            for try await event in stream.events() {
                if let deadline, Date() > deadline { break }
                if options.json {
                    print(event.data)
                    continue
                }
                pending = true
                if Date().timeIntervalSince(lastDraw) > 0.5 {
                    try await redraw(client)
                    lastDraw = Date()
                    pending = false
                }
            }
            if pending { try await redraw(client) }
        }
    }

    private func redraw(_ client: OperatorClient) async throws {
        let (robots, _) = try await client.decode([RobotRecord].self, "/v1/robots")
        let (page, _) = try await client.decode(
            TaskPageRecord.self, "/v1/tasks?state=queued,assigned,dispatched,inProgress&limit=20")
        print("\u{1B}[H\u{1B}[2J", terminator: "")
        print("fleetd \(client.baseURL.absoluteString) — \(Date().formatted(date: .omitted, time: .standard))\n")
        printTable(RobotRecord.header, robots.map(\.row))
        print("\nOPEN TASKS (\(page.total))")
        printTable(TaskRecord.header, page.items.map(\.row))
        fflush(nil)
    }
}

/// One server-sent event.
struct ServerSentEvent: Sendable {
    var id: String?
    var event: String?
    var data: String
}

/// Reads `text/event-stream` with a URLSession data delegate (streaming bodies; works with FoundationNetworking).
final class EventStreamReader: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // @unchecked: `buffer` and `continuation` are touched only on the session's serial delegate queue.
    private let request: URLRequest
    private let tokenGiven: Bool
    private var buffer = Data()
    private var continuation: AsyncThrowingStream<ServerSentEvent, Error>.Continuation?
    private var status = 0
    private let queue = OperationQueue()

    init(request: URLRequest, tokenGiven: Bool) {
        var request = request
        request.timeoutInterval = 24 * 3600
        request.setValue("text/event-stream", forHTTPHeaderField: "Accept")
        self.request = request
        self.tokenGiven = tokenGiven
        queue.maxConcurrentOperationCount = 1
    }

    /// The events until the server ends the stream.
    func events() -> AsyncThrowingStream<ServerSentEvent, Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: ServerSentEvent.self)
        self.continuation = continuation
        let session = URLSession(configuration: .default, delegate: self, delegateQueue: queue)
        let task = session.dataTask(with: request)
        continuation.onTermination = { _ in
            task.cancel()
            session.invalidateAndCancel()
        }
        task.resume()
        return stream
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        status = (response as? HTTPURLResponse)?.statusCode ?? 0
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        buffer.append(data)
        guard (200..<300).contains(status) else { return }
        let separator = Data("\n\n".utf8)
        while let range = buffer.range(of: separator) {
            let frame = String(decoding: buffer[buffer.startIndex..<range.lowerBound], as: UTF8.self)
            buffer.removeSubrange(buffer.startIndex..<range.upperBound)
            var event = ServerSentEvent(data: "")
            var lines: [String] = []
            for line in frame.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("id: ") { event.id = String(line.dropFirst(4)) }
                if line.hasPrefix("event: ") { event.event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { lines.append(String(line.dropFirst(6))) }
            }
            guard !lines.isEmpty else { continue }
            event.data = lines.joined(separator: "\n")
            continuation?.yield(event)
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        if let error {
            continuation?.finish(
                throwing: OperatorClientError.unreachable(request.url!, (error as NSError).localizedDescription))
        } else if !(200..<300).contains(status) {
            continuation?.finish(
                throwing: (Result { try OperatorClient.check(status: status, body: buffer, tokenGiven: tokenGiven) })
                    .error)
        } else {
            continuation?.finish()
        }
    }
}

extension Result where Success == Void {
    /// The failure, if any.
    var error: Error? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
