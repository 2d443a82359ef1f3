import FleetAPI
import FleetCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct TaskRoutesTests {
    static func post(_ json: String) -> ByteBuffer { ByteBuffer(string: json) }

    @Test func submitCreatesATaskJournaledWithTheTokenNameAsRequester() async throws {
        try await withAPI { client, fleet in
            try await client.execute(
                uri: "/v1/tasks", method: .post, headers: Tokens.header(Tokens.operator),
                body: Self.post(#"{"id":"T-1","pick":"PICK","drop":"DROP","priority":"high"}"#)
            ) { response in
                #expect(response.status == .created)
                #expect(response.headers[.location] == "/v1/tasks/T-1")
                #expect(response.object["requester"] as? String == "shift-lead")
                #expect(response.object["priority"] as? String == "high")
                #expect(response.object["createdAt"] as? String == "2025-11-29T07:06:40.000Z")
            }
            let created = fleet.records.compactMap { record -> TaskRequest? in
                if case .created(let request) = record.event { return request } else { return nil }
            }
            #expect(created.map(\.requester) == ["shift-lead"])
        }
    }

    @Test func submitWithoutIdGeneratesOne() async throws {
        try await withAPI { client, _ in
            try await client.execute(
                uri: "/v1/tasks", method: .post, headers: Tokens.header(Tokens.admin),
                body: Self.post(#"{"pick":"PICK","drop":"DROP"}"#)
            ) { response in
                #expect(response.status == .created)
                #expect((response.object["id"] as? String)?.hasPrefix("T-") == true)
            }
        }
    }

    @Test(arguments: [
        (#"{"id":"T-1","pick":"NOPE","drop":"DROP"}"#, 422, "unknown pick station 'NOPE'"),
        (#"{"id":"T 1","pick":"PICK","drop":"DROP"}"#, 422, "may contain only"),
        (#"{"id":"T-1","pick":"PICK","drop":"DROP","priority":"asap"}"#, 422, "'asap' is not low"),
        (#"{"id":"T-1","kind":"patrol","pick":"PICK","drop":"DROP"}"#, 422, "a patrol task has no pick station"),
        (#"{"id":"T-1","pick":"PICK","drop":"PICK"}"#, 422, "the same"),
        (#"{"id":"T-1","pick":"PICK""#, 400, "not valid JSON"),
        (#"{"id":"T-1"}"#, 422, "field 'pick': missing"),
    ])
    func submitRefusesInvalidRequestsWithProblemDetails(body: String, status: Int, detail: String) async throws {
        try await withAPI { client, fleet in
            try await client.execute(
                uri: "/v1/tasks", method: .post, headers: Tokens.header(Tokens.operator), body: Self.post(body)
            ) { response in
                #expect(response.status.code == status)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect((response.object["detail"] as? String)?.contains(detail) == true, "\(response.text)")
                #expect(response.object["status"] as? Int == status)
                #expect(response.object["instance"] as? String == "/v1/tasks")
            }
            #expect(fleet.records.allSatisfy { $0.event.kind != "created" })
        }
    }

    @Test func submitRefusesADuplicateId() async throws {
        try await withAPI { client, _ in
            let body = #"{"id":"T-1","pick":"PICK","drop":"DROP"}"#
            let headers = Tokens.header(Tokens.operator)
            try await client.execute(uri: "/v1/tasks", method: .post, headers: headers, body: Self.post(body))
            try await client.execute(uri: "/v1/tasks", method: .post, headers: headers, body: Self.post(body)) {
                #expect($0.status == .conflict)
                #expect(($0.object["detail"] as? String)?.contains("already exists") == true)
            }
        }
    }

    @Test func listFiltersByStateAndPages() async throws {
        try await withAPI { client, fleet in
            for n in 1...5 {
                fleet.handle(.taskRequested(TaskRequest(id: TaskID("T-\(n)"), pick: "PICK", drop: "DROP")))
            }
            let viewer = Tokens.header(Tokens.viewer)
            try await client.execute(uri: "/v1/tasks?limit=2&offset=1", method: .get, headers: viewer) { response in
                #expect(response.status == .ok)
                #expect(response.object["total"] as? Int == 5)
                #expect((response.object["items"] as? [Any])?.count == 2)
            }
            try await client.execute(uri: "/v1/tasks?state=queued", method: .get, headers: viewer) { response in
                let items = response.object["items"] as? [[String: Any]] ?? []
                #expect(items.count == 4)
                #expect(items.allSatisfy { $0["state"] as? String == "queued" })
            }
            try await client.execute(uri: "/v1/tasks?state=dispatched,queued", method: .get, headers: viewer) {
                #expect($0.object["total"] as? Int == 5)
            }
            for bad in ["state=lost", "limit=0", "limit=501", "offset=-1", "limit=x"] {
                try await client.execute(uri: "/v1/tasks?\(bad)", method: .get, headers: viewer) {
                    #expect($0.status == .unprocessableContent, "\(bad)")
                }
            }
        }
    }

    @Test func getReturnsATaskOr404() async throws {
        try await withAPI { client, fleet in
            fleet.handle(.taskRequested(TaskRequest(id: "T-9", pick: "PICK", drop: "DROP", requester: "mes")))
            let viewer = Tokens.header(Tokens.viewer)
            try await client.execute(uri: "/v1/tasks/T-9", method: .get, headers: viewer) { response in
                #expect(response.status == .ok)
                #expect(response.object["state"] as? String == "dispatched")
                #expect(response.object["robot"] as? String == "acme/AMR-1")
            }
            try await client.execute(uri: "/v1/tasks/T-404", method: .get, headers: viewer) { response in
                #expect(response.status == .notFound)
                #expect((response.object["detail"] as? String)?.contains("GET /v1/tasks") == true)
            }
        }
    }

    @Test func cancelJournalsTheActorAndRefusesTwice() async throws {
        try await withAPI { client, fleet in
            fleet.handle(.taskRequested(TaskRequest(id: "T-1", pick: "PICK", drop: "DROP")))
            let headers = Tokens.header(Tokens.operator)
            try await client.execute(
                uri: "/v1/tasks/T-1/cancel", method: .post, headers: headers,
                body: Self.post(#"{"reason":"line stopped"}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.object["state"] as? String == "cancelled")
            }
            let cancelled = fleet.records.compactMap { record -> String? in
                if case .canceled(_, .operatorRequest, let detail) = record.event { return detail } else { return nil }
            }
            #expect(cancelled == ["cancelled by 'shift-lead': line stopped"])
            try await client.execute(uri: "/v1/tasks/T-1/cancel", method: .post, headers: headers) {
                #expect($0.status == .conflict)
            }
            try await client.execute(uri: "/v1/tasks/T-2/cancel", method: .post, headers: headers) {
                #expect($0.status == .notFound)
            }
            try await client.execute(
                uri: "/v1/tasks/T-1/cancel", method: .post, headers: headers, body: Self.post("reason")
            ) { #expect($0.status == .badRequest) }
        }
    }
}
