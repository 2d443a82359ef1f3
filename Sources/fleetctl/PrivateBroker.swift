import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A private mosquitto broker on a free loopback port, configured for a pilot run: anonymous, no persistence,
/// `max_queued_messages 10000` (mosquitto's default of 1000 drops QoS 1 messages from fast publishers), logging
/// into the results folder.
struct PrivateBroker {
    /// Always `127.0.0.1`.
    let host = "127.0.0.1"
    /// The port it listens on.
    let port: Int
    /// The running broker.
    let process: SpawnedProcess

    /// `host:port`.
    var address: String { "\(host):\(port)" }

    /// Starts mosquitto and waits until it accepts connections; retries on another port when the chosen one was
    /// taken meanwhile.
    /// - Parameters:
    ///   - executable: The mosquitto binary.
    ///   - directory: The results folder; `mosquitto.conf` and `mosquitto.log` are written there.
    static func start(executable: String, directory: URL) async throws -> PrivateBroker {
        let configFile = directory.appendingPathComponent("mosquitto.conf")
        let logFile = directory.appendingPathComponent("mosquitto.log")
        var lastProblem = "no attempt"
        for _ in 0..<5 {
            let port = try LoopbackPort.free()
            var lines = [
                "listener \(port) 127.0.0.1",
                "allow_anonymous true",
                "persistence false",
                "max_queued_messages 10000",
                "log_dest stderr",
                "log_type error",
                "log_type warning",
                "log_type notice",
            ]
            // As root, mosquitto would switch to the `mosquitto` user and could not write the results folder.
            if geteuid() == 0 { lines.append("user root") }
            try (lines.joined(separator: "\n") + "\n").write(to: configFile, atomically: true, encoding: .utf8)
            let process = try SpawnedProcess(
                name: "mosquitto", path: executable, arguments: ["-c", configFile.path], output: .file(logFile.path))
            let deadline = ContinuousClock.now + .seconds(5)
            while ContinuousClock.now < deadline {
                if let status = process.exitStatus {
                    let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
                    lastProblem = "mosquitto exited with status \(status): \(log.suffix(400))"
                    break
                }
                if LoopbackPort.isAccepting(port: port) {
                    return PrivateBroker(port: port, process: process)
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            if process.isRunning {
                await process.stop(grace: .seconds(1))
                lastProblem = "mosquitto did not accept connections on port \(port) within 5 s"
            }
        }
        throw PilotError.brokerFailed(lastProblem + " (see \(logFile.path))")
    }

    /// Stops the broker (SIGTERM, SIGKILL after 3 s).
    func stop() async {
        await process.stop(grace: .seconds(3))
    }
}

/// Loopback TCP port helpers.
enum LoopbackPort {
    /// A port on 127.0.0.1 that was free a moment ago (the kernel's choice for port 0).
    static func free() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PilotError.brokerFailed("socket(): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw PilotError.brokerFailed("bind(): \(String(cString: strerror(errno)))") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func isAccepting(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
