import FleetCore
import Foundation

/// Decodes what people's devices publish on `fleetpilot/v1/{site}/people/{id}/{kind}` (contract: README
/// "FleetPilot topics", "People's devices") into ``FleetCore/FleetEvent``s; the person is the topic's `{id}`.
///
/// - `presence`: `{"present":true,"station":"ROOM-12"}` or `{"node":"N7"}` (`present` defaults to `true`; at most
///   one of `station` and `node`). With `"role":"caregiver"` (and optional `"skills":["lift-assist"]`) the
///   person is registered (or re-registered: role and skills replaced, always on shift) before the presence.
/// - `ack`, `reject`, `arrived`: `{"task":"CALL-7"}`.
/// - `confirm`: `{"task":"T-1"}`, the same as `{"person":"{id}"}` on `tasks/T-1/confirm`.
/// - `call`: `{"id":"CALL-7","station":"ROOM-12"}`, the topic's person being the resident.
/// - `alert`: `{"id":"FALL-3","station":"ROOM-12","detected":"2026-11-29T03:12:00.000Z"}`.
///
/// Ids (the topic's person, `task`, `id`) must be non-empty and free of `/`, `+` and `#`. Unknown fields are
/// ignored. Whether a task, person or station exists is for the coordinator (and the shell) to judge.
public struct PersonMessageDecoder: Sendable {
    /// Creates a decoder.
    public init() {}

    /// Decodes one message of `person`'s device.
    /// - Parameters:
    ///   - kind: the topic's last level.
    ///   - person: the topic's person level.
    ///   - payload: the message payload.
    /// - Returns: the events, in order (a registering presence gives two).
    /// - Throws: `TaskRequestDecoder.Failure` naming the field; its `id` is set for a call or alert whose id
    ///   could be read (the refusal is answered on that task's status topic).
    public func decode(_ kind: PersonMessageKind, person: String, payload: [UInt8]) throws(TaskRequestDecoder.Failure)
        -> [FleetEvent]
    {
        let id = PersonID(try Self.topicLevel(person))
        let object = try Self.object(payload)
        switch kind {
        case .presence:
            return try presence(object, person: id)
        case .ack:
            return [.personAcknowledged(TaskID(try Self.text(object, "task")), person: id)]
        case .reject:
            return [.personRejected(TaskID(try Self.text(object, "task")), person: id)]
        case .arrived:
            return [.personArrived(TaskID(try Self.text(object, "task")), person: id)]
        case .confirm:
            return [.taskConfirmed(TaskID(try Self.text(object, "task")), person: id.rawValue)]
        case .call:
            let task = try Self.text(object, "id")
            do throws(TaskRequestDecoder.Failure) {
                let station = try Self.text(object, "station")
                return [.residentCall(TaskID(task), resident: id, station: station)]
            } catch {
                throw TaskRequestDecoder.Failure(id: task, reason: error.reason)
            }
        case .alert:
            let task = try Self.text(object, "id")
            do throws(TaskRequestDecoder.Failure) {
                let station = try Self.text(object, "station")
                let text = try Self.text(object, "detected", id: false)
                guard let detected = TaskRequestDecoder.time(text) else {
                    throw TaskRequestDecoder.Failure(
                        id: nil, reason: "field 'detected': '\(text)' is not an ISO 8601 time")
                }
                return [.fallAlert(TaskID(task), resident: id, station: station, detectedAt: detected)]
            } catch {
                throw TaskRequestDecoder.Failure(id: task, reason: error.reason)
            }
        }
    }

    private func presence(_ object: [String: Any], person: PersonID) throws(TaskRequestDecoder.Failure)
        -> [FleetEvent]
    {
        var present = true
        if let value = object["present"] {
            guard let flag = value as? Bool else {
                throw TaskRequestDecoder.Failure(id: nil, reason: "field 'present': expected true or false")
            }
            present = flag
        }
        let station = try object["station"] == nil ? nil : Self.text(object, "station")
        let node = try object["node"] == nil ? nil : Self.text(object, "node")
        let location: PersonLocation?
        switch (station, node) {
        case (let station?, nil): location = .station(station)
        case (nil, let node?): location = .node(node)
        case (nil, nil): location = nil
        case (.some, .some):
            throw TaskRequestDecoder.Failure(id: nil, reason: "fields 'station' and 'node': give at most one")
        }
        var events: [FleetEvent] = []
        if let value = object["role"] {
            let roles = PersonRole.allCases.map(\.rawValue)
            guard let text = value as? String, let role = PersonRole(rawValue: text) else {
                throw TaskRequestDecoder.Failure(
                    id: nil, reason: "field 'role': expected one of \(roles.joined(separator: ", "))")
            }
            var skills: Set<String> = []
            if let value = object["skills"] {
                guard let list = value as? [Any], let texts = list as? [String], !texts.contains(where: \.isEmpty)
                else {
                    throw TaskRequestDecoder.Failure(id: nil, reason: "field 'skills': expected a list of texts")
                }
                skills = Set(texts)
            }
            events.append(.personRegistered(person, PersonProfile(role: role, skills: skills)))
        } else if object["skills"] != nil {
            throw TaskRequestDecoder.Failure(id: nil, reason: "field 'skills': only with 'role' (registration)")
        }
        events.append(.personPresence(person, present: present, location: location))
        return events
    }

    private static func topicLevel(_ person: String) throws(TaskRequestDecoder.Failure) -> String {
        guard !person.isEmpty else { throw TaskRequestDecoder.Failure(id: nil, reason: "topic: empty person id") }
        guard !person.contains(where: { "/+#".contains($0) }) else {
            throw TaskRequestDecoder.Failure(
                id: nil, reason: "topic: person id '\(person)' contains '/', '+' or '#' (wildcards are no ids)")
        }
        return person
    }

    private static func object(_ payload: [UInt8]) throws(TaskRequestDecoder.Failure) -> [String: Any] {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(payload))
        } catch {
            throw TaskRequestDecoder.Failure(id: nil, reason: "not valid JSON (\(payload.count) bytes)")
        }
        guard let object = parsed as? [String: Any] else {
            throw TaskRequestDecoder.Failure(id: nil, reason: "expected a JSON object")
        }
        return object
    }

    /// A required, non-empty text field; an `id` (task, station, node) may not contain `/`, `+` or `#`.
    private static func text(_ object: [String: Any], _ field: String, id: Bool = true)
        throws(TaskRequestDecoder.Failure) -> String
    {
        guard let value = object[field] else {
            throw TaskRequestDecoder.Failure(id: nil, reason: "field '\(field)': missing")
        }
        guard let text = value as? String, !text.isEmpty else {
            throw TaskRequestDecoder.Failure(id: nil, reason: "field '\(field)': expected a non-empty text")
        }
        guard !id || !text.contains(where: { "/+#".contains($0) }) else {
            throw TaskRequestDecoder.Failure(
                id: nil, reason: "field '\(field)': '\(text)' contains '/', '+' or '#' (it is a topic level)")
        }
        return text
    }
}
