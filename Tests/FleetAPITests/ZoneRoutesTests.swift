import FleetAPI
import FleetCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `/v1/zones` and `/v1/estop`: listing, holds, releases and emergency stops, each journaled with the token's
/// name and turned into `startPause`/`stopPause`, and every error path as problem details.
@Suite struct ZoneRoutesTests {
    static func zones(_ response: TestResponse) -> [[String: Any]] {
        response.object["zones"] as? [[String: Any]] ?? []
    }

    @Test func zonesAreListedWithPolicyPeopleAndState() async throws {
        try await withAPI { client, fleet in
            let viewer = Tokens.header(Tokens.viewer)
            try await client.execute(uri: "/v1/zones", method: .get, headers: viewer) { response in
                #expect(response.status == .ok)
                let zones = Self.zones(response)
                #expect(zones.map { $0["id"] as? String } == ["CELL", "AISLE"])
                #expect(zones.map { $0["state"] as? String } == ["clear", "clear"])
                #expect(zones.map { $0["presencePolicy"] as? String } == ["hold", "slowdown"])
                #expect(zones.last?["presenceSpeed"] as? Double == 0.3)
                #expect(zones.first?["nodes"] as? [String] == ["C"])
                #expect(zones.last?["nodes"] as? [String] == ["A", "B", "C"])
                #expect((zones.last?["polygon"] as? [[Double]])?.count == 4)
                #expect(response.object["siteEmergencyStop"] == nil || response.object["siteEmergencyStop"] is NSNull)
            }
            fleet.handle(.personRegistered("w1", PersonProfile(role: .lineWorker)))
            fleet.handle(.personPresence("w1", present: true, location: .station("DROP")))
            try await client.execute(uri: "/v1/zones/CELL", method: .get, headers: viewer) { response in
                #expect(response.object["state"] as? String == "held")
                #expect(response.object["heldBy"] as? String == "presence")
                #expect(response.object["people"] as? [String] == ["w1"])
            }
            try await client.execute(uri: "/v1/zones/AISLE", method: .get, headers: viewer) { response in
                #expect(response.object["state"] as? String == "slowed")
                #expect(response.object["slowdownSpeed"] as? Double == 0.3)
            }
            try await client.execute(uri: "/v1/zones/NOPE", method: .get, headers: viewer) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
                let detail = response.object["detail"] as? String ?? ""
                #expect(detail.contains("'NOPE'") && detail.contains("CELL, AISLE"))
            }
        }
    }

    @Test func holdAndReleaseAreJournaledWithTheTokenName() async throws {
        try await withAPI { client, fleet in
            let headers = Tokens.header(Tokens.operator)
            fleet.handle(
                .robotObserved(
                    FakeFleet.robot1, RobotObservation(position: SitePoint(x: 20, y: 0), mapId: "m", lastNodeId: "C")))
            try await client.execute(uri: "/v1/zones/CELL/hold", method: .post, headers: headers) { response in
                #expect(response.status == .ok)
                #expect(response.object["state"] as? String == "held")
                #expect(response.object["operatorHold"] as? String == "shift-lead")
                #expect(response.object["pausedRobots"] as? [String] == ["acme/AMR-1"])
            }
            try await client.execute(uri: "/v1/zones/CELL/hold", method: .post, headers: headers) { response in
                #expect(response.status == .conflict)
                #expect((response.object["detail"] as? String)?.contains("already held by shift-lead") == true)
            }
            try await client.execute(uri: "/v1/zones/CELL/release", method: .post, headers: Tokens.header(Tokens.admin))
            {
                response in
                #expect(response.status == .ok)
                #expect(response.object["state"] as? String == "clear")
            }
            try await client.execute(uri: "/v1/zones/CELL/release", method: .post, headers: headers) { response in
                #expect(response.status == .conflict)
                #expect(
                    (response.object["detail"] as? String)?.contains(
                        "is not held (no operator hold, nobody reported inside)") == true)
            }
            try await client.execute(uri: "/v1/zones/NOPE/hold", method: .post, headers: headers) { response in
                #expect(response.status == .notFound)
                #expect((response.object["detail"] as? String)?.contains("no zone 'NOPE'") == true)
            }
            let zoneRecords = fleet.records.compactMap { record -> (String, String)? in
                switch record.event {
                case .zoneHold(_, let actor, _, _): return ("zone_hold", actor)
                case .zoneRelease(_, let actor, _, _): return ("zone_release", actor)
                default: return nil
                }
            }
            #expect(zoneRecords.map(\.0) == ["zone_hold", "zone_release"])
            #expect(zoneRecords.map(\.1) == ["shift-lead", "site-admin"])
            #expect(fleet.pauses.map(\.paused) == [true, false])
            #expect(fleet.pauses.allSatisfy { $0.robot == FakeFleet.robot1 })
        }
    }

    @Test func zoneEmergencyStopAndItsRelease() async throws {
        try await withAPI { client, fleet in
            let headers = Tokens.header(Tokens.operator)
            try await client.execute(uri: "/v1/zones/AISLE/estop", method: .post, headers: headers) { response in
                #expect(response.status == .ok)
                #expect(response.object["state"] as? String == "stopped")
                #expect(response.object["emergencyStop"] as? String == "shift-lead")
                #expect(response.object["pausedRobots"] as? [String] == ["acme/AMR-1"])
            }
            try await client.execute(uri: "/v1/zones/AISLE/estop", method: .post, headers: headers) {
                #expect($0.status == .conflict)
            }
            try await client.execute(uri: "/v1/zones/AISLE/release", method: .post, headers: headers) { response in
                #expect(response.status == .conflict)
                #expect((response.object["detail"] as? String)?.contains("emergency stop release") == true)
            }
            try await client.execute(uri: "/v1/zones/AISLE/estop/release", method: .post, headers: headers) {
                #expect($0.status == .ok)
                #expect($0.object["state"] as? String == "clear")
            }
            try await client.execute(uri: "/v1/zones/AISLE/estop/release", method: .post, headers: headers) {
                #expect($0.status == .conflict)
                #expect(($0.object["detail"] as? String)?.contains("not under an emergency stop") == true)
            }
            #expect(fleet.records.map(\.event.kind).filter { $0.hasPrefix("estop") } == ["estop", "estop_release"])
            #expect(fleet.pauses.map(\.paused) == [true, false])
        }
    }

    @Test func siteEmergencyStopPausesEveryRobotAndHaltsAssignmentUntilReleased() async throws {
        try await withAPI { client, fleet in
            let headers = Tokens.header(Tokens.operator)
            try await client.execute(uri: "/v1/estop", method: .post, headers: headers) { response in
                #expect(response.status == .ok)
                #expect(response.object["siteEmergencyStop"] as? String == "shift-lead")
            }
            #expect(Set(fleet.pauses.map(\.robot)) == [FakeFleet.robot1, FakeFleet.robot2])
            try await client.execute(uri: "/v1/estop", method: .post, headers: headers) { response in
                #expect(response.status == .conflict)
                #expect((response.object["detail"] as? String)?.contains("already under an emergency stop") == true)
            }
            try await client.execute(
                uri: "/v1/tasks", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"id":"T-9","pick":"PICK","drop":"DROP"}"#)
            ) { response in
                #expect(response.status == .created)
            }
            try await client.execute(uri: "/v1/tasks/T-9", method: .get, headers: headers) { response in
                #expect(response.object["state"] as? String == "queued")
            }
            #expect(
                fleet.records.contains {
                    $0.event == .waiting(task: "T-9", reason: "assignment halted: site emergency stop by shift-lead")
                })
            try await client.execute(uri: "/v1/estop/release", method: .post, headers: headers) { response in
                #expect(response.status == .ok)
                #expect(response.object["siteEmergencyStop"] == nil || response.object["siteEmergencyStop"] is NSNull)
            }
            try await client.execute(uri: "/v1/estop/release", method: .post, headers: headers) {
                #expect($0.status == .conflict)
            }
            try await client.execute(uri: "/v1/tasks/T-9", method: .get, headers: headers) { response in
                #expect(response.object["state"] as? String != "queued")
            }
            let stops = fleet.records.compactMap { record -> String? in
                switch record.event {
                case .emergencyStop(nil, let actor, _): return "estop \(actor)"
                case .emergencyStopRelease(nil, let actor, _): return "estop_release \(actor)"
                default: return nil
                }
            }
            #expect(stops == ["estop shift-lead", "estop_release shift-lead"])
        }
    }

    @Test func viewersCannotHoldOrStop() async throws {
        try await withAPI { client, fleet in
            let viewer = Tokens.header(Tokens.viewer)
            for path in ["/v1/zones/CELL/hold", "/v1/zones/CELL/estop", "/v1/estop", "/v1/estop/release"] {
                try await client.execute(uri: path, method: .post, headers: viewer) { response in
                    #expect(response.status == .forbidden)
                    #expect((response.object["detail"] as? String)?.contains("needs operator") == true)
                }
            }
            try await client.execute(uri: "/v1/estop", method: .post) { #expect($0.status == .unauthorized) }
            #expect(fleet.pauses.isEmpty && fleet.records.allSatisfy { !$0.event.kind.hasPrefix("estop") })
        }
    }
}
