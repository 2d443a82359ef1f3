import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A real `mosquitto` broker on a free loopback port, for integration tests; each test starts its own.
///
/// ```swift
/// let broker = try MosquittoBroker()
/// let client = try MQTTClient(configuration: MQTTConfiguration(port: broker.port, clientID: "t"))
/// ```
/// The broker stops in ``stop()`` and, as a safety net, in `deinit`.
///
/// `@unchecked Sendable`: the only mutable state, the running process, is guarded by a `Mutex`; the rest is
/// immutable after `init`.
public final class MosquittoBroker: @unchecked Sendable {
    /// The plain MQTT port on 127.0.0.1.
    public let port: Int
    /// The TLS port on 127.0.0.1, when ``Configuration/tls`` is set.
    public let tlsPort: Int?
    /// The temporary directory holding the generated config (and password file); removed in `deinit`.
    public let directory: URL
    /// The settings the broker was started with.
    public let configuration: Configuration

    private let configFile: URL
    private let process = Mutex<ChildProcess?>(nil)

    /// Starts a broker and waits until it accepts connections.
    /// - Parameter configuration: Broker options; anonymous, no persistence, no TLS by default.
    /// - Throws: When mosquitto is missing or does not come up.
    public init(_ configuration: Configuration = Configuration()) throws {
        self.configuration = configuration
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("fleetpilot-mosquitto-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        configFile = directory.appendingPathComponent("mosquitto.conf")
        let passwordFile = directory.appendingPathComponent("passwords")
        for (index, (user, password)) in configuration.users.sorted(by: { $0.key < $1.key }).enumerated() {
            let create = index == 0 ? ["-c"] : []
            try ProcessRunner.run("mosquitto_passwd", ["-b"] + create + [passwordFile.path, user, password])
        }
        var lastError: Error?
        for _ in 0..<5 {
            let plain = FreePort.loopback()
            let tls = configuration.tls == nil ? nil : FreePort.loopback()
            let text = Self.configText(configuration, port: plain, tlsPort: tls, passwordFile: passwordFile)
            try text.write(to: configFile, atomically: true, encoding: .utf8)
            do {
                let child = try Self.launch(configFile: configFile, ports: [plain] + (tls.map { [$0] } ?? []))
                process.withLock { $0 = child }
                port = plain
                tlsPort = tls
                return
            } catch {
                lastError = error  // most likely another process took the port meanwhile: try new ports
            }
        }
        try? FileManager.default.removeItem(at: directory)
        throw lastError ?? TestTimeout("mosquitto did not start")
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// `127.0.0.1`, the host to connect to.
    public var host: String { "127.0.0.1" }

    /// Everything the broker logged so far (its stderr), for failure messages.
    public var log: String { process.withLock { $0?.outputText ?? "" } }

    /// Waits until the broker's log contains `text` (e.g. `as robot-1` when that client has connected).
    /// - Parameters:
    ///   - text: The text to wait for.
    ///   - timeout: How long to wait.
    /// - Throws: ``TestTimeout`` with the log so far.
    public func waitForLog(containing text: String, timeout: Duration = .seconds(5)) async throws {
        try await waitUntil(timeout: timeout, "the broker to log '\(text)'; log:\n\(log)") { log.contains(text) }
    }

    /// Stops the broker: SIGTERM, then SIGKILL after 3 s. Idempotent.
    public func stop() {
        guard
            let child = process.withLock({ state in
                defer { state = nil }; return state
            })
        else { return }
        child.send(signal: SIGTERM)
        let deadline = ContinuousClock.now + .seconds(3)
        while child.isRunning && ContinuousClock.now < deadline { usleep(5_000) }
        if child.isRunning {
            child.send(signal: SIGKILL)
            while child.isRunning { usleep(5_000) }
        }
    }

    /// Stops the broker and starts it again on the same port(s), e.g. to test reconnecting.
    /// - Throws: When it does not come up again.
    public func restart() throws {
        stop()
        let child = try Self.launch(configFile: configFile, ports: [port] + (tlsPort.map { [$0] } ?? []))
        process.withLock { $0 = child }
    }

    /// Starts mosquitto and waits until every port accepts connections (or it exits).
    private static func launch(configFile: URL, ports: [Int]) throws -> ChildProcess {
        let child = try ChildProcess("mosquitto", ["-c", configFile.path])
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            if !child.isRunning {
                throw TestTimeout("mosquitto exited during start: \(child.outputText)")
            }
            if ports.allSatisfy({ FreePort.isAccepting(port: $0) }) { return child }
            usleep(10_000)
        }
        child.send(signal: SIGKILL)
        throw TestTimeout("mosquitto did not accept connections on \(ports) within 5 s: \(child.outputText)")
    }

    private static func configText(
        _ configuration: Configuration, port: Int, tlsPort: Int?, passwordFile: URL
    ) -> String {
        var lines = [
            "per_listener_settings false",
            "persistence false",
            "log_dest stderr",
            "allow_anonymous \(configuration.allowAnonymous)",
            "max_queued_messages \(configuration.maxQueuedMessages)",
        ]
        lines += configuration.logTypes.map { "log_type \($0)" }
        if geteuid() == 0 { lines.append("user root") }  // otherwise it switches to `mosquitto` and loses the files
        if !configuration.users.isEmpty { lines.append("password_file \(passwordFile.path)") }
        lines.append("listener \(port) 127.0.0.1")
        if let tls = configuration.tls, let tlsPort {
            lines += [
                "listener \(tlsPort) 127.0.0.1",
                "cafile \(tls.caFile)",
                "certfile \(tls.certFile)",
                "keyfile \(tls.keyFile)",
                "require_certificate \(tls.requireCertificate)",
            ]
        }
        lines += configuration.extraLines
        return lines.joined(separator: "\n") + "\n"
    }
}
