import CMosquitto
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension MosquittoSession {
    /// Connects and waits for CONNACK, failing after `timeout`.
    func connect(timeout: Duration) async -> Result<Void, MQTTError> {
        let claim = state.withLock { state -> Result<UInt64?, MQTTError> in
            switch state.phase {
            case .closed: return .failure(.clientClosed)
            case .connected: return .success(nil)
            case .connecting: return .failure(.invalidOperation("connect to \(address) is already in progress"))
            case .reconnecting:
                return .failure(.invalidOperation("the client is reconnecting to \(address) by itself"))
            case .idle:
                state.phase = .connecting
                state.generation += 1
                return .success(state.generation)
            }
        }
        guard case .success(.some) = claim else { return claim.map { _ in () } }
        // A previous run that ended (failed connect, or lost without reconnect) is joined first; it cannot
        // reset the phase any more because its generation is older.
        joinNetworkThread()
        let token = state.withLock { $0.pending.makeToken() }
        let timer = Task { [self] in
            do { try await Task.sleep(for: timeout) } catch { return }
            abandonConnect(token: token, error: .timedOut(operation: "connect to \(address)", after: timeout))
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            state.withLock { $0.connectWaiter = (token, continuation) }
            if !startNetworkThread() {
                abandonConnect(token: token, error: .connectFailed(address: address, reason: "no network thread"))
            }
        }
    }

    /// Fails a waiting `connect` with `error` and stops its network run.
    private func abandonConnect(token: UInt64, error: MQTTError) {
        let waiter = state.withLock { state -> PendingOperations.Continuation? in
            guard let waiter = state.connectWaiter, waiter.token == token else { return nil }
            state.connectWaiter = nil
            if state.phase != .closed { state.phase = .idle }
            return waiter.continuation
        }
        guard let waiter else { return }
        abortRun.store(true, ordering: .sequentiallyConsistent)
        _ = mosquitto_disconnect(handle)
        waiter.resume(returning: .failure(error))
    }

    /// Sends SUBSCRIBE and waits for SUBACK.
    func subscribe(_ filter: String, qos: MQTTQoS) async -> Result<Void, MQTTError> {
        await performAcknowledged(.subscribe(filter: filter, qos: qos)) { mid in
            mosquitto_subscribe(handle, &mid, filter, Int32(qos.rawValue))
        }
    }

    /// Forgets the subscription (so it is not renewed), sends UNSUBSCRIBE and waits for UNSUBACK.
    func unsubscribe(_ filter: String) async -> Result<Void, MQTTError> {
        state.withLock { _ = $0.subscriptions.removeValue(forKey: filter) }
        return await performAcknowledged(.unsubscribe(filter: filter)) { mid in
            mosquitto_unsubscribe(handle, &mid, filter)
        }
    }

    /// Queues a PUBLISH; returns at once.
    func publish(topic: String, payload: [UInt8], qos: MQTTQoS, retain: Bool) throws(MQTTError) {
        if closed.load(ordering: .relaxed) { throw .clientClosed }
        let rc = send(topic: topic, payload: payload, qos: qos, retain: retain, mid: nil)
        if rc != MOSQ_ERR_SUCCESS.rawValue { throw publishError(topic, rc, errno) }
    }

    /// Queues a PUBLISH and, for QoS 1 and 2, waits for PUBACK or PUBCOMP.
    func publishAndWait(topic: String, payload: [UInt8], qos: MQTTQoS, retain: Bool) async -> Result<Void, MQTTError> {
        guard qos != .atMostOnce else {
            do throws(MQTTError) {
                try publish(topic: topic, payload: payload, qos: qos, retain: retain)
                return .success(())
            } catch { return .failure(error) }
        }
        return await performAcknowledged(.publish(topic: topic)) { mid in
            send(topic: topic, payload: payload, qos: qos, retain: retain, mid: &mid)
        }
    }

    private func send(topic: String, payload: [UInt8], qos: MQTTQoS, retain: Bool, mid: UnsafeMutablePointer<Int32>?)
        -> Int32
    {
        guard payload.count <= 268_435_455 else { return MOSQ_ERR_PAYLOAD_SIZE.rawValue }
        return payload.withUnsafeBytes { bytes in
            mosquitto_publish(handle, mid, topic, Int32(bytes.count), bytes.baseAddress, Int32(qos.rawValue), retain)
        }
    }

    private func publishError(_ topic: String, _ rc: Int32, _ savedErrno: Int32) -> MQTTError {
        rc == MOSQ_ERR_NO_CONN.rawValue
            ? .notConnected(operation: "publish to '\(topic)'")
            : .publishFailed(topic: topic, reason: Self.reason(for: rc, errno: savedErrno))
    }

    /// Hands an operation to libmosquitto and waits for the acknowledgement of its mid.
    private func performAcknowledged(
        _ kind: PendingOperations.Kind, send: (inout Int32) -> Int32
    ) async -> Result<Void, MQTTError> {
        let timeout = configuration.operationTimeout
        guard let token = state.withLock({ $0.phase == .closed ? nil : $0.pending.makeToken() }) else {
            return .failure(.clientClosed)
        }
        let timer = Task { [self] in
            do { try await Task.sleep(for: timeout) } catch { return }
            let waiter = state.withLock { $0.pending.remove(token: token) }
            waiter?.continuation.resume(returning: .failure(.timedOut(operation: kind.operationName, after: timeout)))
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            state.withLock { $0.pending.beginRegistration() }
            var mid: Int32 = 0
            let rc = send(&mid)
            let savedErrno = errno
            let early = state.withLock { state -> Result<Void, MQTTError>? in
                if rc != MOSQ_ERR_SUCCESS.rawValue || state.phase == .closed {
                    state.pending.abandonRegistration()
                    if state.phase == .closed { return .failure(.clientClosed) }
                    return rc == MOSQ_ERR_NO_CONN.rawValue
                        ? .failure(.notConnected(operation: kind.operationName))
                        : .failure(kind.failure(Self.reason(for: rc, errno: savedErrno)))
                }
                let waiter = PendingOperations.Waiter(token: token, kind: kind, continuation: continuation)
                guard let acknowledgement = state.pending.register(mid: mid, waiter: waiter) else { return nil }
                return Self.complete(kind, acknowledgement, in: &state)
            }
            if let early { continuation.resume(returning: early) }
        }
    }

    /// Disconnects gracefully, joins the network thread and ends both sequences. Idempotent.
    func shutdown() {
        guard !closed.exchange(true, ordering: .sequentiallyConsistent) else {
            joinNetworkThread()
            return
        }
        let (connectWaiter, waiters) = state.withLock { state in
            state.phase = .closed
            state.subscriptions = [:]
            defer { state.connectWaiter = nil }
            return (state.connectWaiter?.continuation, state.pending.removeAll { _ in true })
        }
        _ = mosquitto_disconnect(handle)
        joinNetworkThread()
        connectWaiter?.resume(returning: .failure(.clientClosed))
        for waiter in waiters { waiter.continuation.resume(returning: .failure(.clientClosed)) }
        inbox.finish()
        emit(.closed)
        eventContinuation.finish()
        logger.debug("MQTT client closed")
    }
}
