/// Everything needed to open one MQTT connection.
public struct MQTTConfiguration: Sendable {
    /// The broker's host name or IP address.
    public var host: String
    /// The broker's TCP port (1883 plain, usually 8883 for TLS).
    public var port: Int
    /// The client identifier; empty lets the broker assign one (only allowed with `cleanSession`).
    public var clientID: String
    /// The keep-alive interval in seconds (0 disables it, otherwise at least 5).
    public var keepAlive: Int
    /// `true` starts a fresh session; `false` asks the broker to keep subscriptions and queued QoS>0 messages.
    public var cleanSession: Bool
    /// The protocol version to speak.
    public var protocolVersion: MQTTProtocolVersion
    /// The user name sent in CONNECT, if any.
    public var username: String?
    /// The password sent in CONNECT, if any (needs `username`).
    public var password: String?
    /// TLS settings; `nil` connects in plain TCP.
    public var tls: MQTTTLSConfiguration?
    /// The last will the broker publishes when this client vanishes without DISCONNECT.
    public var will: MQTTWill?
    /// How the client reconnects after losing an established connection.
    public var reconnect: MQTTReconnectPolicy
    /// What happens to incoming messages when the consumer of ``MQTTClient/messages`` falls behind.
    public var bufferingPolicy: MQTTBufferingPolicy
    /// How long `subscribe`, `unsubscribe` and `publishAndWait` wait for the broker's acknowledgement.
    public var operationTimeout: Duration

    /// Creates a configuration; every parameter but `clientID` has a default.
    /// - Parameters:
    ///   - host: The broker host, `127.0.0.1` by default.
    ///   - port: The broker port, 1883 by default.
    ///   - clientID: The client identifier.
    ///   - keepAlive: Keep-alive in seconds, 15 by default.
    ///   - cleanSession: Whether to start a clean session, `true` by default.
    ///   - protocolVersion: MQTT 3.1.1 by default.
    ///   - username: Optional user name.
    ///   - password: Optional password.
    ///   - tls: Optional TLS settings.
    ///   - will: Optional last will.
    ///   - reconnect: Reconnect policy, enabled with 0.5 s to 30 s backoff by default.
    ///   - bufferingPolicy: Incoming-message buffering, `.unbounded` by default.
    ///   - operationTimeout: Acknowledgement timeout, 10 s by default.
    public init(
        host: String = "127.0.0.1",
        port: Int = 1883,
        clientID: String,
        keepAlive: Int = 15,
        cleanSession: Bool = true,
        protocolVersion: MQTTProtocolVersion = .v311,
        username: String? = nil,
        password: String? = nil,
        tls: MQTTTLSConfiguration? = nil,
        will: MQTTWill? = nil,
        reconnect: MQTTReconnectPolicy = MQTTReconnectPolicy(),
        bufferingPolicy: MQTTBufferingPolicy = .unbounded,
        operationTimeout: Duration = .seconds(10)
    ) {
        self.host = host
        self.port = port
        self.clientID = clientID
        self.keepAlive = keepAlive
        self.cleanSession = cleanSession
        self.protocolVersion = protocolVersion
        self.username = username
        self.password = password
        self.tls = tls
        self.will = will
        self.reconnect = reconnect
        self.bufferingPolicy = bufferingPolicy
        self.operationTimeout = operationTimeout
    }

    /// `host:port`, as used in error messages.
    public var address: String { "\(host):\(port)" }

    /// Checks the settings libmosquitto would otherwise reject late or obscurely.
    func validate() throws(MQTTError) {
        guard (1...65535).contains(port) else { throw .invalidConfiguration("port \(port) is not in 1...65535") }
        guard !host.isEmpty else { throw .invalidConfiguration("host is empty") }
        guard keepAlive == 0 || (5...65535).contains(keepAlive) else {
            throw .invalidConfiguration("keepAlive \(keepAlive) s must be 0 or in 5...65535")
        }
        if clientID.isEmpty && !cleanSession {
            throw .invalidConfiguration("a persistent session (cleanSession false) needs a client ID")
        }
        if password != nil && username == nil { throw .invalidConfiguration("a password needs a username") }
        switch bufferingPolicy {
        case .unbounded: break
        case .dropNewest(let capacity), .dropOldest(let capacity):
            guard capacity >= 1 else { throw .invalidConfiguration("buffer capacity \(capacity) must be at least 1") }
        }
        guard reconnect.initialDelay > .zero, reconnect.maxDelay >= reconnect.initialDelay else {
            throw .invalidConfiguration("reconnect delays need 0 < initialDelay <= maxDelay")
        }
        if let will { try TopicValidator.validateTopic(will.topic) }
    }
}

/// The last will: published by the broker when the client disappears without a DISCONNECT.
public struct MQTTWill: Sendable, Hashable {
    /// The topic the will is published to.
    public var topic: String
    /// The will payload.
    public var payload: [UInt8]
    /// The QoS of the will publication.
    public var qos: MQTTQoS
    /// Whether the broker retains the will.
    public var retain: Bool

    /// Creates a last will.
    /// - Parameters:
    ///   - topic: The will topic (no wildcards).
    ///   - payload: The will payload.
    ///   - qos: Its QoS, 0 by default.
    ///   - retain: Whether it is retained, `false` by default.
    public init(topic: String, payload: [UInt8], qos: MQTTQoS = .atMostOnce, retain: Bool = false) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
    }
}

/// TLS settings: the CA that signed the broker's certificate and an optional client certificate.
public struct MQTTTLSConfiguration: Sendable, Hashable {
    /// Path to the PEM file of trusted CA certificates.
    public var caFile: String
    /// Path to the client certificate (PEM), for brokers that require one.
    public var certFile: String?
    /// Path to the client's private key (PEM, unencrypted), paired with `certFile`.
    public var keyFile: String?
    /// Whether the broker certificate's name must match `host`; turn off only in tests.
    public var verifyHostname: Bool

    /// Creates TLS settings.
    /// - Parameters:
    ///   - caFile: Trusted CA certificates (PEM).
    ///   - certFile: Optional client certificate.
    ///   - keyFile: Optional client key; required when `certFile` is given.
    ///   - verifyHostname: Check the broker's name against its certificate, `true` by default.
    public init(caFile: String, certFile: String? = nil, keyFile: String? = nil, verifyHostname: Bool = true) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.verifyHostname = verifyHostname
    }
}

/// What the client does with incoming messages its consumer has not taken yet.
public enum MQTTBufferingPolicy: Sendable, Hashable {
    /// Keep every message (memory grows while the consumer lags).
    case unbounded
    /// Keep at most this many messages; further ones are dropped and counted.
    case dropNewest(Int)
    /// Keep at most this many messages; the oldest buffered one is dropped and counted to make room.
    case dropOldest(Int)
}

/// Automatic reconnection after an established connection is lost.
///
/// The delay starts at `initialDelay`, doubles after every failed attempt up to `maxDelay`, and starts over
/// after a successful CONNACK. Active subscriptions are renewed after every reconnect (unless the broker
/// reports the session as still present).
public struct MQTTReconnectPolicy: Sendable, Hashable {
    /// The delay before the first reconnect attempt.
    public var initialDelay: Duration
    /// The upper bound of the delay between attempts.
    public var maxDelay: Duration
    /// Whether the client reconnects at all.
    public var enabled: Bool

    /// Creates a reconnect policy.
    /// - Parameters:
    ///   - initialDelay: First delay, 0.5 s by default.
    ///   - maxDelay: Largest delay, 30 s by default.
    ///   - enabled: `true` by default.
    public init(initialDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30), enabled: Bool = true) {
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.enabled = enabled
    }

    /// A policy that never reconnects.
    public static let disabled = MQTTReconnectPolicy(enabled: false)
}
