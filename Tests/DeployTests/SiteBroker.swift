import FleetMQTT
import FleetTestKit
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Where the deploy tests find the repository and the built programs.
enum DeployEnvironment {
    /// The repository root (from this file's path).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The build folder with the package's programs (see ``FleetTestKit/BuiltPrograms``).
    static var binDirectory: URL { BuiltPrograms.directory }

    /// The path of a built program, failing the test when it is missing.
    static func program(_ name: String) throws -> String { try BuiltPrograms.path(name) }

    /// Runs a program to completion (30 s at most) and returns its exit status and output.
    @discardableResult
    static func run(_ program: String, _ arguments: [String], timeout: Duration = .seconds(30)) async throws
        -> (status: Int32, output: String)
    {
        let child = try ChildProcess(program, arguments)
        try await waitUntil(timeout: timeout, "\(child.commandLine) to exit; output: \(child.outputText)") {
            !child.isRunning
        }
        // Also lets the last output be collected (it lags the exit under load).
        let status = try await child.waitForExit()
        return (status, child.outputText)
    }

    /// A fresh temporary folder.
    static func temporaryDirectory(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fleetpilot-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// The broker accounts `fleetctl broker-credentials` generated: read back from its credential files.
struct GeneratedCredentials {
    /// The generator's `--out` folder.
    let directory: URL

    /// The user name and password in `credentials/<file>`.
    func account(_ file: String) throws -> (username: String, password: String) {
        let text = try String(contentsOf: directory.appendingPathComponent("credentials/\(file)"), encoding: .utf8)
        var user: String?
        var password: String?
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            if parts[0].hasSuffix("_USERNAME") { user = parts[1] }
            if parts[0].hasSuffix("_PASSWORD") { password = parts[1] }
        }
        guard let user, let password else { throw TestTimeout("no credentials in \(file): \(text)") }
        return (user, password)
    }

    /// Runs the built `fleetctl broker-credentials` with `arguments` (plus `--out`), failing on a non-zero exit.
    @discardableResult
    static func generate(into directory: URL, _ arguments: [String]) async throws -> String {
        let fleetctl = try DeployEnvironment.program("fleetctl")
        let (status, output) = try await DeployEnvironment.run(
            fleetctl, ["broker-credentials", "--out", directory.path] + arguments)
        guard status == 0 else { throw TestTimeout("fleetctl broker-credentials failed (\(status)): \(output)") }
        return output
    }
}

/// A mosquitto started with the shipped `Deploy/mosquitto/mosquitto.conf`, changed only in its ports (free
/// loopback ports) and paths (test certificates, the generator's password file and ACL, a temporary persistence
/// folder); as root it also gets `user root`, because mosquitto would otherwise switch to the `mosquitto` user,
/// who cannot read the test's temporary files.
final class SiteBroker: @unchecked Sendable {
    let directory: URL
    let certificates: TestCertificates
    let credentials: GeneratedCredentials
    let plainPort: Int
    let tlsPort: Int
    private let process: ChildProcess

    /// The replacements, each of which must match exactly once in the shipped file (so a change there that the
    /// test does not know about fails loudly instead of being silently untested).
    static func adapt(
        _ shipped: String, plainPort: Int, tlsPort: Int, passwordFile: String, aclFile: String,
        certificates: TestCertificates, persistence: String
    ) throws -> String {
        var text = shipped
        let replacements = [
            ("\nlistener 1883 127.0.0.1\n", "\nlistener \(plainPort) 127.0.0.1\n"),
            ("\nlistener 8883\n", "\nlistener \(tlsPort) 127.0.0.1\n"),
            ("\npassword_file /etc/fleetpilot/mosquitto/passwd\n", "\npassword_file \(passwordFile)\n"),
            ("\nacl_file /etc/fleetpilot/mosquitto/acl\n", "\nacl_file \(aclFile)\n"),
            ("\ncafile /etc/fleetpilot/tls/ca.crt\n", "\ncafile \(certificates.caFile)\n"),
            ("\ncertfile /etc/fleetpilot/tls/server.crt\n", "\ncertfile \(certificates.serverCertFile)\n"),
            ("\nkeyfile /etc/fleetpilot/tls/server.key\n", "\nkeyfile \(certificates.serverKeyFile)\n"),
            ("\npersistence_location /var/lib/mosquitto/\n", "\npersistence_location \(persistence)/\n"),
        ]
        for (old, new) in replacements {
            let count = text.components(separatedBy: old).count - 1
            guard count == 1 else {
                throw TestTimeout("the shipped mosquitto.conf has \(count) lines '\(old.trimmed)', expected 1")
            }
            text = text.replacingOccurrences(of: old, with: new)
        }
        if geteuid() == 0 { text += "user root\n" }
        return text
    }

    /// Generates the credentials with the real `fleetctl broker-credentials`, then starts the broker.
    /// - Parameter generatorArguments: Arguments besides `--out` (at least `--fleet`).
    init(generatorArguments: [String]) async throws {
        directory = try DeployEnvironment.temporaryDirectory("site-broker")
        certificates = try TestCertificates()
        let out = directory.appendingPathComponent("broker")
        try await GeneratedCredentials.generate(into: out, generatorArguments)
        credentials = GeneratedCredentials(directory: out)
        let shipped = try String(
            contentsOf: DeployEnvironment.repository.appendingPathComponent("Deploy/mosquitto/mosquitto.conf"),
            encoding: .utf8)
        var lastError: Error?
        for _ in 0..<5 {
            let plain = FreePort.loopback()
            let tls = FreePort.loopback()
            let persistence = directory.appendingPathComponent("persistence")
            try FileManager.default.createDirectory(at: persistence, withIntermediateDirectories: true)
            let config = try Self.adapt(
                shipped, plainPort: plain, tlsPort: tls, passwordFile: out.path + "/mosquitto/passwd",
                aclFile: out.path + "/mosquitto/acl", certificates: certificates, persistence: persistence.path)
            let configFile = directory.appendingPathComponent("mosquitto.conf")
            try config.write(to: configFile, atomically: true, encoding: .utf8)
            let child = try ChildProcess("mosquitto", ["-c", configFile.path])
            do {
                try await waitUntil(timeout: .seconds(10), "mosquitto to listen on \(plain) and \(tls)") {
                    guard child.isRunning else { throw TestTimeout("mosquitto exited: \(child.outputText)") }
                    return FreePort.isAccepting(port: plain) && FreePort.isAccepting(port: tls)
                }
                process = child
                plainPort = plain
                tlsPort = tls
                return
            } catch {
                child.send(signal: SIGKILL)
                lastError = error
            }
        }
        throw lastError ?? TestTimeout("mosquitto did not start")
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The broker's log so far.
    var log: String { process.outputText }

    /// Stops the broker.
    func stop() {
        guard process.isRunning else { return }
        process.send(signal: SIGTERM)
        let deadline = ContinuousClock.now + .seconds(3)
        while process.isRunning && ContinuousClock.now < deadline { usleep(5_000) }
        if process.isRunning { process.send(signal: SIGKILL) }
    }

    /// A client logged in as the account of credentials file `file` (nil: anonymous), over TLS (robots, devices,
    /// the evaluator) or plain loopback MQTT (fleetd), not yet connected.
    func client(_ file: String?, tls: Bool = true, id: String? = nil) throws -> MQTTClient {
        let account = try file.map { try credentials.account($0) }
        return try MQTTClient(
            configuration: MQTTConfiguration(
                host: "127.0.0.1", port: tls ? tlsPort : plainPort,
                clientID: id
                    ?? "test-\(file ?? "anonymous")-\(UUID().uuidString.prefix(8))".replacingOccurrences(
                        of: "/", with: "-"), username: account?.username, password: account?.password,
                tls: tls ? MQTTTLSConfiguration(caFile: certificates.caFile) : nil, reconnect: .disabled,
                operationTimeout: .seconds(5)))
    }

    /// A connected client, with its messages collected.
    func connected(_ file: String?, tls: Bool = true) async throws -> (MQTTClient, AsyncCollector<MQTTMessage>) {
        let client = try client(file, tls: tls)
        try await client.connect(timeout: .seconds(5))
        return (client, AsyncCollector(client.messages))
    }
}

extension String {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
