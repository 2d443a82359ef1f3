import FleetCore
import Foundation
import VDA5050

/// Decodes the requester topics' JSON (contract: README "FleetPilot topics" and "Task kinds") and encodes status
/// replies.
///
/// Request: a ``FleetCore/TaskSubmission`` (every kind: `{"id":"T-0001","kind":"patrol","stops":["A","B"]}`,
/// `{"id":"T-0002","pick":"LS-01","drop":"KIT-1"}`...); `id` is required. Cancel:
/// `{"id":"T-0001","reason":"no longer needed"}`. Confirmation (on `tasks/{id}/confirm`): `{"person":"carer-2"}`.
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

    /// Decodes a task request of any kind through ``FleetCore/TaskSubmission`` (the checks the HTTP API makes too).
    /// - Parameter payload: the message payload.
    /// - Returns: the request.
    /// - Throws: ``Failure`` naming the field.
    public func request(_ payload: [UInt8]) throws(Failure) -> TaskRequest {
        do throws(TaskSubmission.Problem) {
            let submission = try Self.decode(TaskSubmission.self, payload)
            return try submission.request(time: Self.time)
        } catch {
            throw Failure(id: error.id, reason: error.description)
        }
    }

    /// Decodes a person's confirmation of task `id` (from the topic).
    /// - Parameters:
    ///   - payload: the message payload, `{"person":"carer-2"}`.
    ///   - id: the task id from the topic.
    /// - Returns: the confirming person.
    /// - Throws: ``Failure`` (with `id`) naming the field.
    public func confirmation(_ payload: [UInt8], task id: String) throws(Failure) -> String {
        do throws(TaskSubmission.Problem) {
            return try Self.decode(TaskSubmission.Confirmation.self, payload).confirmingPerson(task: id)
        } catch {
            throw Failure(id: id, reason: error.description)
        }
    }

    /// An ISO 8601 time (`2026-11-29T08:30:00.000Z`, fractional seconds optional) as a ``FleetCore/FleetTime``.
    /// - Parameter text: the text.
    /// - Returns: the instant, or `nil` when the text is not one.
    public static func time(_ text: String) -> FleetTime? {
        VDA5050Timestamp(iso8601: text).map { FleetTime(milliseconds: $0.millisecondsSince1970) }
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ payload: [UInt8]) throws(TaskSubmission.Problem) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(payload))
        } catch let problem as TaskSubmission.Problem {
            throw problem
        } catch {
            throw TaskSubmission.Problem(id: nil, field: nil, "not valid JSON (\(payload.count) bytes)")
        }
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
