import FleetTestKit
import Foundation
import Testing

/// `fleetctl broker-credentials` on its own, and the refusal of fleetd and fleet-sim to use plain MQTT to a broker
/// on another machine (the built programs, run as child processes).
@Suite("Deploy: credential generator and insecure-broker refusal", .serialized)
struct CredentialGeneratorTests {
    static func fleetFile(count: Int) throws -> URL {
        let folder = try DeployEnvironment.temporaryDirectory("fleet")
        let file = folder.appendingPathComponent("fleetd.yaml")
        try BrokerSecurityTests.fleetYAML.replacingOccurrences(of: "count: 3", with: "count: \(count)").write(
            to: file, atomically: true, encoding: .utf8)
        return file
    }

    static func mode(_ url: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int) ?? -1
    }

    @Test("adding a robot is one re-run: existing passwords are kept, the new robot gets an account")
    func mergeKeepsPasswords() async throws {
        let out = try DeployEnvironment.temporaryDirectory("credentials")
        defer { try? FileManager.default.removeItem(at: out) }
        try await GeneratedCredentials.generate(
            into: out, ["--fleet", try Self.fleetFile(count: 2).path, "--people-ids", "anna,ben"])
        let generated = GeneratedCredentials(directory: out)
        let before = try generated.account("robots/acme/AMR-01.env")
        let fleetdBefore = try generated.account("fleetd.env")
        #expect(before.username == "acme/AMR-01" && before.password.count == 32)
        #expect(try generated.account("people/anna.env").username == "person-anna")
        let robotFile = out.appendingPathComponent("credentials/robots/acme/AMR-01.env")
        #expect(try Self.mode(robotFile) == 0o600)

        let output = try await GeneratedCredentials.generate(
            into: out, ["--fleet", try Self.fleetFile(count: 3).path, "--password-length", "40"])
        #expect(output.contains("1 new"), "\(output)")
        #expect(try generated.account("robots/acme/AMR-01.env").password == before.password)
        #expect(try generated.account("fleetd.env").password == fleetdBefore.password)
        #expect(try generated.account("robots/acme/AMR-03.env").password.count == 40)
        #expect(try generated.account("people/ben.env").username == "person-ben", "people are kept without --prune")
        let acl = try String(contentsOf: out.appendingPathComponent("mosquitto/acl"), encoding: .utf8)
        #expect(acl.contains("user acme/AMR-03\ntopic write uagv/v2/acme/AMR-03/state\n"))
        #expect(acl.contains("user person-ben\ntopic readwrite fleetpilot/v1/hall-1/people/ben/#\n"))
        let passwd = try String(contentsOf: out.appendingPathComponent("mosquitto/passwd"), encoding: .utf8)
        #expect(passwd.split(separator: "\n").count == 2 + 3 + 2)
        #expect(passwd.contains("acme/AMR-03:$7$"), "hashed by mosquitto_passwd")
        #expect(!passwd.contains(before.password))

        try await GeneratedCredentials.generate(into: out, ["--fleet", try Self.fleetFile(count: 3).path, "--prune"])
        let pruned = try String(contentsOf: out.appendingPathComponent("mosquitto/acl"), encoding: .utf8)
        #expect(!pruned.contains("person-ben"))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("credentials/people/ben.env").path))
    }

    @Test("clear errors: missing fleet file, another site in the folder, bad ids")
    func errors() async throws {
        let fleetctl = try DeployEnvironment.program("fleetctl")
        let out = try DeployEnvironment.temporaryDirectory("credentials")
        defer { try? FileManager.default.removeItem(at: out) }
        let missing = try await DeployEnvironment.run(
            fleetctl, ["broker-credentials", "--fleet", "/nonexistent.yaml", "--out", out.path])
        #expect(missing.status != 0 && missing.output.contains("'/nonexistent.yaml' does not exist"))

        let notAFleet = out.appendingPathComponent("junk.yaml")
        try "hello: world\n".write(to: notAFleet, atomically: true, encoding: .utf8)
        let junk = try await DeployEnvironment.run(
            fleetctl, ["broker-credentials", "--fleet", notAFleet.path, "--out", out.path + "/a"])
        #expect(junk.status == 2 && junk.output.contains("neither a fleetd configuration nor a scenario"))

        let fleet = try Self.fleetFile(count: 1).path
        try await GeneratedCredentials.generate(into: out, ["--fleet", fleet])
        let otherSite = try await DeployEnvironment.run(
            fleetctl, ["broker-credentials", "--fleet", fleet, "--site", "hall-2", "--out", out.path])
        #expect(otherSite.status == 2 && otherSite.output.contains("another site"), "\(otherSite.output)")
        let badPerson = try await DeployEnvironment.run(
            fleetctl, ["broker-credentials", "--fleet", fleet, "--people-ids", "a/b", "--out", out.path])
        #expect(badPerson.status == 2 && badPerson.output.contains("person id 'a/b'"))
        let short = try await DeployEnvironment.run(
            fleetctl, ["broker-credentials", "--fleet", fleet, "--password-length", "8", "--out", out.path])
        #expect(short.status != 0 && short.output.contains("--password-length"))
    }

    @Test("a scenario works as the fleet file, with fleet-sim's --robots")
    func scenarioFleet() async throws {
        let out = try DeployEnvironment.temporaryDirectory("credentials")
        defer { try? FileManager.default.removeItem(at: out) }
        let scenario = DeployEnvironment.repository.appendingPathComponent("Configs/scenarios/factory-default.yaml")
        try await GeneratedCredentials.generate(into: out, ["--fleet", scenario.path, "--robots", "5", "--simulator"])
        let generated = GeneratedCredentials(directory: out)
        #expect(try generated.account("robots/acme/AMR-05.env").username == "acme/AMR-05")
        #expect(try generated.account("fleet-sim.env").username == "fleet-sim")
        #expect(
            !FileManager.default.fileExists(
                atPath: out.appendingPathComponent("credentials/robots/acme/AMR-06.env").path))
    }

    @Test("fleetd and fleet-sim refuse plain MQTT to a broker on another machine unless allowed")
    func insecureRemoteBrokerRefused() async throws {
        let folder = try DeployEnvironment.temporaryDirectory("refusal")
        defer { try? FileManager.default.removeItem(at: folder) }
        let layout = DeployEnvironment.repository.appendingPathComponent("Configs/sites/factory-hall.yaml").path
        let config = folder.appendingPathComponent("fleetd.yaml")
        try """
        siteId: hall-1
        site: \(layout)
        broker: {host: 192.0.2.10, port: 1883}
        journal: {path: \(folder.path)/journal.sqlite}
        """.write(to: config, atomically: true, encoding: .utf8)
        let fleetd = try await DeployEnvironment.run(
            try DeployEnvironment.program("fleetd"), ["--config", config.path], timeout: .seconds(20))
        #expect(fleetd.status == 2)
        #expect(fleetd.output.contains("refusing to connect to broker 192.0.2.10:1883 without TLS"), "\(fleetd.output)")
        #expect(fleetd.output.contains("broker.allowInsecure"))

        let scenario = DeployEnvironment.repository.appendingPathComponent("Configs/scenarios/factory-default.yaml")
        let sim = try await DeployEnvironment.run(
            try DeployEnvironment.program("fleet-sim"), ["--scenario", scenario.path, "--broker", "192.0.2.10:1883"],
            timeout: .seconds(20))
        #expect(sim.status == 2)
        #expect(sim.output.contains("refusing to connect to broker 192.0.2.10:1883 without TLS"), "\(sim.output)")
        #expect(sim.output.contains("FLEETSIM_MQTT_ALLOW_INSECURE"))
    }
}
