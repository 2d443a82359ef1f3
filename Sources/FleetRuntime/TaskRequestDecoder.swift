import FleetCore
import Foundation
import VDA5050

/// Decodes the requester topics' JSON (contract: README "FleetPilot topics") and encodes status replies.
///
/// Request: `{"id":"T-0001","kind":"transport","pick":"LS-01","drop":"KIT-1","priority":"normal",
/// "loadType":"KLT","loadWeightKg":12.5,"capabilities":["klt"],"deadline":"2026-11-29T08:30:00.000Z",
/// "requester":"mes"}`; `id`, `pick`, `drop` required. Cancel: `{"id":"T-0001","reason":"no longer needed"}`.
public struct TaskRequestDecoder: Sendable {
    /// Why a request could not be decoded; `id` is set when one could be read (a `rejected` reply goes there).
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// The task id, if the payload had a readable one.
        public var id: String?
        /// What was wrong, e.g. `field 'pick': missing`.
        public var reason: String
        /// The reason.
        public var description: String { reason }
    }

    /// Creates a decoder.
    public init() {}

    /// Decodes a task request.
    /// - Parameter payload: the message payload.
    /// - Returns: the request.
    /// - Throws: ``Failure`` naming the field.
    public func request(_ payload: [UInt8]) throws(Failure) -> TaskRequest {
        let object = try Self.object(payload)
        let id = try Self.id(object)
        guard VDA5050Mapping.isPermittedID(id) else {
            throw Failure(
                id: id,
                reason:
                    "field 'id': '\(id)' may contain only A-Z a-z 0-9 _ - . : (it becomes part of VDA 5050 order ids)")
        }
        func text(_ key: String, required: Bool) throws(Failure) -> String? {
            guard let value = object[key], !(value is NSNull) else {
                if required { throw Failure(id: id, reason: "field '\(key)': missing") }
                return nil
            }
            guard let text = value as? String, !text.isEmpty else {
                throw Failure(id: id, reason: "field '\(key)': expected a non-empty text")
            }
            return text
        }
        let kind = try text("kind", required: false) ?? "transport"
        guard kind == "transport" else { throw Failure(id: id, reason: "field 'kind': unsupported kind '\(kind)'") }
        var priority = TaskPriority.normal
        if let name = try text("priority", required: false) {
            guard let value = TaskPriority(rawValue: name) else {
                throw Failure(id: id, reason: "field 'priority': '\(name)' is not low, normal, high or urgent")
            }
            priority = value
        }
        var weight: Double?
        if let value = object["loadWeightKg"], !(value is NSNull) {
            guard let number = value as? NSNumber, !(value is Bool), number.doubleValue.isFinite else {
                throw Failure(id: id, reason: "field 'loadWeightKg': expected a number")
            }
            weight = number.doubleValue
        }
        var capabilities: Set<String> = []
        if let value = object["capabilities"], !(value is NSNull) {
            guard let list = value as? [Any], let names = list as? [String] else {
                throw Failure(id: id, reason: "field 'capabilities': expected a list of texts")
            }
            capabilities = Set(names)
        }
        var deadline: FleetTime?
        if let text = try text("deadline", required: false) {
            guard let time = VDA5050Timestamp(iso8601: text) else {
                throw Failure(id: id, reason: "field 'deadline': '\(text)' is not an ISO 8601 time")
            }
            deadline = FleetTime(milliseconds: time.millisecondsSince1970)
        }
        return TaskRequest(
            id: TaskID(id), pick: try text("pick", required: true)!, drop: try text("drop", required: true)!,
            loadType: try text("loadType", required: false), loadWeightKg: weight, requiredCapabilities: capabilities,
            priority: priority, deadline: deadline, requester: try text("requester", required: false) ?? "unknown")
    }

    /// Decodes a cancel request.
    /// - Parameter payload: the message payload.
    /// - Returns: the task id and the reason (empty when none was given).
    /// - Throws: ``Failure`` naming the field.
    public func cancel(_ payload: [UInt8]) throws(Failure) -> (id: TaskID, reason: String) {
        let object = try Self.object(payload)
        let id = try Self.id(object)
        return (TaskID(id), object["reason"] as? String ?? "")
    }

    /// The status message, e.g. `{"id":"T-0001","state":"queued","robot":null,"reason":null,"time":"..."}`.
    /// - Parameters:
    ///   - id: the task id.
    ///   - state: `requested queued assigned dispatched inProgress completed failed cancelled` or `rejected`.
    ///   - robot: the robot bound to the task, if any.
    ///   - reason: why, if there is a reason.
    ///   - time: when.
    /// - Returns: the JSON text.
    public static func status(id: String, state: String, robot: RobotID?, reason: String?, time: FleetTime) -> String {
        let t = VDA5050Timestamp(millisecondsSince1970: time.milliseconds).iso8601
        return "{\"id\":\(JournalCodec.jsonString(id)),\"state\":\(JournalCodec.jsonString(state)),"
            + "\"robot\":\(JournalCodec.jsonString(robot?.description)),\"reason\":\(JournalCodec.jsonString(reason)),"
            + "\"time\":\"\(t)\"}"
    }

    private static func object(_ payload: [UInt8]) throws(Failure) -> [String: Any] {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(payload))
        } catch {
            throw Failure(id: nil, reason: "not valid JSON (\(payload.count) bytes)")
        }
        guard let object = parsed as? [String: Any] else { throw Failure(id: nil, reason: "expected a JSON object") }
        return object
    }

    private static func id(_ object: [String: Any]) throws(Failure) -> String {
        guard let value = object["id"] else { throw Failure(id: nil, reason: "field 'id': missing") }
        guard let id = value as? String, !id.isEmpty else {
            throw Failure(id: nil, reason: "field 'id': expected a non-empty text")
        }
        guard !id.contains(where: { "/+#".contains($0) }) else {
            throw Failure(id: nil, reason: "field 'id': '\(id)' contains '/', '+' or '#' (it is a topic level)")
        }
        return id
    }
}
