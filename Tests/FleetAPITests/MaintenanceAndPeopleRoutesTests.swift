import FleetAPI
import FleetCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct MaintenanceAndPeopleRoutesTests {
    static func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    @Test func maintenanceTakesTheRobotOutRequeuesItsTaskAndEndsOnRequest() async throws {
        try await withAPI { client, fleet in
            let headers = Tokens.header(Tokens.operator)
            fleet.handle(.taskRequested(TaskRequest(id: "T-1", pick: "PICK", drop: "DROP")))
            #expect(fleet.state.withLock { $0.coordinator.busy[FakeFleet.robot1] } == "T-1")
            try await client.execute(
                uri: "/v1/robots/acme/AMR-1/maintenance", method: .post, headers: headers,
                body: Self.json(#"{"reason":"wheel check"}"#)
            ) { response in
                #expect(response.status == .ok, "\(response.text)")
                #expect(response.object["status"] as? String == "maintenance")
                #expect(response.object["task"] == nil)
                let maintenance = response.object["maintenance"] as? [String: Any]
                #expect(maintenance?["actor"] as? String == "shift-lead")
                #expect(maintenance?["reason"] as? String == "wheel check")
            }
            #expect(
                fleet.records.contains {
                    $0.event
                        == .maintenance(
                            robot: FakeFleet.robot1, active: true, actor: "shift-lead", reason: "wheel check")
                })
            #expect(fleet.state.withLock { $0.coordinator.tasks["T-1"]?.state } == .queued)
            try await client.execute(uri: "/v1/tasks/T-1", method: .get, headers: headers) {
                #expect(($0.object["reason"] as? String)?.contains("maintenance by 'shift-lead'") == true)
            }
            try await client.execute(uri: "/v1/robots?status=maintenance", method: .get, headers: headers) {
                #expect($0.text.contains("AMR-1") && !$0.text.contains("AMR-2"))
            }
            try await client.execute(uri: "/metrics", method: .get, headers: headers) {
                #expect($0.text.contains(#"fleetpilot_robots{state="maintenance"} 1"#))
            }
            try await client.execute(uri: "/v1/robots/acme/AMR-1/maintenance", method: .post, headers: headers) {
                #expect($0.status == .conflict)
                #expect(($0.object["detail"] as? String)?.contains("already in maintenance") == true)
            }
            try await client.execute(uri: "/v1/robots/acme/AMR-1/maintenance/end", method: .post, headers: headers) {
                #expect($0.status == .ok)
                #expect($0.object["maintenance"] == nil)
                #expect($0.object["status"] as? String == "busy", "back in service, it takes the queued task again")
            }
            #expect(fleet.state.withLock { $0.coordinator.busy[FakeFleet.robot1] } == "T-1")
            try await client.execute(uri: "/v1/robots/acme/AMR-1/maintenance/end", method: .post, headers: headers) {
                #expect($0.status == .conflict)
                #expect(($0.object["detail"] as? String)?.contains("not in maintenance") == true)
            }
            #expect(fleet.records.filter { $0.event.kind.hasPrefix("maintenance") }.count == 2)
        }
    }

    @Test func maintenanceErrorsAreProblemDetails() async throws {
        try await withAPI { client, fleet in
            let headers = Tokens.header(Tokens.operator)
            try await client.execute(uri: "/v1/robots/acme/AMR-9/maintenance", method: .post, headers: headers) {
                #expect($0.status == .notFound)
                #expect(($0.object["detail"] as? String)?.contains("acme/AMR-9") == true)
            }
            for body in ["not json", #"{"reason": 5}"#] {
                try await client.execute(
                    uri: "/v1/robots/acme/AMR-1/maintenance", method: .post, headers: headers, body: Self.json(body)
                ) { response in
                    #expect(response.status == .badRequest)
                    #expect(response.headers[.contentType] == "application/problem+json")
                    #expect((response.object["detail"] as? String)?.contains("reason") == true)
                }
            }
            #expect(!fleet.records.contains { $0.event.kind.hasPrefix("maintenance") })
        }
    }

    @Test func pauseAndResumeAreJournaledWithTheActor() async throws {
        try await withAPI { client, fleet in
            let headers = Tokens.header(Tokens.operator)
            try await client.execute(uri: "/v1/robots/acme/AMR-1/pause", method: .post, headers: headers) { _ in }
            try await client.execute(uri: "/v1/robots/acme/AMR-1/resume", method: .post, headers: headers) { _ in }
            #expect(
                fleet.records.map(\.event).filter { $0.kind == "pause" || $0.kind == "resume" } == [
                    .pause(robot: FakeFleet.robot1, paused: true, actor: "shift-lead"),
                    .pause(robot: FakeFleet.robot1, paused: false, actor: "shift-lead"),
                ])
        }
    }

    /// carer-1 at DROP, carer-2 absent, nurse-1 without a location, resident-1; a fall alert at PICK escalated to
    /// the nearest reachable caregiver.
    static func roster(_ fleet: FakeFleet) {
        fleet.handle(.personRegistered("carer-1", PersonProfile(role: .caregiver, skills: ["lift", "first-aid"])))
        fleet.handle(.personRegistered("carer-2", PersonProfile(role: .caregiver)))
        fleet.handle(.personRegistered("nurse-1", PersonProfile(role: .nurse)))
        fleet.handle(.personRegistered("resident-1", PersonProfile(role: .resident)))
        fleet.handle(.personPresence("carer-1", present: true, location: .station("DROP")))
        fleet.handle(.personPresence("carer-2", present: false, location: nil))
        let now = fleet.state.withLock { $0.now }
        fleet.handle(.fallAlert("F-1", resident: "resident-1", station: "PICK", detectedAt: now))
        fleet.handle(.taskRequested(TaskRequest(id: "H-1", kind: .handover, stops: ["DROP"], person: "carer-1")))
    }

    @Test func peopleAreListedFilteredPagedAndFetched() async throws {
        try await withAPI { client, fleet in
            Self.roster(fleet)
            let viewer = Tokens.header(Tokens.viewer)
            try await client.execute(uri: "/v1/people", method: .get, headers: viewer) { response in
                #expect(response.status == .ok)
                let items = response.object["items"] as? [[String: Any]] ?? []
                #expect(items.map { $0["id"] as? String } == ["carer-1", "carer-2", "nurse-1", "resident-1"])
                #expect(response.object["total"] as? Int == 4)
            }
            try await client.execute(uri: "/v1/people?role=caregiver&present=true", method: .get, headers: viewer) {
                let items = $0.object["items"] as? [[String: Any]] ?? []
                #expect(items.map { $0["id"] as? String } == ["carer-1"])
            }
            try await client.execute(uri: "/v1/people?present=false", method: .get, headers: viewer) {
                let items = $0.object["items"] as? [[String: Any]] ?? []
                #expect(items.map { $0["id"] as? String } == ["carer-2"])
            }
            try await client.execute(uri: "/v1/people?limit=2&offset=1", method: .get, headers: viewer) {
                let items = $0.object["items"] as? [[String: Any]] ?? []
                #expect(items.map { $0["id"] as? String } == ["carer-2", "nurse-1"])
                #expect($0.object["total"] as? Int == 4 && $0.object["offset"] as? Int == 1)
            }
            try await client.execute(uri: "/v1/people/carer-1", method: .get, headers: viewer) { response in
                let person = response.object
                #expect(person["role"] as? String == "caregiver")
                #expect(person["skills"] as? [String] == ["first-aid", "lift"])
                #expect(person["present"] as? Bool == true && person["onShift"] as? Bool == true)
                #expect(person["station"] as? String == "DROP" && person["node"] as? String == "C")
                #expect(person["x"] as? Double == 20 && person["map"] as? String == "m")
                let notifications = person["notifications"] as? [[String: Any]] ?? []
                #expect(notifications.map { $0["task"] as? String } == ["F-1"])
                #expect(notifications.first?["alert"] as? String == "fall")
                #expect(notifications.first?["level"] as? Int == 1)
                #expect(person["confirmations"] as? [String] == ["H-1"])
            }
            try await client.execute(uri: "/v1/people/nurse-1", method: .get, headers: viewer) {
                #expect(($0.object["notifications"] as? [Any])?.isEmpty == true)
                #expect($0.object["x"] == nil)
            }
        }
    }

    @Test(arguments: [
        ("/v1/people?role=astronaut", 422, "role"), ("/v1/people?present=maybe", 422, "present"),
        ("/v1/people?limit=0", 422, "limit"), ("/v1/people?offset=-1", 422, "offset"),
        ("/v1/people/nobody", 404, "nobody"),
    ])
    func peopleErrorsNameWhatWasWrong(uri: String, status: Int, mention: String) async throws {
        try await withAPI { client, fleet in
            Self.roster(fleet)
            try await client.execute(uri: uri, method: .get, headers: Tokens.header(Tokens.viewer)) { response in
                #expect(Int(response.status.code) == status)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect((response.object["detail"] as? String)?.contains(mention) == true, "\(response.text)")
            }
        }
    }

    @Test func alertsListOpenCallsAndFallsWithTheirEscalation() async throws {
        try await withAPI { client, fleet in
            try await client.execute(uri: "/v1/alerts", method: .get, headers: Tokens.header(Tokens.viewer)) {
                #expect($0.text == "[]")
            }
            Self.roster(fleet)
            fleet.handle(.residentCall("C-1", resident: "resident-1", station: "DROP"))
            try await client.execute(uri: "/v1/alerts", method: .get, headers: Tokens.header(Tokens.viewer)) {
                response in
                let alerts = (try? JSONSerialization.jsonObject(with: Data(response.text.utf8))) as? [[String: Any]]
                // Oldest first, then by id (both came in at the fake fleet's one instant).
                #expect(alerts?.map { $0["task"] as? String } == ["C-1", "F-1"])
                let fall = alerts?.last ?? [:]
                #expect(fall["alert"] as? String == "fall" && fall["level"] as? Int == 1)
                #expect(fall["notified"] as? [String] == ["carer-1"] && fall["current"] as? String == "carer-1")
                #expect(fall["resident"] as? String == "resident-1" && fall["station"] as? String == "PICK")
                #expect(fall["detectedAt"] is String && fall["taskState"] is String)
                let call = alerts?.first ?? [:]
                #expect(call["alert"] as? String == "call" && call["level"] as? Int == 0)
                #expect(call["notified"] as? [String] == [] && call["current"] == nil)
            }
            fleet.handle(.personArrived("F-1", person: "carer-1"))
            try await client.execute(uri: "/v1/alerts", method: .get, headers: Tokens.header(Tokens.viewer)) {
                #expect(!$0.text.contains("F-1") && $0.text.contains("C-1"), "a fall is resolved once a person arrives")
            }
        }
    }
}
