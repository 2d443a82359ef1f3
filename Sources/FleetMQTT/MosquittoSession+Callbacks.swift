import CMosquitto
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// libmosquitto calls these C function pointers on the network thread. They capture nothing; the session
// arrives as the unretained user-data pointer, which stays valid because the network thread holds a
// reference to the session for as long as it runs.
extension MosquittoSession {
    private static func from(_ userdata: UnsafeMutableRawPointer?) -> MosquittoSession? {
        guard let userdata else { return nil }
        return Unmanaged<MosquittoSession>.fromOpaque(userdata).takeUnretainedValue()
    }

    func installCallbacks() {
        mosquitto_connect_v5_callback_set(handle) { _, userdata, code, flags, _ in
            MosquittoSession.from(userdata)?.handleConnect(code: code, flags: flags)
        }
        mosquitto_disconnect_callback_set(handle) { _, userdata, rc in
            let savedErrno = errno
            guard rc != 0, let session = MosquittoSession.from(userdata) else { return }
            session.connectionLost(reason: MosquittoSession.reason(for: rc, errno: savedErrno))
        }
        mosquitto_message_callback_set(handle) { _, userdata, message in
            // The hot path: one copy of the payload (into a recycled array when the consumer handed one back),
            // one lock in `push` (which takes the topic String from the inbox's topic cache, so a repeated
            // topic is not allocated again).
            guard let message, let session = MosquittoSession.from(userdata) else { return }
            let raw = message.pointee
            let count = Int(raw.payloadlen)
            let payload = UnsafeRawBufferPointer(start: count > 0 ? raw.payload : nil, count: count > 0 ? count : 0)
            let qos = MQTTQoS(rawValue: Int(raw.qos)) ?? .atMostOnce
            if let topic = raw.topic {
                session.inbox.push(topic: topic, payload: payload, qos: qos, retain: raw.retain)
            } else {
                session.inbox.push(MQTTMessage(topic: "", payload: [UInt8](payload), qos: qos, retain: raw.retain))
            }
        }
        mosquitto_subscribe_callback_set(handle) { _, userdata, mid, count, granted in
            let code = count > 0 ? Int(granted?[0] ?? 0x80) : 0x80
            MosquittoSession.from(userdata)?.acknowledge(mid: mid, .subscribed(granted: code))
        }
        mosquitto_unsubscribe_callback_set(handle) { _, userdata, mid in
            MosquittoSession.from(userdata)?.acknowledge(mid: mid, .unsubscribed)
        }
        mosquitto_publish_v5_callback_set(handle) { _, userdata, mid, reasonCode, _ in
            MosquittoSession.from(userdata)?.acknowledge(mid: mid, .published(reasonCode: Int(reasonCode)))
        }
    }

    private func handleConnect(code: Int32, flags: Int32) {
        guard code == 0 else {
            let reason = Self.connackReason(code)
            let waiter = state.withLock { state in
                defer { state.connectWaiter = nil }
                if state.connectWaiter != nil && state.phase != .closed { state.phase = .idle }
                return state.connectWaiter?.continuation
            }
            if let waiter {
                // The first connect was refused: give up instead of retrying with the same credentials.
                abortRun.store(true, ordering: .sequentiallyConsistent)
                waiter.resume(returning: .failure(.connectionRefused(address: address, reason: reason)))
            } else {
                logger.warning("MQTT broker refused the reconnect: \(reason)")
                emit(.reconnectFailed(reason: "refused by broker: \(reason)"))
            }
            return
        }
        let sessionPresent = flags & 1 != 0
        let (waiter, renew) = state.withLock { state -> (PendingOperations.Continuation?, [String: MQTTQoS]) in
            guard state.phase != .closed else { return (nil, [:]) }
            state.phase = .connected
            defer { state.connectWaiter = nil }
            return (state.connectWaiter?.continuation, sessionPresent ? [:] : state.subscriptions)
        }
        connackSinceLastLoss.store(true, ordering: .sequentiallyConsistent)
        connackInRun.store(true, ordering: .sequentiallyConsistent)
        // The first connect is the caller's business; a reconnect is news for the operator.
        logger.log(
            level: waiter == nil ? .info : .debug, "MQTT connected",
            metadata: ["mqtt.session_present": "\(sessionPresent)"])
        emit(.connected(sessionPresent: sessionPresent))
        for (filter, qos) in renew {
            var mid: Int32 = 0
            let rc = mosquitto_subscribe(handle, &mid, filter, Int32(qos.rawValue))
            if rc != MOSQ_ERR_SUCCESS.rawValue {
                logger.warning("MQTT renewing subscription '\(filter)' failed: \(Self.reason(for: rc, errno: errno))")
            }
        }
        if !renew.isEmpty { logger.debug("MQTT renewed \(renew.count) subscription(s)") }
        waiter?.resume(returning: .success(()))
    }

    /// The broker acknowledged `mid`: resume its waiter (or park the acknowledgement for it).
    private func acknowledge(mid: Int32, _ acknowledgement: PendingOperations.Acknowledgement) {
        let resolved = state.withLock { state -> (PendingOperations.Continuation, Result<Void, MQTTError>)? in
            guard let waiter = state.pending.acknowledge(mid: mid, acknowledgement) else { return nil }
            return (waiter.continuation, Self.complete(waiter.kind, acknowledgement, in: &state))
        }
        if let (continuation, result) = resolved { continuation.resume(returning: result) }
    }

    /// The result of an acknowledged operation; a granted subscription is remembered for reconnects.
    static func complete(
        _ kind: PendingOperations.Kind, _ acknowledgement: PendingOperations.Acknowledgement, in state: inout State
    ) -> Result<Void, MQTTError> {
        let result = kind.result(of: acknowledgement)
        if case .success = result, case .subscribe(let filter, let qos) = kind {
            state.subscriptions[filter] = qos
        }
        return result
    }
}
