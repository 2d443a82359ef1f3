import FleetMQTT
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Records every MQTT message of a run as `topic payload` lines (the `mosquitto_sub -v` format) into a file,
/// flushed after every batch so that the file is complete up to the last message received.
final class TrafficCapture: Sendable {
    private let client: MQTTClient
    private let writer: Task<Int, Never>

    /// Connects to the broker, subscribes to `#` (QoS 1, so QoS 1 traffic is not lost) and starts writing.
    /// - Parameters:
    ///   - host: The broker host.
    ///   - port: The broker port.
    ///   - path: The file to write (replaced).
    init(host: String, port: Int, path: String) async throws(PilotError) {
        guard let file = fopen(path, "w") else {
            throw .capture("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        let handle = FileBox(file)
        do {
            client = try MQTTClient(
                configuration: MQTTConfiguration(
                    host: host, port: port, clientID: "fleetctl-capture-\(getpid())", keepAlive: 30))
            try await client.connect()
            try await client.subscribe("#", qos: .atLeastOnce)
        } catch {
            fclose(file)
            throw .capture("\(error)")
        }
        let messages = client.messages
        writer = Task {
            var count = 0
            var buffer: [UInt8] = []
            var iterator = messages.makeAsyncIterator()
            while let batch = await iterator.nextBatch() {
                buffer.removeAll(keepingCapacity: true)
                for message in batch {
                    buffer.append(contentsOf: message.topic.utf8)
                    buffer.append(UInt8(ascii: " "))
                    buffer.append(contentsOf: message.payload)
                    buffer.append(UInt8(ascii: "\n"))
                }
                count += batch.count
                buffer.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, $0.count, handle.file) }
                fflush(handle.file)
            }
            fclose(handle.file)
            return count
        }
    }

    /// How many messages have arrived so far.
    var receivedCount: Int { client.receivedMessageCount }

    /// Waits until no message has arrived for `quiet` (at most `limit`), then disconnects and closes the file.
    /// - Returns: The number of messages written.
    func stop(quiet: Duration = .milliseconds(300), limit: Duration = .seconds(3)) async -> Int {
        let deadline = ContinuousClock.now + limit
        var last = client.receivedMessageCount
        var lastChange = ContinuousClock.now
        while ContinuousClock.now < deadline && ContinuousClock.now - lastChange < quiet {
            try? await Task.sleep(for: .milliseconds(50))
            let now = client.receivedMessageCount
            if now != last {
                last = now
                lastChange = ContinuousClock.now
            }
        }
        await client.disconnect()
        return await writer.value
    }
}

/// A C `FILE *` handed to the writer task, which alone uses it after `init`.
private struct FileBox: @unchecked Sendable {
    let file: UnsafeMutablePointer<FILE>
    init(_ file: UnsafeMutablePointer<FILE>) { self.file = file }
}
