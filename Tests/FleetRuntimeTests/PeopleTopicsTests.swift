import FleetCore
import FleetMQTT
import FleetRuntime
import FleetTestKit
import Foundation
import Logging
import Testing

/// People's devices at the wire: the `people/{id}/{kind}` topics, their JSON, the refusals, and the notifications
/// fleetd publishes on `people/{id}/notify`.
@Suite struct PeopleMessageDecoderTests {
    static let topics = FleetTopics(site: "site-1")

    static func decode(_ kind: PersonMessageKind, _ person: String, _ json: String) throws -> [FleetEvent] {
        try PersonMessageDecoder().decode(kind, person: person, payload: Array(json.utf8))
    }

    static func failure(_ kind: PersonMessageKind, _ person: String, _ json: String) -> TaskRequestDecoder.Failure? {
        do {
            _ = try PersonMessageDecoder().decode(kind, person: person, payload: Array(json.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test func topicsAndFilters() {
        let t = Self.topics
        #expect(t.person("carer-2", .ack) == "fleetpilot/v1/site-1/people/carer-2/ack")
        #expect(t.personNotify("carer-2") == "fleetpilot/v1/site-1/people/carer-2/notify")
        #expect(
            t.peopleFilters.count == 7 && t.peopleFilters.allSatisfy { $0.hasPrefix("fleetpilot/v1/site-1/people/+/") })
        #expect(!t.peopleFilters.contains { $0.hasSuffix("/notify") })
        #expect(t.personMessage("fleetpilot/v1/site-1/people/res-4/call")! == ("res-4", .call))
        #expect(t.personMessage("fleetpilot/v1/site-1/people/res-4/notify")! == ("res-4", nil))
        #expect(t.personMessage("fleetpilot/v1/site-1/people/res-4/call/x")! == ("res-4", nil))
        #expect(t.personMessage("fleetpilot/v1/site-1/tasks/request") == nil)
        #expect(t.personMessage("fleetpilot/v1/site-2/people/res-4/call") == nil)
    }

    @Test func presence() throws {
        #expect(
            try Self.decode(.presence, "carer-2", #"{"present":true,"station":"ROOM-12"}"#) == [
                .personPresence("carer-2", present: true, location: .station("ROOM-12"))
            ])
        #expect(
            try Self.decode(.presence, "carer-2", #"{"node":"N7"}"#) == [
                .personPresence("carer-2", present: true, location: .node("N7"))
            ])
        #expect(
            try Self.decode(.presence, "carer-2", #"{"present":false}"#) == [
                .personPresence("carer-2", present: false, location: nil)
            ])
    }

    @Test func presenceWithRoleRegisters() throws {
        let events = try Self.decode(
            .presence, "carer-2", #"{"role":"caregiver","skills":["lift-assist","medication"],"node":"N7"}"#)
        #expect(
            events == [
                .personRegistered("carer-2", PersonProfile(role: .caregiver, skills: ["lift-assist", "medication"])),
                .personPresence("carer-2", present: true, location: .node("N7")),
            ])
        #expect(
            try Self.decode(.presence, "lw-1", #"{"role":"line_worker"}"#).first
                == .personRegistered("lw-1", PersonProfile(role: .lineWorker)))
    }

    @Test func answers() throws {
        #expect(
            try Self.decode(.ack, "carer-2", #"{"task":"CALL-7"}"#) == [
                .personAcknowledged("CALL-7", person: "carer-2")
            ])
        #expect(
            try Self.decode(.reject, "carer-2", #"{"task":"CALL-7"}"#) == [.personRejected("CALL-7", person: "carer-2")]
        )
        #expect(
            try Self.decode(.arrived, "carer-2", #"{"task":"CALL-7"}"#) == [.personArrived("CALL-7", person: "carer-2")]
        )
        #expect(try Self.decode(.confirm, "carer-2", #"{"task":"T-1"}"#) == [.taskConfirmed("T-1", person: "carer-2")])
    }

    @Test func callAndAlert() throws {
        #expect(
            try Self.decode(.call, "res-4", #"{"id":"CALL-7","station":"ROOM-12"}"#) == [
                .residentCall("CALL-7", resident: "res-4", station: "ROOM-12")
            ])
        #expect(
            try Self.decode(
                .alert, "res-4", #"{"id":"FALL-3","station":"ROOM-12","detected":"2026-11-29T08:00:00.500Z"}"#)
                == [
                    .fallAlert(
                        "FALL-3", resident: "res-4", station: "ROOM-12",
                        detectedAt: FleetTime(milliseconds: 1_795_939_200_500))
                ])
    }

    @Test(
        arguments: [
            (PersonMessageKind.ack, "carer-2", "{\"task\":", nil, "not valid JSON"),
            (.ack, "carer-2", "[1,2]", nil, "expected a JSON object"),
            (.ack, "carer-2", "{}", nil, "field 'task': missing"),
            (.reject, "carer-2", #"{"task":7}"#, nil, "field 'task': expected a non-empty text"),
            (.arrived, "carer-2", #"{"task":""}"#, nil, "field 'task': expected a non-empty text"),
            (.confirm, "carer-2", #"{"task":"T+1"}"#, nil, "field 'task': 'T+1' contains '/', '+' or '#'"),
            (.ack, "", #"{"task":"CALL-7"}"#, nil, "topic: empty person id"),
            (.ack, "+", #"{"task":"CALL-7"}"#, nil, "topic: person id '+' contains"),
            (.presence, "#", "{}", nil, "topic: person id '#' contains"),
            (.presence, "carer-2", #"{"present":"yes"}"#, nil, "field 'present': expected true or false"),
            (
                .presence, "carer-2", #"{"station":"R1","node":"N1"}"#, nil,
                "fields 'station' and 'node': give at most one"
            ),
            (.presence, "carer-2", #"{"node":5}"#, nil, "field 'node': expected a non-empty text"),
            (.presence, "carer-2", #"{"role":"pilot"}"#, nil, "field 'role': expected one of line_worker, team_lead"),
            (
                .presence, "carer-2", #"{"role":"nurse","skills":"all"}"#, nil,
                "field 'skills': expected a list of texts"
            ),
            (.presence, "carer-2", #"{"skills":["x"]}"#, nil, "field 'skills': only with 'role'"),
            (.call, "res-4", #"{"station":"ROOM-12"}"#, nil, "field 'id': missing"),
            (.call, "res-4", #"{"id":"CALL/7","station":"ROOM-12"}"#, nil, "field 'id': 'CALL/7' contains"),
            (.call, "res-4", #"{"id":"CALL-7"}"#, "CALL-7", "field 'station': missing"),
            (.alert, "res-4", #"{"id":"FALL-3","station":"ROOM-12"}"#, "FALL-3", "field 'detected': missing"),
            (
                .alert, "res-4", #"{"id":"FALL-3","station":"ROOM-12","detected":"just now"}"#, "FALL-3",
                "field 'detected': 'just now' is not an ISO 8601 time"
            ),
        ] as [(PersonMessageKind, String, String, String?, String)])
    func badInput(kind: PersonMessageKind, person: String, json: String, id: String?, reason: String) throws {
        let failure = try #require(Self.failure(kind, person, json))
        #expect(failure.id == id)
        #expect(failure.reason.hasPrefix(reason), "\(failure.reason)")
    }

    @Test("the ingress routes people's topics, counts each message and each refusal")
    func ingress() {
        let statistics = RuntimeStatistics()
        var decoder = IngressDecoder(
            topics: Self.topics, interfaceName: "uagv", fleet: [], maxPayloadBytes: 4096,
            clock: FleetClock(mode: .wall), statistics: statistics, logger: Logger(label: "test"))
        var inputs: [ShellInput] = []
        func send(_ topic: String, _ json: String) {
            decoder.decode(
                MQTTMessage(topic: "fleetpilot/v1/site-1/people/" + topic, payload: Array(json.utf8)), into: &inputs)
        }
        send("res-4/call", #"{"id":"CALL-7","station":"ROOM-12"}"#)
        send("carer-2/ack", #"{"task":"CALL-7"}"#)
        send("res-4/call", #"{"id":"CALL-8"}"#)
        send("carer-2/ack", "nonsense")
        send("carer-2/dance", #"{"task":"CALL-7"}"#)
        #expect(
            inputs == [
                .event(.residentCall("CALL-7", resident: "res-4", station: "ROOM-12")),
                .event(.personAcknowledged("CALL-7", person: "carer-2")),
                .refusedRequest(id: "CALL-8", reason: "malformed call: field 'station': missing"),
            ])
        let counters = statistics.snapshot
        #expect(counters.personMessages == 2 && counters.malformedPersonMessages == 2 && counters.badTopics == 1)
    }
}

@Suite("People's devices against a real broker and journal", .serialized)
struct PeopleShellTests {
    @Test("a registered caregiver is notified of a fall on people/{id}/notify after the escalated record")
    func fallNotifiesCaregiver() async throws {
        let harness = try ShellHarness()
        let daemon = try await harness.startDaemon()
        let (observer, seen) = try await harness.observer()
        let device = try await harness.requester()
        func send(_ topic: String, _ json: String) async throws {
            try await device.publishAndWait(topic: "fleetpilot/v1/site-1/people/" + topic, string: json)
        }
        try await send("carer-2/presence", #"{"role":"caregiver","skills":["lift-assist"],"node":"N1"}"#)
        try await send("ghost/presence", #"{"node":"N1"}"#)
        try await send("carer-2/presence", #"{"station":"NOPE"}"#)
        try await send("carer-2/ack", #"{"task":"#)
        try await waitUntil("presence handled") {
            let c = daemon.service.counters
            return c.personMessages == 3 && c.refusedPersonMessages == 2 && c.malformedPersonMessages == 1
        }
        try await send("res-4/alert", #"{"id":"FALL-3","station":"S1","detected":"2026-11-29T03:12:00.000Z"}"#)

        let notifyTopic = "fleetpilot/v1/site-1/people/carer-2/notify"
        let (notification, notifyIndex) = try await seen.waitForElement(timeout: .seconds(10)) {
            $0.topic == notifyTopic
        }
        #expect(notification.json["task"] as? String == "FALL-3")
        #expect(notification.json["alert"] as? String == "fall")
        #expect(notification.json["resident"] as? String == "res-4")
        #expect(notification.json["station"] as? String == "S1")
        #expect(notification.json["level"] as? Int == 1)
        #expect(notification.json["reason"] as? String == "fall_alert")
        let escalated = try #require(
            seen.elements.firstIndex {
                $0.topic.hasSuffix("/events") && $0.json["kind"] as? String == "escalated"
                    && $0.json["task"] as? String == "FALL-3"
            })
        #expect(escalated < notifyIndex)

        try await send("carer-2/ack", #"{"task":"FALL-3"}"#)
        try await send("carer-2/arrived", #"{"task":"FALL-3"}"#)
        try await waitUntil(timeout: .seconds(10), "arrival journaled") {
            (try? harness.journalKinds(task: "FALL-3").contains("human_arrived")) == true
        }
        let kinds = try harness.journalKinds(task: "FALL-3")
        #expect(kinds.contains("alert") && kinds.contains("escalated") && kinds.contains("human_ack"), "\(kinds)")
        try await daemon.stop()
        #expect(daemon.service.counters.notificationsPublished == 1)
        #expect(daemon.service.counters.personMessages == 6)
        await observer.disconnect()
        await device.disconnect()
    }

    @Test("a call for an unknown station is answered rejected; nobody on the roster means the nurse station")
    func callsWithoutCaregivers() async throws {
        let harness = try ShellHarness()
        let daemon = try await harness.startDaemon()
        let (observer, seen) = try await harness.observer()
        let device = try await harness.requester()
        let people = "fleetpilot/v1/site-1/people/"
        try await device.publishAndWait(topic: people + "res-4/call", string: #"{"id":"CALL-9","station":"NOPE"}"#)
        try await device.publishAndWait(topic: people + "res-4/call", string: #"{"id":"CALL-8"}"#)
        for (id, reason) in [("CALL-9", "unknown station 'NOPE'"), ("CALL-8", "field 'station': missing")] {
            let status = try await seen.waitForElement { $0.topic == "fleetpilot/v1/site-1/tasks/\(id)/status" }.element
            #expect(status.json["state"] as? String == "rejected")
            #expect((status.json["reason"] as? String)?.contains(reason) == true, "\(status.payloadString)")
        }
        try await device.publishAndWait(
            topic: people + "res-5/alert", string: #"{"id":"FALL-4","station":"S2","detected":"2026-11-29T03:12:00Z"}"#)
        let notification = try await seen.waitForElement(timeout: .seconds(10)) {
            $0.topic == people + "nurse-station/notify"
        }.element
        #expect(notification.json["task"] as? String == "FALL-4")
        try await daemon.stop()
        #expect(daemon.service.counters.malformedPersonMessages == 1)
        await observer.disconnect()
        await device.disconnect()
    }
}
