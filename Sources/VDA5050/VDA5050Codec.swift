import Foundation

/// Turns MQTT payloads into VDA 5050 messages and back, with errors that name the offending field.
///
/// Decoding checks, in order: the payload size (``maxPayloadBytes``), UTF-8 validity, JSON syntax (including a
/// nesting limit of ``maxNestingDepth``), then the message's fields. Unknown fields are ignored. NaN and Infinity
/// are rejected both ways.
public struct VDA5050Codec: Sendable {
    /// The largest payload ``decode(_:from:)`` accepts, in bytes (default 1 MiB).
    public var maxPayloadBytes: Int
    /// The deepest array/object nesting ``decode(_:from:)`` accepts (default 512, as Foundation's JSON parser).
    public var maxNestingDepth: Int

    /// Creates a codec.
    ///
    /// - Parameters:
    ///   - maxPayloadBytes: The largest accepted payload in bytes.
    ///   - maxNestingDepth: The deepest accepted array/object nesting.
    public init(maxPayloadBytes: Int = 1 << 20, maxNestingDepth: Int = 512) {
        self.maxPayloadBytes = maxPayloadBytes
        self.maxNestingDepth = maxNestingDepth
    }

    /// Decodes a message of the given type from an MQTT payload.
    ///
    /// - Parameters:
    ///   - type: The message type, e.g. `State.self`.
    ///   - bytes: The payload.
    /// - Returns: The message.
    /// - Throws: ``VDA5050DecodingError``: `payloadTooLarge`, `invalidUTF8`, `malformedJSON`, `missingField` (with
    ///   the path of the containing object, e.g. `nodes[2].actions[0]`) or `invalidValue` (with the field's path).
    public func decode<M: VDA5050Message>(_ type: M.Type, from bytes: some Collection<UInt8>)
        throws(VDA5050DecodingError)
        -> M
    {
        let count = bytes.count
        guard count <= maxPayloadBytes else { throw .payloadTooLarge(size: count, limit: maxPayloadBytes) }
        let data = Data(bytes)
        if let offset = Self.firstInvalidUTF8Offset(in: data) { throw .invalidUTF8(offset: offset) }
        // The scan is iterative and cheap; it bounds nesting before the recursive parser sees the text and gives
        // syntax errors an offset and a reason, which JSONDecoder does not report.
        var scanner = JSONSyntaxScanner(maxDepth: maxNestingDepth)
        if let problem = data.withUnsafeBytes({ scanner.firstProblem(in: $0.bindMemory(to: UInt8.self)) }) {
            throw .malformedJSON(offset: problem.offset, reason: problem.reason)
        }
        do {
            return try JSONDecoder().decode(M.self, from: data)
        } catch let error as DecodingError {
            throw Self.map(error)
        } catch {
            throw .malformedJSON(offset: 0, reason: "\(error)")
        }
    }

    /// Encodes a message as compact UTF-8 JSON; optional fields that are nil are left out.
    ///
    /// - Parameter message: The message.
    /// - Returns: The payload.
    /// - Throws: ``VDA5050EncodingError/nonFiniteNumber(path:value:)`` when a number is NaN or infinite.
    public func encode(_ message: some VDA5050Message) throws(VDA5050EncodingError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        do {
            return [UInt8](try encoder.encode(message))
        } catch let EncodingError.invalidValue(value, context) {
            let path = Self.render(context.codingPath)
            if let d = value as? Double, !d.isFinite { throw .nonFiniteNumber(path: path, value: d) }
            if let f = value as? Float, !f.isFinite { throw .nonFiniteNumber(path: path, value: Double(f)) }
            throw .invalidValue(path: path, reason: context.debugDescription)
        } catch {
            throw .invalidValue(path: "", reason: "\(error)")
        }
    }

    /// Renders a coding path as `nodes[2].actions[0].blockingType`.
    static func render(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == "\(index)" {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    static func map(_ error: DecodingError) -> VDA5050DecodingError {
        switch error {
        case .keyNotFound(let key, let context):
            return .missingField(path: render(context.codingPath), field: key.stringValue)
        case .typeMismatch(_, let context):
            return .invalidValue(path: render(context.codingPath), reason: context.debugDescription)
        case .valueNotFound(_, let context):
            return .invalidValue(path: render(context.codingPath), reason: "null is not allowed here")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty, context.underlyingError == nil {
                // The syntax scan passed, so the text is JSON. Foundation reports a number that does not fit its
                // field's integer type this way, without a path.
                return .invalidValue(
                    path: "",
                    reason: "a number does not fit its field's type (negative, fractional or too large for an "
                        + "integer field); the decoder does not say which field")
            }
            return .invalidValue(path: render(context.codingPath), reason: context.debugDescription)
        @unknown default:
            return .malformedJSON(offset: 0, reason: "\(error)")
        }
    }

    /// The offset of the first byte that is not part of well-formed UTF-8, or nil.
    static func firstInvalidUTF8Offset(in data: Data) -> Int? {
        data.withUnsafeBytes { raw -> Int? in
            let bytes = raw.bindMemory(to: UInt8.self)
            // Payloads are mostly ASCII: skip the scalar parser unless a byte needs it.
            guard let firstNonASCII = bytes.firstIndex(where: { $0 >= 0x80 }) else { return nil }
            var iterator = UnsafeBufferPointer(rebasing: bytes[firstNonASCII...]).makeIterator()
            var parser = Unicode.UTF8.ForwardParser()
            var offset = firstNonASCII
            while true {
                switch parser.parseScalar(from: &iterator) {
                case .valid(let encoded): offset += encoded.count
                case .emptyInput: return nil
                case .error: return offset
                }
            }
        }
    }

}

/// Why a message could not be encoded.
public enum VDA5050EncodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A number is NaN or infinite, which JSON cannot carry; `path` names the field, e.g. `nodes[0].nodePosition.x`.
    case nonFiniteNumber(path: String, value: Double)
    /// Another value could not be encoded.
    case invalidValue(path: String, reason: String)

    /// A message that names the field.
    public var description: String {
        switch self {
        case .nonFiniteNumber(let path, let value):
            return "cannot encode '\(path)': \(value) is not a finite number and JSON has no literal for it"
        case .invalidValue(let path, let reason):
            return "cannot encode '\(path)': \(reason)"
        }
    }
}
