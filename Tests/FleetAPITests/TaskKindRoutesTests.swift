import FleetAPI
import FleetCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /v1/tasks` for every kind and `POST /v1/tasks/{id}/confirm`, against ``FakeFleet`` (PICK at A, DROP at C,
/// robot 1 idle at B).
@Suite struct TaskKindRoutesTests {
    static func post(_ json: String) -> ByteBuffer { ByteBuffer(string: json) }

    static func createdRequests(_ fleet: FakeFleet) -> [TaskRequest] {
        fleet.records.compactMap { record -> TaskRequest? in
            if case .created(let request) = record.event { return request } else { return nil }
        }
    }

    @Test(arguments: [
        (
            #"{"id":"P-1","kind":"patrol","stops":["PICK","DROP","PICK"],"repeatEvery":600}"#, "patrol",
            ["PICK", "DROP", "PICK"]
        ),
        (#"{"id":"A-1","kind":"assist","stops":["DROP"],"person":"carer-2"}"#, "assist", ["DROP"]),
        (#"{"id":"H-1","kind":"handover","stops":["DROP"],"loadType":"tray"}"#, "handover", ["DROP"]),
        (
            #"{"id":"K-1","kind":"cooperative_carry","pick":"PICK","drop":"DROP","loadWeightKg":90}"#,
            "cooperative_carry", ["PICK", "DROP"]
        ),
        (#"{"id":"E-1","kind":"emergency","stops":["DROP"]}"#, "emergency", ["DROP"]),
        (
            #"{"id":"L-1","pick":"PICK","drop":"DROP","earliestStart":"2030-01-01T00:00:00Z"}"#, "transport",
            ["PICK", "DROP"]
        ),
    ])
    func submitCreatesEveryKind(body: String, kind: String, stops: [String]) async throws {
        try await withAPI { client, fleet in
            try await client.execute(
                uri: "/v1/tasks", method: .post, headers: Tokens.header(Tokens.operator), body: Self.post(body)
            ) { response in
                #expect(response.status == .created, "\(response.text)")
                #expect(response.object["kind"] as? String == kind)
                #expect(response.object["stops"] as? [String] == stops)
            }
            let request = try #require(Self.createdRequests(fleet).first)
            #expect(request.kind.rawValue == kind && request.stops == stops && request.requester == "shift-lead")
        }
    }

    @Test func submittedFieldsReachTheCoordinator() async throws {
        try await withAPI { client, fleet in
            let headers = Tokens.header(Tokens.operator)
            try await client.execute(
                uri: "/v1/tasks", method: .post, headers: headers,
                body: Self.post(#"{"id":"T-1","pick":"PICK","drop":"DROP"}"#))
            let body = #"""
                {"id":"K-2","kind":"cooperative_carry","pick":"PICK","drop":"DROP","robots":2,"priority":"urgent",
                 "after":["T-1"],"earliestStart":"2030-01-01T08:00:00.000Z","deadline":"2030-01-01T09:00:00Z",
                 "capabilities":["lift"]}
                """#
            try await client.execute(uri: "/v1/tasks", method: .post, headers: headers, body: Self.post(body)) {
                #expect($0.status == .created, "\($0.text)")
                #expect($0.object["robots"] as? Int == 2)
                #expect($0.object["after"] as? [String] == ["T-1"])
                #expect($0.object["earliestStart"] as? String == "2030-01-01T08:00:00.000Z")
            }
            let request = try #require(Self.createdRequests(fleet).last)
            #expect(request.kind == .cooperativeCarry && request.robots == 2 && request.priority == .urgent)
            #expect(request.after == ["T-1"] && request.requiredCapabilities == ["lift"])
            #expect(request.earliestStart == FleetTime(milliseconds: 1_893_484_800_000))
            #expect(request.deadline == FleetTime(milliseconds: 1_893_488_400_000))
        }
    }

    @Test(arguments: [
        (#"{"id":"X","kind":"charge"}"#, "field 'kind': charge tasks are created by the coordinator"),
        (#"{"id":"X","kind":"dance"}"#, "field 'kind': 'dance' is not one of transport, patrol"),
        (
            #"{"id":"X","kind":"cooperative_carry","pick":"PICK","drop":"DROP","robots":0}"#,
            "field 'robots': expected a whole number ≥ 1"
        ),
        (
            #"{"id":"X","kind":"cooperative_carry","pick":"PICK","drop":"DROP","robots":"two"}"#,
            "field 'robots': expected a whole number ≥ 1"
        ),
        (#"{"id":"X","kind":"cooperative_carry","pick":"PICK","drop":"DROP","robots":1}"#, "at least 2 robots"),
        (#"{"id":"X","kind":"patrol"}"#, "field 'stops': missing"),
        (#"{"id":"X","kind":"patrol","stops":"PICK"}"#, "field 'stops': expected a list of station ids"),
        (
            #"{"id":"X","kind":"patrol","stops":["PICK","NOPE"]}"#,
            "unknown station 'NOPE'; stations on this site include"
        ),
        (#"{"id":"X","kind":"assist","stops":["PICK","DROP"]}"#, "needs exactly one station"),
        (
            #"{"id":"X","kind":"emergency","stops":["DROP"],"priority":"low"}"#,
            "an emergency task has priority emergency"
        ),
        (
            #"{"id":"X","kind":"transport","pick":"PICK","drop":"DROP","person":"carer-2"}"#,
            "field 'person': only assist and handover"
        ),
        (#"{"id":"X","kind":"coverage","zone":"HALL"}"#, "unknown zone 'HALL'"),
        (
            #"{"id":"X","pick":"PICK","drop":"DROP","earliestStart":"tomorrow"}"#,
            "field 'earliestStart': 'tomorrow' is not an ISO 8601 time"
        ),
        (#"{"id":"X","pick":"PICK","drop":"DROP","after":["NOPE"]}"#, "field 'after': unknown task 'NOPE'"),
        (
            #"{"id":"X","kind":"patrol","stops":["PICK"],"repeatEvery":-5}"#,
            "field 'repeatEvery': expected a number of seconds > 0"
        ),
        (#"{"id":"X","pick":"PICK","drop":"DROP","repeatEvery":60}"#, "only a patrol can repeat"),
        (
            #"{"id":"X","pick":"PICK","drop":"DROP","priority":"asap"}"#,
            "'asap' is not low, normal, high, urgent or emergency"
        ),
    ])
    func submitRefusesInvalidKindsNamingTheField(body: String, detail: String) async throws {
        try await withAPI { client, fleet in
            try await client.execute(
                uri: "/v1/tasks", method: .post, headers: Tokens.header(Tokens.operator), body: Self.post(body)
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect((response.object["detail"] as? String)?.contains(detail) == true, "\(response.text)")
            }
            #expect(Self.createdRequests(fleet).isEmpty)
        }
    }

    @Test func confirmTakesThePersonsConfirmationAndJournalsIt() async throws {
        try await withAPI { client, fleet in
            fleet.handle(
                .taskRequested(TaskRequest(id: "A-1", kind: .assist, stops: ["DROP"], person: "carer-2")))
            let headers = Tokens.header(Tokens.operator)
            try await client.execute(
                uri: "/v1/tasks/A-1/confirm", method: .post, headers: headers,
                body: Self.post(#"{"person":"carer-2"}"#)
            ) { response in
                #expect(response.status == .ok, "\(response.text)")
                #expect(response.object["id"] as? String == "A-1")
                #expect(response.object["person"] as? String == "carer-2")
            }
            #expect(
                fleet.records.contains { $0.event == .humanAck(task: "A-1", person: "carer-2", actor: "shift-lead") })
            #expect(fleet.confirmations.map(\.actor) == ["shift-lead"])
        }
    }

    @Test func aResidentsCallMayBeConfirmedByStaffButNotByAnotherResident() async throws {
        try await withAPI { client, fleet in
            fleet.handle(.personRegistered("res-2", PersonProfile(role: .resident)))
            fleet.handle(.residentCall("CALL-1", resident: "res-1", station: "DROP"))
            let headers = Tokens.header(Tokens.operator)
            try await client.execute(
                uri: "/v1/tasks/CALL-1/confirm", method: .post, headers: headers,
                body: Self.post(#"{"person":"res-2"}"#)
            ) { response in
                #expect(response.status == .conflict, "\(response.text)")
                #expect(response.text.contains("must be confirmed by res-1, not res-2"), "\(response.text)")
            }
            try await client.execute(
                uri: "/v1/tasks/CALL-1/confirm", method: .post, headers: headers,
                body: Self.post(#"{"person":"carer-7"}"#)
            ) { response in
                #expect(response.status == .ok, "\(response.text)")
            }
            #expect(
                fleet.records.contains {
                    $0.event == .humanAck(task: "CALL-1", person: "carer-7", actor: "shift-lead")
                })
        }
    }

    @Test func confirmRefusalsAreProblemDetails() async throws {
        try await withAPI { client, fleet in
            fleet.handle(.taskRequested(TaskRequest(id: "A-1", kind: .assist, stops: ["DROP"], person: "carer-2")))
            fleet.handle(.taskRequested(TaskRequest(id: "T-1", pick: "PICK", drop: "DROP")))
            fleet.handle(.taskRequested(TaskRequest(id: "H-1", kind: .handover, stops: ["DROP"])))
            fleet.handle(.taskCancelRequested("H-1", .operatorRequest, detail: "not needed"))
            let headers = Tokens.header(Tokens.operator)
            let cases: [(String, String, Int, String)] = [
                ("A-404", #"{"person":"carer-2"}"#, 404, "no task 'A-404'"),
                ("A-1", #"{"person":"visitor"}"#, 409, "must be confirmed by carer-2, not visitor"),
                ("T-1", #"{"person":"carer-2"}"#, 409, "only assist and handover tasks are confirmed"),
                ("H-1", #"{"person":"carer-2"}"#, 409, "already cancelled"),
                ("A-1", #"{}"#, 422, "field 'person': missing"),
                ("A-1", #"{"person":""}"#, 422, "field 'person': expected a non-empty text"),
                ("A-1", #"{"person":7}"#, 422, "field 'person'"),
                ("A-1", #"{"person":"#, 400, "not valid JSON"),
            ]
            for (task, body, status, detail) in cases {
                try await client.execute(
                    uri: "/v1/tasks/\(task)/confirm", method: .post, headers: headers, body: Self.post(body)
                ) { response in
                    #expect(response.status.code == status, "\(task) \(body): \(response.text)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                    #expect((response.object["detail"] as? String)?.contains(detail) == true, "\(response.text)")
                }
            }
            #expect(!fleet.records.contains { $0.event.kind == "human_ack" })
            #expect(fleet.confirmations.isEmpty)
        }
    }
}
