import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Copies a child's output, as it comes, to fleetctl's stderr (progress on the terminal) and into a log file, on
/// a thread of its own (blocking reads must not occupy Swift's cooperative pool).
final class OutputRelay: Sendable {
    private let done = Atomic<Bool>(false)

    /// Starts relaying from `fd` (which the relay closes at end of file) to stderr and `logPath`.
    init(fd: Int32, logPath: String) throws(PilotError) {
        let log = open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard log >= 0 else {
            close(fd)
            throw .outputDirectory(path: logPath, reason: String(cString: strerror(errno)))
        }
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 1 << 14)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                buffer.withUnsafeBytes { bytes in
                    Self.writeAll(2, bytes.baseAddress!, count)
                    Self.writeAll(log, bytes.baseAddress!, count)
                }
            }
            close(fd)
            close(log)
            done.store(true, ordering: .releasing)
        }
        thread.start()
    }

    /// Waits until the child's end of the pipe has closed and everything is copied, at most `timeout` (a
    /// grandchild could hold the pipe open).
    func join(timeout: Duration = .seconds(5)) async {
        let deadline = ContinuousClock.now + timeout
        while !done.load(ordering: .acquiring) && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    private static func writeAll(_ fd: Int32, _ base: UnsafeRawPointer, _ count: Int) {
        var offset = 0
        while offset < count {
            let written = write(fd, base + offset, count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}
