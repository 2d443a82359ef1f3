extension MosquittoBroker {
    /// Options of the generated `mosquitto.conf`.
    public struct Configuration: Sendable {
        /// `allow_anonymous`; `true` by default.
        public var allowAnonymous: Bool
        /// User names and passwords for a generated `password_file` (none by default).
        public var users: [String: String]
        /// A second, TLS listener (on ``MosquittoBroker/tlsPort``).
        public var tls: TLS?
        /// `max_queued_messages` per client; 0 means unlimited (the default here, unlike mosquitto's 1000).
        public var maxQueuedMessages: Int
        /// Extra lines appended verbatim (they apply to the last listener).
        public var extraLines: [String]
        /// mosquitto `log_type`s written to ``MosquittoBroker/log``; `notice` logs every connect and disconnect.
        public var logTypes: [String]

        /// Creates broker options.
        /// - Parameters:
        ///   - allowAnonymous: Whether clients without credentials may connect.
        ///   - users: Accounts for the password file.
        ///   - tls: An optional TLS listener.
        ///   - maxQueuedMessages: The per-client queue limit, 0 for unlimited.
        ///   - extraLines: Further config lines.
        ///   - logTypes: What the broker logs, errors, warnings and notices by default.
        public init(
            allowAnonymous: Bool = true, users: [String: String] = [:], tls: TLS? = nil, maxQueuedMessages: Int = 0,
            extraLines: [String] = [], logTypes: [String] = ["error", "warning", "notice"]
        ) {
            self.logTypes = logTypes
            self.allowAnonymous = allowAnonymous
            self.users = users
            self.tls = tls
            self.maxQueuedMessages = maxQueuedMessages
            self.extraLines = extraLines
        }
    }

    /// The files of a TLS listener.
    public struct TLS: Sendable {
        /// The CA that clients' certificates must chain to (and that signed the server certificate).
        public var caFile: String
        /// The server certificate.
        public var certFile: String
        /// The server key.
        public var keyFile: String
        /// Whether clients must present a certificate signed by the CA.
        public var requireCertificate: Bool

        /// Creates TLS listener settings.
        /// - Parameters:
        ///   - caFile: CA certificate (PEM).
        ///   - certFile: Server certificate (PEM).
        ///   - keyFile: Server key (PEM).
        ///   - requireCertificate: Require client certificates, `false` by default.
        public init(caFile: String, certFile: String, keyFile: String, requireCertificate: Bool = false) {
            self.caFile = caFile
            self.certFile = certFile
            self.keyFile = keyFile
            self.requireCertificate = requireCertificate
        }

        /// The TLS listener for a set of generated test certificates.
        /// - Parameters:
        ///   - certificates: The certificates.
        ///   - requireCertificate: Require client certificates.
        public init(_ certificates: TestCertificates, requireCertificate: Bool = false) {
            self.init(
                caFile: certificates.caFile, certFile: certificates.serverCertFile,
                keyFile: certificates.serverKeyFile, requireCertificate: requireCertificate)
        }
    }
}
