import CMosquitto
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// The network thread. libmosquitto's own `mosquitto_loop_start` thread is not used because its reconnect
// logic cannot be observed (no callback per attempt), only counts whole seconds, keeps retrying after the
// broker refused the credentials and cannot report why the first TCP connect failed. This loop is the same
// `mosquitto_loop` + `mosquitto_reconnect` cycle, with those gaps closed.
extension MosquittoSession {
    /// At most this many packets are read in one burst, so keep-alive and writes are never starved.
    static let maximumPacketsPerBurst = 1024

    /// Starts a network thread that connects and then runs the loop until `shutdown()` or a fatal error.
    func startNetworkThread() -> Bool {
        abortRun.store(false, ordering: .sequentiallyConsistent)
        connackInRun.store(false, ordering: .sequentiallyConsistent)
        let retained = Unmanaged.passRetained(self).toOpaque()
        #if canImport(Darwin)
            var thread: pthread_t?
        #else
            var thread = pthread_t()
        #endif
        let rc = pthread_create(
            &thread, nil,
            { argument in
                let session = Unmanaged<MosquittoSession>.fromOpaque(argument!).takeRetainedValue()
                session.runNetworkLoop()
                return nil
            }, retained)
        guard rc == 0 else {
            Unmanaged<MosquittoSession>.fromOpaque(retained).release()
            return false
        }
        state.withLock { $0.thread = thread }
        return true
    }

    /// Joins the network thread if one was started (never from the thread itself).
    func joinNetworkThread() {
        guard
            let thread = state.withLock({ state in
                defer { state.thread = nil }; return state.thread
            })
        else {
            return
        }
        if pthread_equal(thread, pthread_self()) != 0 {
            pthread_detach(thread)
        } else {
            pthread_join(thread, nil)
        }
    }

    private var shouldStop: Bool {
        closed.load(ordering: .sequentiallyConsistent) || abortRun.load(ordering: .sequentiallyConsistent)
    }

    private func runNetworkLoop() {
        let config = configuration
        let generation = state.withLock { $0.generation }
        var rc = mosquitto_connect(handle, config.host, Int32(config.port), Int32(config.keepAlive))
        if rc != MOSQ_ERR_SUCCESS.rawValue {
            let reason = Self.reason(for: rc, errno: errno)
            endRun(generation: generation, failure: .connectFailed(address: address, reason: reason))
            return
        }
        var attempt = 0
        var delay = config.reconnect.initialDelay
        var stopDeadline: ContinuousClock.Instant?
        running: while true {
            rc = mosquitto_loop(handle, 100, 1)
            if rc == MOSQ_ERR_SUCCESS.rawValue && !shouldStop { rc = readAvailablePackets() }
            let savedErrno = errno
            inbox.wakeConsumers()
            if shouldStop {
                // Keep looping briefly so the queued DISCONNECT is written: a socket closed without it
                // would make the broker publish our last will.
                if stopDeadline == nil {
                    stopDeadline = .now + .seconds(1)
                    _ = mosquitto_disconnect(handle)
                }
                if rc != MOSQ_ERR_SUCCESS.rawValue || ContinuousClock.now > stopDeadline! { break }
                continue
            }
            if rc == MOSQ_ERR_SUCCESS.rawValue { continue }
            let reason = Self.reason(for: rc, errno: savedErrno)
            if !connackInRun.load(ordering: .sequentiallyConsistent) {
                endRun(generation: generation, failure: .connectFailed(address: address, reason: reason))
                return
            }
            connectionLost(reason: reason)
            guard config.reconnect.enabled else { break }
            if connackSinceLastLoss.exchange(false, ordering: .sequentiallyConsistent) {
                attempt = 0
                delay = config.reconnect.initialDelay
            }
            while true {
                attempt += 1
                emit(.reconnecting(attempt: attempt, delay: delay))
                guard sleepUnlessStopped(delay) else { break running }
                state.withLock { if $0.phase != .closed { $0.phase = .reconnecting } }
                let result = mosquitto_reconnect(handle)
                let reconnectErrno = errno
                delay = min(delay * 2, config.reconnect.maxDelay)
                if result == MOSQ_ERR_SUCCESS.rawValue { break }
                let reason = Self.reason(for: result, errno: reconnectErrno)
                logger.info("MQTT reconnect attempt \(attempt) failed: \(reason)")
                emit(.reconnectFailed(reason: reason))
            }
        }
        endRun(generation: generation, failure: nil)
    }

    /// `mosquitto_loop` reads one packet per `select`. Read on until the socket would block, so that a burst
    /// costs one `select` and wakes the consumer once (the "batch" mode of the C reference subscriber).
    private func readAvailablePackets() -> Int32 {
        for _ in 0..<Self.maximumPacketsPerBurst {
            errno = 0
            let rc = mosquitto_loop_read(handle, 1)
            if rc != MOSQ_ERR_SUCCESS.rawValue { return rc }
            if errno == EAGAIN || errno == EWOULDBLOCK { break }
        }
        return MOSQ_ERR_SUCCESS.rawValue
    }

    /// Sleeps in short slices so `shutdown()` is never kept waiting; `false` if asked to stop.
    private func sleepUnlessStopped(_ duration: Duration) -> Bool {
        let deadline = ContinuousClock.now + duration
        while !shouldStop {
            let remaining = deadline - .now
            if remaining <= .zero { return true }
            let slice = min(remaining, .milliseconds(10))
            let (seconds, attoseconds) = slice.components
            usleep(UInt32(seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
        }
        return false
    }

    /// The run is over: fail a waiting `connect`, forget the connection, and leave the phase idle.
    private func endRun(generation: UInt64, failure: MQTTError?) {
        let wasConnected = state.withLock { $0.phase == .connected }
        if wasConnected && !closed.load(ordering: .sequentiallyConsistent) {
            connectionLost(reason: "the connection was closed")
        }
        let waiter = state.withLock { state in
            if state.phase != .closed && state.generation == generation { state.phase = .idle }
            defer { state.connectWaiter = nil }
            return state.connectWaiter?.continuation
        }
        let error =
            failure
            ?? (closed.load(ordering: .sequentiallyConsistent)
                ? .clientClosed : .notConnected(operation: "connect to \(address)"))
        if let failure { logger.info("MQTT \(failure)") }
        waiter?.resume(returning: .failure(error))
    }

    /// An established connection went away: emit `disconnected` once and fail subscribe/unsubscribe waiters
    /// (their packets are gone; QoS>0 publishes are resent by libmosquitto and keep waiting).
    func connectionLost(reason: String) {
        let waiters = state.withLock { state -> [PendingOperations.Waiter]? in
            guard state.phase == .connected else { return nil }
            state.phase = .reconnecting
            return state.pending.removeAll { kind in
                if case .publish = kind { return false }
                return true
            }
        }
        guard let waiters else { return }
        logger.warning("MQTT connection lost: \(reason)")
        for waiter in waiters {
            waiter.continuation.resume(returning: .failure(waiter.kind.failure("connection lost (\(reason))")))
        }
        emit(.disconnected(reason: reason))
    }
}
