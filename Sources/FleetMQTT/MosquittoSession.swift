import CMosquitto
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one type that talks to libmosquitto: it owns the `struct mosquitto *`, the network thread, the C
/// callbacks and the reconnect loop. ``MQTTClient`` is the public face; a later multiplexed event loop for
/// thousands of clients replaces only the network-thread part of this type.
///
/// `@unchecked Sendable` because `handle` is a raw C pointer. It is safe to share: the handle is put in
/// libmosquitto's threaded mode (`mosquitto_threaded_set`), in which publish, subscribe, unsubscribe and
/// disconnect may be called from any thread while one network thread runs `mosquitto_loop`;
/// `mosquitto_connect`, `_loop` and `_reconnect` are only ever called on that network thread; and the handle
/// is destroyed in `deinit`, when neither a thread nor a caller can reach it any more. All Swift-side
/// mutable state is in `Mutex`es or `Atomic`s.
final class MosquittoSession: @unchecked Sendable {
    enum Phase: Equatable {
        case idle, connecting, connected, reconnecting, closed
    }

    struct State {
        var phase = Phase.idle
        /// Counts `connect` calls, so a network run that ends late cannot reset a newer run's phase.
        var generation: UInt64 = 0
        var thread: pthread_t?
        var connectWaiter: (token: UInt64, continuation: PendingOperations.Continuation)?
        var pending = PendingOperations()
        /// Granted subscriptions, renewed after a reconnect.
        var subscriptions: [String: MQTTQoS] = [:]
    }

    /// libmosquitto's reference counting of `mosquitto_lib_init`; a `static let` runs it once, thread-safely.
    private static let libraryInitialised: Bool = {
        mosquitto_lib_init()
        return true
    }()

    let handle: OpaquePointer
    let configuration: MQTTConfiguration
    let address: String
    let logger: Logger
    let inbox: MessageInbox
    let events: AsyncStream<MQTTConnectionEvent>
    let eventContinuation: AsyncStream<MQTTConnectionEvent>.Continuation
    let state = Mutex(State())
    /// Set once by `shutdown()`; the client cannot be used afterwards.
    let closed = Atomic<Bool>(false)
    /// Asks the current network run to end (connect refused or timed out).
    let abortRun = Atomic<Bool>(false)
    /// Set by a successful CONNACK in the current network run: failures before it fail `connect`.
    let connackInRun = Atomic<Bool>(false)
    /// Set by a successful CONNACK so the reconnect loop restarts its backoff.
    let connackSinceLastLoss = Atomic<Bool>(false)

    init(configuration: MQTTConfiguration, logger: Logger) throws(MQTTError) {
        try configuration.validate()
        _ = Self.libraryInitialised
        let clientID: String? = configuration.clientID.isEmpty ? nil : configuration.clientID
        guard let handle = mosquitto_new(clientID, configuration.cleanSession, nil) else {
            throw .invalidConfiguration(
                "mosquitto_new failed: \(Self.reason(for: MOSQ_ERR_ERRNO.rawValue, errno: errno))")
        }
        self.handle = handle
        self.configuration = configuration
        self.address = configuration.address
        var logger = logger
        logger[metadataKey: "mqtt.client_id"] = "\(configuration.clientID)"
        logger[metadataKey: "mqtt.broker"] = "\(configuration.address)"
        self.logger = logger
        self.inbox = MessageInbox(policy: configuration.bufferingPolicy)
        (events, eventContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(256))
        mosquitto_user_data_set(handle, Unmanaged.passUnretained(self).toOpaque())
        try applyOptions()
        installCallbacks()
    }

    deinit {
        // Normally `shutdown()` ran already (MQTTClient.deinit calls it); the thread, if any, has ended,
        // because it keeps this object alive while it runs.
        if let thread = state.withLock({ $0.thread }) { pthread_detach(thread) }
        mosquitto_destroy(handle)
    }

    private func applyOptions() throws(MQTTError) {
        let config = configuration
        _ = mosquitto_threaded_set(handle, true)
        let version = config.protocolVersion == .v5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311
        try check(mosquitto_int_option(handle, MOSQ_OPT_PROTOCOL_VERSION, Int32(version)), "protocol version")
        _ = mosquitto_int_option(handle, MOSQ_OPT_TCP_NODELAY, 1)
        if let username = config.username {
            try check(mosquitto_username_pw_set(handle, username, config.password), "username/password")
        }
        if let will = config.will {
            let rc = will.payload.withUnsafeBytes { bytes in
                mosquitto_will_set(
                    handle, will.topic, Int32(bytes.count), bytes.baseAddress, Int32(will.qos.rawValue), will.retain)
            }
            try check(rc, "last will on '\(will.topic)'")
        }
        if let tls = config.tls {
            if (tls.certFile == nil) != (tls.keyFile == nil) {
                throw .invalidConfiguration("TLS needs both certFile and keyFile, or neither")
            }
            let rc = mosquitto_tls_set(handle, tls.caFile, nil, tls.certFile, tls.keyFile, nil)
            try check(rc, "TLS files (CA \(tls.caFile), cert \(tls.certFile ?? "none"), key \(tls.keyFile ?? "none"))")
            _ = mosquitto_tls_insecure_set(handle, !tls.verifyHostname)
        }
    }

    private func check(_ rc: Int32, _ what: String) throws(MQTTError) {
        guard rc != MOSQ_ERR_SUCCESS.rawValue else { return }
        throw .invalidConfiguration("\(what): \(Self.reason(for: rc, errno: errno))")
    }

    /// Emits a connection event (never blocks; the stream keeps the newest 256).
    func emit(_ event: MQTTConnectionEvent) {
        logger.debug("MQTT \(event)")
        eventContinuation.yield(event)
    }

    /// A readable reason for a libmosquitto result code, e.g. `connection refused`.
    static func reason(for rc: Int32, errno savedErrno: Int32) -> String {
        let text =
            rc == MOSQ_ERR_ERRNO.rawValue
            ? String(cString: strerror(savedErrno)) : String(cString: mosquitto_strerror(rc))
        var cleaned = text.hasSuffix(".") ? String(text.dropLast()) : text
        let firstWord = cleaned.prefix { $0 != " " }
        let isAcronym = firstWord.count > 1 && firstWord.allSatisfy(\.isUppercase)
        if let first = cleaned.first, !isAcronym {
            cleaned = first.lowercased() + cleaned.dropFirst()
        }
        return cleaned
    }

    /// The reason of a CONNACK refusal: MQTT 3.1.1 return codes 1–5 or MQTT 5 reason codes.
    static func connackReason(_ code: Int32) -> String {
        switch code {
        case 1, 132: "unacceptable protocol version"
        case 2, 133: "client identifier rejected"
        case 3, 136: "server unavailable"
        case 4, 134: "bad username or password"
        case 5, 135: "not authorised"
        default: "\(String(cString: mosquitto_reason_string(code)).lowercased()) (reason code \(code))"
        }
    }
}
