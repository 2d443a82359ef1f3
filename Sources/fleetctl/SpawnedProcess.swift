import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn`: default signal dispositions and an empty signal mask (Swift's
/// worker threads block signals, and fleetctl ignores SIGINT itself), in its own process group (so a Ctrl-C
/// reaches only fleetctl, which then stops the children in order), registered in ``ChildRegistry`` until reaped.
final class SpawnedProcess: Sendable {
    /// Where a standard stream of the child goes.
    enum Output {
        /// `/dev/null`.
        case null
        /// A file, created or truncated.
        case file(String)
        /// A pipe whose read end is ``SpawnedProcess/outputPipe``.
        case pipe
    }

    /// A short name for messages, e.g. `fleetd`.
    let name: String
    /// The executable's path.
    let path: String
    /// The process id.
    let pid: pid_t
    /// The read end of the pipe carrying stdout and stderr, for `.pipe`.
    let outputPipe: Int32?
    private let status = Mutex<Int32?>(nil)

    /// Starts `path` with `arguments`; stdout and stderr both go to `output`.
    init(name: String, path: String, arguments: [String], output: Output) throws(PilotError) {
        self.name = name
        self.path = path
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        var pipeEnds: [Int32] = [-1, -1]
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        switch output {
        case .null:
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        case .file(let file):
            posix_spawn_file_actions_addopen(&actions, 1, file, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        case .pipe:
            guard pipe(&pipeEnds) == 0 else {
                throw .spawnFailed(name: name, path: path, reason: "pipe: \(String(cString: strerror(errno)))")
            }
            // Close-on-exec, so that later children do not hold this pipe open; dup2 clears it on fd 1.
            _ = fcntl(pipeEnds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(pipeEnds[1], F_SETFD, FD_CLOEXEC)
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        }
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var noSignals = sigset_t()
        var allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let result = ChildRegistry.shared.spawning {
            posix_spawn(&child, path, &actions, &attributes, argv, environ)
        }
        if pipeEnds[1] >= 0 { close(pipeEnds[1]) }
        guard result == 0 else {
            if pipeEnds[0] >= 0 { close(pipeEnds[0]) }
            throw .spawnFailed(name: name, path: path, reason: String(cString: strerror(result)))
        }
        pid = child
        outputPipe = pipeEnds[0] >= 0 ? pipeEnds[0] : nil
        ChildRegistry.shared.add(pid: child, name: name)
    }

    /// The exit status once the process has ended: its exit code, or 128 + the signal that ended it.
    var exitStatus: Int32? {
        status.withLock { status in
            if let status { return status }
            var raw: Int32 = 0
            let result = waitpid(pid, &raw, WNOHANG)
            guard result == pid else { return nil }
            let signal = raw & 0x7f
            status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
            ChildRegistry.shared.remove(pid: pid)
            return status
        }
    }

    /// Whether the process is still running.
    var isRunning: Bool { exitStatus == nil }

    /// Sends `signal` to the process and its process group (a wrapper script's children too), unless the
    /// process has been reaped.
    func send(_ signal: Int32) {
        status.withLock { if $0 == nil { _ = kill(-pid, signal) } }
    }

    /// Waits for the process to end.
    /// - Parameter timeout: How long to wait; `nil` waits for ever.
    /// - Returns: The exit status, or `nil` if it is still running at the timeout.
    func waitForExit(timeout: Duration? = nil) async -> Int32? {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        while true {
            if let status = exitStatus { return status }
            if let deadline, ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Stops the process: SIGTERM, then SIGKILL after `grace`.
    /// - Parameter grace: How long it may take to stop cleanly.
    /// - Returns: Its exit status.
    @discardableResult
    func stop(grace: Duration) async -> Int32 {
        send(SIGTERM)
        if let status = await waitForExit(timeout: grace) { return status }
        send(SIGKILL)
        return await waitForExit() ?? 137
    }
}
