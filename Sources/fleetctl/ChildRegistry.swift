import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Every child fleetctl started and has not reaped, so that a Ctrl-C, a SIGTERM or a failure leaves no orphans.
///
/// SIGINT and SIGTERM are handled on a dispatch queue: the children get SIGTERM, then SIGKILL after a grace
/// period, and fleetctl exits with 130 (SIGINT) or 143 (SIGTERM).
final class ChildRegistry: Sendable {
    /// The one registry of this process.
    static let shared = ChildRegistry()

    private let children = Mutex<[(pid: pid_t, name: String)]>([])
    private let spawnLock = Mutex<Void>(())
    private let sources = Mutex<[any DispatchSourceSignal]>([])
    private let stoppingFlag = Atomic<Bool>(false)

    /// Whether a signal handler is stopping the children and will exit the process: a child that dies meanwhile
    /// is part of the stop, not a failure to report.
    var isStopping: Bool { stoppingFlag.load(ordering: .acquiring) }

    private init() {}

    /// Runs `body` (a spawn) so that a signal handler that runs meanwhile does not miss the new child.
    func spawning<T>(_ body: () -> T) -> T {
        spawnLock.withLock { _ in body() }
    }

    /// Records a started child.
    func add(pid: pid_t, name: String) {
        children.withLock { $0.append((pid, name)) }
    }

    /// Forgets a reaped child.
    func remove(pid: pid_t) {
        children.withLock { $0.removeAll { $0.pid == pid } }
    }

    /// Installs the SIGINT, SIGTERM, SIGHUP and SIGQUIT handlers (once): the children run in their own process
    /// groups, so a closed terminal's hangup would not reach them on its own.
    func installSignalHandlers() {
        sources.withLock { sources in
            guard sources.isEmpty else { return }
            for signalNumber in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler { [self] in
                    stoppingFlag.store(true, ordering: .releasing)
                    let names = [SIGINT: "SIGINT", SIGTERM: "SIGTERM", SIGHUP: "SIGHUP", SIGQUIT: "SIGQUIT"]
                    let name = names[signalNumber] ?? "signal \(signalNumber)"
                    printError("fleetctl: \(name): stopping every child process")
                    killAll(grace: .seconds(3))
                    exit(128 + signalNumber)
                }
                source.resume()
                sources.append(source)
            }
        }
    }

    /// Sends SIGTERM to every child (newest first), waits up to `grace` for them, then SIGKILLs the rest and
    /// reaps them. Blocking; for signal handlers and last-resort cleanup.
    func killAll(grace: Duration) {
        let list = spawnLock.withLock { _ in children.withLock { $0 } }
        for child in list.reversed() { kill(-child.pid, SIGTERM) }
        let deadline = ContinuousClock.now + grace
        var remaining = list
        while !remaining.isEmpty && ContinuousClock.now < deadline {
            remaining.removeAll { child in
                var raw: Int32 = 0
                let result = waitpid(child.pid, &raw, WNOHANG)
                return result == child.pid || result < 0
            }
            if !remaining.isEmpty { usleep(20_000) }
        }
        for child in remaining {
            printError("fleetctl: \(child.name) (pid \(child.pid)) did not stop; killing it")
            kill(-child.pid, SIGKILL)
            var raw: Int32 = 0
            waitpid(child.pid, &raw, 0)
        }
        children.withLock { $0.removeAll() }
    }
}

/// Writes `message` and a newline to stderr, unbuffered.
func printError(_ message: String) {
    let line = message + "\n"
    line.utf8CString.withUnsafeBufferPointer { buffer in
        _ = write(2, buffer.baseAddress, buffer.count - 1)
    }
}
