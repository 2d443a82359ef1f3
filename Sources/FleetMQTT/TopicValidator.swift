import CMosquitto

/// Checks topic names and filters before anything is sent, so a bad topic is a clear error and never reaches
/// the broker (which would close the connection).
enum TopicValidator {
    /// MQTT strings are length-prefixed with 16 bits.
    static let maximumLength = 65_535

    /// Validates a topic name for PUBLISH: non-empty, no wildcards, well-formed MQTT UTF-8.
    static func validateTopic(_ topic: String) throws(MQTTError) {
        guard !topic.isEmpty else { throw .invalidTopic(topic, reason: "a topic must not be empty") }
        if topic.utf8.contains(UInt8(ascii: "+")) || topic.utf8.contains(UInt8(ascii: "#")) {
            throw .invalidTopic(topic, reason: "the wildcards '+' and '#' are only allowed in subscription filters")
        }
        if let reason = encodingProblem(topic) { throw .invalidTopic(topic, reason: reason) }
    }

    /// Validates a subscription filter: non-empty, `+` and `#` each alone in their level, `#` only last.
    static func validateFilter(_ filter: String) throws(MQTTError) {
        guard !filter.isEmpty else { throw .invalidTopicFilter(filter, reason: "a filter must not be empty") }
        let levels = filter.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        for (index, level) in levels.enumerated() {
            if level.contains(UInt8(ascii: "#")) {
                guard level.count == 1 else {
                    throw .invalidTopicFilter(filter, reason: "'#' must fill a whole level")
                }
                guard index == levels.count - 1 else {
                    throw .invalidTopicFilter(filter, reason: "'#' is only allowed as the last level")
                }
            }
            if level.contains(UInt8(ascii: "+")) && level.count != 1 {
                throw .invalidTopicFilter(filter, reason: "'+' must fill a whole level")
            }
        }
        if let reason = encodingProblem(filter) { throw .invalidTopicFilter(filter, reason: reason) }
    }

    /// Length, NUL and the control characters and non-characters MQTT forbids (libmosquitto's own check).
    private static func encodingProblem(_ text: String) -> String? {
        let count = text.utf8.count
        if count > maximumLength { return "\(count) bytes exceed the MQTT limit of \(maximumLength)" }
        if text.utf8.contains(0) { return "it contains a NUL character" }
        var copy = text
        let rc = copy.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { mosquitto_validate_utf8($0.baseAddress, Int32(count)) }
        }
        if rc != Int32(MOSQ_ERR_SUCCESS.rawValue) {
            return "it is not valid MQTT UTF-8 (control characters and non-characters are not allowed)"
        }
        return nil
    }
}
