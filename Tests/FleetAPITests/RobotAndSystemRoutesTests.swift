import FleetAPI
import FleetCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct RobotAndSystemRoutesTests {
    @Test func robotsAreListedFilteredAndFetched() async throws {
        try await withAPI { client, _ in
            let viewer = Tokens.header(Tokens.viewer)
            try await client.execute(uri: "/v1/robots", method: .get, headers: viewer) { response in
                let robots = (try? JSONSerialization.jsonObject(with: Data(response.text.utf8))) as? [[String: Any]]
                #expect(robots?.map { $0["id"] as? String } == ["acme/AMR-1", "acme/AMR-2"])
                #expect(robots?.map { $0["status"] as? String } == ["available", "offline"])
                #expect(robots?.first?["x"] as? Double == 10)
            }
            try await client.execute(uri: "/v1/robots?status=offline", method: .get, headers: viewer) {
                #expect($0.text.contains("AMR-2") && !$0.text.contains("AMR-1"))
            }
            try await client.execute(uri: "/v1/robots?status=asleep", method: .get, headers: viewer) {
                #expect($0.status == .unprocessableContent)
            }
            try await client.execute(uri: "/v1/robots/acme/AMR-1", method: .get, headers: viewer) {
                #expect($0.object["lastNode"] as? String == "B")
                #expect($0.object["nearestPerson"] == nil)
            }
            try await client.execute(uri: "/v1/robots/acme/AMR-9", method: .get, headers: viewer) {
                #expect($0.status == .notFound)
                #expect(($0.object["detail"] as? String)?.contains("acme/AMR-9") == true)
            }
        }
    }

    @Test func aRobotsViewShowsTheNearestPersonAndTheFactsheetItReports() async throws {
        try await withAPI { client, fleet in
            fleet.handle(
                .robotObserved(
                    FakeFleet.robot1,
                    RobotObservation(position: SitePoint(x: 10, y: 0), mapId: "m", lastNodeId: "B", humanDistance: 1.4))
            )
            try await client.execute(uri: "/v1/robots/acme/AMR-1", method: .get, headers: Tokens.header(Tokens.viewer))
            {
                #expect($0.object["nearestPerson"] as? Double == 1.4)
                #expect($0.object["factsheet"] == nil)
            }
            // A factsheet the robot sent is shown as the coordinator took it.
            fleet.handle(
                .robotFactsheet(
                    FakeFleet.robot1,
                    RobotFactsheet(series: "AMR-X", maxSpeed: 0.8, maxLoadKg: 60, actionTypes: ["pick", "drop"])))
            try await client.execute(uri: "/v1/robots/acme/AMR-1", method: .get, headers: Tokens.header(Tokens.viewer))
            {
                let factsheet = $0.object["factsheet"] as? [String: Any]
                #expect(factsheet?["series"] as? String == "AMR-X" && factsheet?["speedMax"] as? Double == 0.8)
                #expect(
                    factsheet?["maxLoadKg"] as? Double == 60 && factsheet?["actions"] as? [String] == ["drop", "pick"])
            }
        }
    }

    @Test func pauseAndResumeSendInstantActionsNamingTheActor() async throws {
        try await withAPI { client, fleet in
            let headers = Tokens.header(Tokens.operator)
            try await client.execute(uri: "/v1/robots/acme/AMR-1/pause", method: .post, headers: headers) {
                #expect($0.status == .accepted)
                #expect($0.object["action"] as? String == "startPause")
            }
            try await client.execute(uri: "/v1/robots/acme/AMR-1/resume", method: .post, headers: headers) {
                #expect($0.object["action"] as? String == "stopPause")
            }
            try await client.execute(uri: "/v1/robots/acme/AMR-7/pause", method: .post, headers: headers) {
                #expect($0.status == .notFound)
            }
            #expect(fleet.commands.map(\.paused) == [true, false])
            #expect(fleet.commands.allSatisfy { $0.actor == "shift-lead" && $0.robot == FakeFleet.robot1 })
        }
    }

    @Test func healthIsOpenAndReadinessFollowsTheDaemon() async throws {
        try await withAPI { client, fleet in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
            fleet.state.withLock { $0.ready = false }
            try await client.execute(uri: "/readyz", method: .get) {
                #expect($0.status == .serviceUnavailable)
                #expect($0.headers[.contentType] == "application/problem+json")
            }
        }
    }

    @Test func metricsExposeRobotsTasksTrafficAndAssignmentLatency() async throws {
        try await withAPI { client, fleet in
            fleet.handle(.taskRequested(TaskRequest(id: "T-1", pick: "PICK", drop: "DROP")))
            try await client.execute(uri: "/metrics", method: .get, headers: Tokens.header(Tokens.viewer)) { response in
                let text = response.text
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                #expect(text.contains(#"fleetpilot_robots{state="busy"} 1"#))
                #expect(text.contains(#"fleetpilot_robots{state="offline"} 1"#))
                #expect(text.contains(#"fleetpilot_tasks{state="dispatched"} 1"#))
                #expect(text.contains(#"fleetpilot_mqtt_messages_total{direction="in"} 7"#))
                #expect(text.contains("fleetpilot_mqtt_messages_invalid_total 2"))
                #expect(text.contains("fleetpilot_assignment_latency_seconds_count 1"))
                #expect(text.contains("fleetpilot_journal_append_seconds"))
            }
        }
    }

    @Test func siteLayoutIsServed() async throws {
        try await withAPI { client, _ in
            try await client.execute(uri: "/v1/site", method: .get, headers: Tokens.header(Tokens.viewer)) {
                #expect($0.object["siteId"] as? String == "test")
                #expect(($0.object["nodes"] as? [Any])?.count == 3)
                #expect(($0.object["stations"] as? [Any])?.count == 2)
            }
        }
    }

    @Test func eventStreamReplaysJournalRecordsAsServerSentEvents() async throws {
        try await withAPI { client, fleet in
            fleet.handle(.taskRequested(TaskRequest(id: "T-1", pick: "PICK", drop: "DROP")))
            let closer = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(100))
                    fleet.hub.finishAll()
                }
            }
            defer { closer.cancel() }
            try await client.execute(uri: "/v1/events?after=0", method: .get, headers: Tokens.header(Tokens.viewer)) {
                response in
                #expect(response.headers[.contentType] == "text/event-stream")
                #expect(response.text.contains("event: created\ndata: {"))
                #expect(response.text.contains("event: assigned"))
                #expect(response.text.contains("id: 1\n"))
            }
        }
    }

    @Test func dashboardAndOpenAPIDocumentAreServedWithoutAToken() async throws {
        try await withAPI { client, _ in
            try await client.execute(uri: "/", method: .get) {
                #expect($0.status == .seeOther)
                #expect($0.headers[.location] == "/dashboard/index.html")
            }
            try await client.execute(uri: "/dashboard/index.html", method: .get) {
                #expect($0.status == .ok)
                #expect($0.headers[.contentType]?.hasPrefix("text/html") == true)
            }
            try await client.execute(uri: "/dashboard/nope.js", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/v1/openapi.json", method: .get) { #expect($0.text.contains("\"openapi\"")) }
        }
    }

    @Test func unknownRoutesAndMethodsAreProblemDetails() async throws {
        try await withAPI { client, _ in
            try await client.execute(uri: "/v1/nothing", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect((response.object["detail"] as? String)?.contains("/v1/openapi.json") == true)
            }
            try await client.execute(uri: "/v1/tasks", method: .delete, headers: Tokens.header(Tokens.admin)) {
                #expect($0.status.code == 404 || $0.status.code == 405)
                #expect($0.headers[.contentType] == "application/problem+json")
            }
        }
    }
}
