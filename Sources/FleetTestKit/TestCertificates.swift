import Foundation

/// A throw-away CA, a server certificate for `127.0.0.1`/`localhost` and a client certificate, made with
/// `openssl` (EC P-256, valid for 2 days) in a temporary directory that is removed in `deinit`.
public final class TestCertificates: Sendable {
    /// The directory holding the files.
    public let directory: String
    /// The CA certificate (PEM).
    public var caFile: String { "\(directory)/ca.crt" }
    /// The server certificate, CN and SAN `127.0.0.1` and `localhost`.
    public var serverCertFile: String { "\(directory)/server.crt" }
    /// The server key.
    public var serverKeyFile: String { "\(directory)/server.key" }
    /// The client certificate (CN `fleetpilot-test-client`).
    public var clientCertFile: String { "\(directory)/client.crt" }
    /// The client key.
    public var clientKeyFile: String { "\(directory)/client.key" }

    /// Generates the CA and both certificates.
    /// - Throws: When `openssl` is missing or fails.
    public init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fleetpilot-certs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        directory = url.path
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try ProcessRunner.run(
            "openssl",
            ["req", "-x509"] + ec + [
                "-days", "2", "-keyout", "\(directory)/ca.key", "-out", caFile, "-subj", "/CN=FleetPilot Test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ])
        try issue(
            name: "server", subject: "/CN=127.0.0.1",
            extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                + "extendedKeyUsage=serverAuth\n", ec: ec)
        try issue(
            name: "client", subject: "/CN=fleetpilot-test-client", extensions: "extendedKeyUsage=clientAuth\n", ec: ec)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func issue(name: String, subject: String, extensions: String, ec: [String]) throws {
        let extensionFile = "\(directory)/\(name).ext"
        try extensions.write(toFile: extensionFile, atomically: true, encoding: .utf8)
        try ProcessRunner.run(
            "openssl",
            ["req"] + ec + [
                "-keyout", "\(directory)/\(name).key", "-out", "\(directory)/\(name).csr", "-subj", subject,
            ])
        try ProcessRunner.run(
            "openssl",
            [
                "x509", "-req", "-in", "\(directory)/\(name).csr", "-CA", caFile, "-CAkey", "\(directory)/ca.key",
                "-CAcreateserial", "-days", "2", "-out", "\(directory)/\(name).crt", "-extfile", extensionFile,
            ])
    }
}

/// Runs short helper commands (`openssl`, `mosquitto_passwd`) to completion.
public enum ProcessRunner {
    /// Runs a command and waits for it.
    /// - Parameters:
    ///   - executable: A name in `PATH` (or `/usr/sbin`) or a path.
    ///   - arguments: The arguments.
    /// - Returns: Its combined output.
    /// - Throws: ``TestTimeout`` with the output if it fails or runs longer than 30 s.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let child = try ChildProcess(executable, arguments)
        let deadline = ContinuousClock.now + .seconds(30)
        while child.isRunning {
            guard ContinuousClock.now < deadline else {
                child.send(signal: SIGKILL)
                throw TestTimeout("\(child.commandLine) did not finish")
            }
            usleep(2_000)
        }
        guard child.exitStatus == 0 else {
            throw TestTimeout("\(child.commandLine) failed with status \(child.exitStatus): \(child.outputText)")
        }
        return child.outputText
    }
}
