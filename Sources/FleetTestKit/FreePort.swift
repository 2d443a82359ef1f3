#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Loopback TCP port helpers for tests.
public enum FreePort {
    /// A TCP port on 127.0.0.1 that was free a moment ago (the kernel picks it by binding port 0).
    ///
    /// Another process may take it before it is used; callers retry on a collision.
    public static func loopback() -> Int {
        let (fd, port) = boundSocket()
        close(fd)
        return port
    }

    /// A TCP socket bound to a port of 127.0.0.1 the kernel picked (port 0), not listening, and that port.
    fileprivate static func boundSocket() -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(fd >= 0, "socket() failed: errno \(errno)")
        var address = loopbackAddress(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        precondition(bound == 0, "bind() failed: errno \(errno)")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// Reserves a loopback port on which connections are refused for as long as the reservation lives.
    ///
    /// A port that was merely free a moment ago can be taken by a broker another test starts at the same
    /// time (a CI run once saw "connection lost" instead of "connection refused" that way). A socket bound
    /// without listening keeps every other bind off the port, and the kernel answers a connect with a reset.
    public static func refusing() -> RefusingPort { RefusingPort() }

    /// Whether something accepts TCP connections on 127.0.0.1:`port` right now.
    public static func isAccepting(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopbackAddress(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }

    private static func loopbackAddress(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

/// A loopback port held by a bound, non-listening socket: connecting to it fails with "connection refused"
/// until ``close()`` is called or the value is released.
public final class RefusingPort: @unchecked Sendable {
    /// The reserved port on 127.0.0.1.
    public let port: Int
    private var fd: Int32

    fileprivate init() {
        (fd, port) = FreePort.boundSocket()
    }

    /// Gives the port back.
    public func close() {
        if fd >= 0 {
            _ = Glibc.close(fd)
            fd = -1
        }
    }

    deinit { close() }
}
