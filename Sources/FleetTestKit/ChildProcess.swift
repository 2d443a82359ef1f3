import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A child process for tests, with its stdout and stderr collected in memory.
///
/// `@unchecked Sendable`: `Process` is not `Sendable`, but this class only calls its thread-safe members
/// (`processIdentifier`, `isRunning`, `terminationStatus`) after `run()`; the collected output is in a `Mutex`.
public final class ChildProcess: @unchecked Sendable {
    private let process = Process()
    private let output = LockedBox(Data())
    /// Whether the pipe reached end of file (every writer, the child and anything it started, closed it).
    private let drained = LockedBox(false)
    private let pipe = Pipe()

    /// The command line, for messages.
    public let commandLine: String

    /// Starts `executable` with `arguments`; stdout and stderr are merged and collected.
    /// - Parameters:
    ///   - executable: A path, or a name looked up in `PATH` and `/usr/sbin`.
    ///   - arguments: The arguments.
    /// - Throws: If the executable is missing or cannot be started.
    public init(_ executable: String, _ arguments: [String]) throws {
        let path = try Self.locate(executable)
        commandLine = ([path] + arguments).joined(separator: " ")
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        pipe.fileHandleForReading.readabilityHandler = { [output, drained] handle in
            let data = handle.availableData
            if data.isEmpty {
                drained.withLock { $0 = true }
                handle.readabilityHandler = nil
            } else {
                output.withLock { $0.append(data) }
            }
        }
        // The child inherits the calling thread's signal mask, and Swift's worker threads block SIGTERM and
        // friends: a broker started from there would ignore SIGTERM. Spawn with an empty mask.
        var empty = sigset_t()
        var previous = sigset_t()
        sigemptyset(&empty)
        pthread_sigmask(SIG_SETMASK, &empty, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        pipe.fileHandleForReading.readabilityHandler = nil
    }

    /// The process id.
    public var pid: Int32 { process.processIdentifier }

    /// Whether the process is still running.
    public var isRunning: Bool { process.isRunning }

    /// Whether everything written to stdout and stderr has been read (the pipe reached end of file). Output is
    /// collected asynchronously, so right after the exit it may still lag.
    public var outputDrained: Bool { drained.withLock { $0 } }

    /// The exit status (or terminating signal); only meaningful once ``isRunning`` is `false`.
    public var exitStatus: Int32 { process.terminationStatus }

    /// Everything it wrote to stdout and stderr so far.
    public var outputText: String { output.withLock { String(decoding: $0, as: UTF8.self) } }

    /// Sends a signal (e.g. `SIGKILL` to simulate a crash).
    /// - Parameter signal: The signal number.
    public func send(signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits until the output contains `text`.
    /// - Parameters:
    ///   - text: The text to wait for.
    ///   - timeout: How long to wait.
    /// - Throws: ``TestTimeout`` with the output so far if it does not appear in time.
    public func waitForOutput(containing text: String, timeout: Duration = .seconds(5)) async throws {
        try await waitUntil(timeout: timeout, "\(commandLine) to print '\(text)' (output: \(outputText))") {
            self.outputText.contains(text)
        }
    }

    /// Waits until the process has exited and, for up to 2 s more, until what it wrote last has been read (the
    /// output is collected asynchronously, so it can lag the exit; a child it started may keep the pipe open).
    /// - Parameter timeout: How long to wait.
    /// - Returns: The exit status (or signal number).
    /// - Throws: ``TestTimeout`` if it keeps running.
    @discardableResult
    public func waitForExit(timeout: Duration = .seconds(5)) async throws -> Int32 {
        try await waitUntil(timeout: timeout, "\(commandLine) to exit") { !self.process.isRunning }
        try? await waitUntil(timeout: .seconds(2)) { self.drained.withLock { $0 } }
        return process.terminationStatus
    }

    /// Finds an executable in `PATH`, `/usr/sbin` or `/usr/bin`.
    /// - Parameter name: A name or absolute path.
    /// - Returns: The absolute path.
    /// - Throws: `CocoaError(.fileNoSuchFile)` when it is nowhere to be found.
    public static func locate(_ name: String) throws -> String {
        if name.hasPrefix("/") { return name }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/bin", "/usr/local/sbin"]
        for directory in directories where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
            return "\(directory)/\(name)"
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name])
    }
}
