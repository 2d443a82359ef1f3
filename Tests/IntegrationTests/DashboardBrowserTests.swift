import FleetTestKit
import Foundation
import Synchronization
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// The web dashboard in headless Chromium (Debian's `chromium`; skipped when it is not installed) against fleetd
/// with its API on and fleet-sim driving a few robots; the screenshot is kept as a test artifact.
extension Integration {
    @Suite struct DashboardBrowserTests {
        static let viewerToken = "integration-dashboard-viewer-0123"

        /// `chromium`, when installed.
        static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }

        /// Where artifacts (the screenshot) are kept: `$FLEET_TEST_ARTIFACTS` or the temporary folder (as the
        /// evaluator's rendered-report test does).
        static let artifacts =
            ProcessInfo.processInfo.environment["FLEET_TEST_ARTIFACTS"] ?? NSTemporaryDirectory()
            + "fleetpilot-test-artifacts"

        /// The process groups Chromium ran in, checked for survivors at the end.
        static let groups = Mutex<[Int32]>([])

        /// The processes of group `group` that are still alive (zombies, already dead, do not count), read from
        /// `/proc/<pid>/stat` (`pid (comm) state ppid pgrp ...`).
        static func living(group: Int32) -> [String] {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.filter { Int32($0) != nil }.compactMap { pid in
                guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                    let close = stat.lastIndex(of: ")")
                else { return nil }
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                guard fields.count > 2, fields[0] != "Z", fields[0] != "X", Int32(fields[2]) == group else {
                    return nil
                }
                return stat
            }
        }

        /// A configuration that turns the API on at `port` with one viewer token: the dashboard only reads.
        static func configuration(port: Int, in directory: URL) throws -> String {
            let path = directory.appendingPathComponent("fleetd-dashboard.yaml").path
            let yaml = """
                siteId: hall-1
                site: unused.yaml
                api:
                  enabled: true
                  host: 127.0.0.1
                  port: \(port)
                  tokens:
                    - {name: integration-dashboard, role: viewer, secret: \(viewerToken)}
                """
            try yaml.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        /// Runs headless Chromium with a private profile in its own session (`setsid`), so that it and every
        /// helper process it forks (zygote, renderer, GPU) form one process group that is killed afterwards,
        /// whether it exited or timed out.
        static func chromium(_ arguments: [String], profile: URL, seconds: Double = 30) async throws -> (
            status: Int32, output: String
        ) {
            let common = [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--user-data-dir=" + profile.path,
            ]
            let child = try ChildProcess("/usr/bin/setsid", [Self.chromium!] + common + arguments)
            // `setsid` execs in place (the child is no group leader), so its pid is the group id.
            let group = child.pid
            defer {
                kill(-group, SIGKILL)
                groups.withLock { $0.append(group) }
            }
            do {
                let status = try await child.waitForExit(timeout: .seconds(seconds))
                return (status, child.outputText)
            } catch {
                throw TestTimeout("chromium did not finish in \(seconds) s:\n\(child.outputText.suffix(3000))")
            }
        }

        @Test(
            "the dashboard loads in headless Chromium against fleetd with a simulated fleet and shows its robots",
            .enabled(if: chromium != nil))
        func dashboardShowsRobots() async throws {
            let rig = try await FleetRig(label: "dashboard")
            do {
                let port = FreePort.loopback()
                try await rig.startFleetd(config: try Self.configuration(port: port, in: rig.directory))
                try rig.startSim(["--no-demand", "--robots", "3", "--duration", "20m", "--time-scale", "60"])
                let simulated = ["acme/AMR-01", "acme/AMR-02", "acme/AMR-03"]

                // Wait until the API lists the simulated robots online with a position.
                let base = "http://127.0.0.1:\(port)"
                var last = ""
                try await waitUntil(timeout: .seconds(20), "the API to list \(simulated) online; last:\n\(last)") {
                    let robots = await Self.robots(base + "/v1/robots")
                    last = robots.map { "\($0)" }.joined(separator: "\n")
                    return simulated.allSatisfy { id in
                        robots.contains {
                            $0["id"] as? String == id && $0["connection"] as? String == "online" && $0["x"] != nil
                        }
                    }
                }

                // A line worker in the assembly cells: the map shades the slowed zone.
                try rig.publish(
                    "fleetpilot/v1/hall-1/people/lw-1/presence", #"{"role":"line_worker","station":"LS-04"}"#)
                try await waitUntil(timeout: .seconds(20), "ASSEMBLY-CELLS slowed in /v1/zones") {
                    let zones = await Self.json(base + "/v1/zones") as? [String: Any]
                    let list = zones?["zones"] as? [[String: Any]] ?? []
                    return list.contains {
                        $0["id"] as? String == "ASSEMBLY-CELLS" && $0["state"] as? String == "slowed"
                    }
                }

                // A fall alert that no person has answered: the dashboard lists it as waiting for a person.
                try rig.publish(
                    "fleetpilot/v1/hall-1/people/res-1/alert",
                    #"{"id":"FALL-1","station":"LS-02","detected":"2026-11-30T06:00:00.000Z"}"#)
                try await waitUntil(timeout: .seconds(20), "FALL-1 in /v1/alerts") {
                    let alerts = await Self.json(base + "/v1/alerts") as? [[String: Any]] ?? []
                    return alerts.contains { $0["task"] as? String == "FALL-1" }
                }

                // The dashboard reads its token from the fragment (never sent to the server, kept out of logs).
                let page = base + "/dashboard/index.html#token=" + Self.viewerToken
                let profile = rig.directory.appendingPathComponent("chromium-profile")
                let dump = try await Self.chromium(
                    ["--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", "--dump-dom", page],
                    profile: profile)
                #expect(dump.status == 0, "chromium --dump-dom:\n\(dump.output.suffix(3000))")
                let dom = dump.output
                #expect(dom.contains("<main id=\"main\">"), "the dashboard did not leave the login form:\n\(dom)")
                #expect(dom.contains("<form id=\"login\" hidden=\"\">"), "the login form is showing:\n\(dom)")
                #expect(dom.contains("class=\"badge on\">live<"), "the event stream is not live:\n\(dom)")
                for id in simulated {
                    #expect(dom.contains("id=\"robot-\(id)\""), "\(id) missing from the site map:\n\(dom)")
                    #expect(dom.contains("<tr><td>\(id)</td><td>"), "\(id) missing from the robot list:\n\(dom)")
                }
                #expect(
                    dom.contains("class=\"zone slowed\" data-zone=\"ASSEMBLY-CELLS\""),
                    "the slowed zone is not shaded on the map:\n\(dom)")
                #expect(
                    dom.contains("ASSEMBLY-CELLS slowed"), "the zone line does not say the cells are slowed:\n\(dom)")
                #expect(dom.contains("id=\"person-lw-1\""), "the line worker is not on the map:\n\(dom)")
                #expect(
                    dom.contains("<tr><td>fall FALL-1 (res-1)</td><td>LS-02</td>"),
                    "the fall alert is not in the alerts table:\n\(dom)")
                // Chromium logs the page's console (`INFO:CONSOLE`) on stderr; an uncaught error or a
                // `console.error`/`console.warn` of the dashboard (failed refresh, broken stream) fails the test.
                let console = dom.split(separator: "\n").filter { $0.contains(":CONSOLE") }
                #expect(console.isEmpty, "the dashboard logged to its console:\n\(console.joined(separator: "\n"))")
                #expect(!dom.contains("Uncaught"), "script error:\n\(dom.suffix(3000))")

                try FileManager.default.createDirectory(atPath: Self.artifacts, withIntermediateDirectories: true)
                let shot = Self.artifacts + "/dashboard.png"
                try? FileManager.default.removeItem(atPath: shot)
                let screenshot = try await Self.chromium(
                    ["--virtual-time-budget=5000", "--screenshot=" + shot, "--window-size=1400,900", page],
                    profile: profile)
                #expect(screenshot.status == 0, "chromium --screenshot:\n\(screenshot.output.suffix(3000))")
                let png = (try? Data(contentsOf: URL(fileURLWithPath: shot))) ?? Data()
                #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "no PNG at \(shot)")
                // Width and height are the first two big-endian words of the IHDR chunk (bytes 16-23).
                let word = { (at: Int) in png.count >= at + 4 ? png[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } : 0 }
                #expect(word(16) == 1400 && word(20) == 900, "screenshot at \(shot) is \(word(16))x\(word(20))")
                #expect(png.count > 20_000, "screenshot at \(shot) is only \(png.count) bytes")
                await rig.stop()
                #expect(
                    rig.fleetd?.isRunning == false && rig.sim?.isRunning == false, "fleetd or fleet-sim still running")
                let groups = Self.groups.withLock { $0 }
                #expect(groups.count == 2)
                var survivors: [String] = []
                try? await waitUntil(timeout: .seconds(5)) {
                    survivors = groups.flatMap(Self.living(group:))
                    return survivors.isEmpty
                }
                #expect(survivors.isEmpty, "Chromium processes left running:\n\(survivors.joined(separator: "\n"))")
            } catch {
                await rig.stop()
                throw error
            }
        }

        /// The robots `GET /v1/robots` lists with the viewer token (empty when the request fails).
        static func robots(_ url: String) async -> [[String: Any]] {
            await json(url) as? [[String: Any]] ?? []
        }

        /// The JSON a `GET` with the viewer token answers (`nil` when the request fails).
        static func json(_ url: String) async -> Any? {
            guard let url = URL(string: url) else { return nil }
            var request = URLRequest(url: url, timeoutInterval: 2)
            request.setValue("Bearer \(viewerToken)", forHTTPHeaderField: "Authorization")
            guard let (data, _) = try? await URLSession.shared.data(for: request) else { return nil }
            return try? JSONSerialization.jsonObject(with: data)
        }
    }
}
