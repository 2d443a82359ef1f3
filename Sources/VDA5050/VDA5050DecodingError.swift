/// Why a VDA 5050 payload could not be turned into a message.
///
/// Every case says what was wrong and where, so it can be logged and counted as it is.
public enum VDA5050DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The payload is larger than the configured limit.
    case payloadTooLarge(size: Int, limit: Int)
    /// The payload is not valid UTF-8; `offset` is the byte where decoding failed.
    case invalidUTF8(offset: Int)
    /// The payload is not syntactically valid JSON (truncated, NaN/Infinity literals, trailing garbage, ...).
    case malformedJSON(offset: Int, reason: String)
    /// A required field is absent; `path` is the dotted path of the containing object, e.g. `nodeStates[2]`.
    case missingField(path: String, field: String)
    /// A field has the wrong JSON type or an out-of-range value.
    case invalidValue(path: String, reason: String)

    /// A message a person can act on, naming the field path or byte offset.
    public var description: String {
        switch self {
        case .payloadTooLarge(let size, let limit):
            return "payload of \(size) bytes exceeds the limit of \(limit) bytes"
        case .invalidUTF8(let offset):
            return "payload is not valid UTF-8 (at byte \(offset))"
        case .malformedJSON(let offset, let reason):
            return "malformed JSON at byte \(offset): \(reason)"
        case .missingField(let path, let field):
            return path.isEmpty ? "missing required field '\(field)'" : "missing required field '\(path).\(field)'"
        case .invalidValue(let path, let reason):
            return path.isEmpty ? "invalid message: \(reason)" : "invalid value at '\(path)': \(reason)"
        }
    }
}
