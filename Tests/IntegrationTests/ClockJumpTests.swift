import FleetCore
import FleetTestKit
import Foundation
import Testing

extension Integration {
    /// A simulator that stalls (stopped with SIGSTOP for a second, as an overloaded machine would stall it) makes
    /// simulated time jump when it goes on; fleetd journals the jump (`clock_jump`) and warns, which fails the
    /// evaluator's data-validity gate instead of letting the run's figures measure the machine.
    @Suite struct ClockJumpTests {
        @Test func aStalledSimulatorIsJournaledAsAClockJump() async throws {
            let rig = try await FleetRig(label: "clock-jump")
            do {
                try await rig.startFleetd()
                try rig.startSim(["--duration", "40m", "--time-scale", "240", "--robots", "5"])
                let sim = try #require(rig.sim)
                try await sim.waitForOutput(containing: "requested ", timeout: .seconds(60))
                sim.send(signal: SIGSTOP)
                try await Task.sleep(for: .seconds(1))
                sim.send(signal: SIGCONT)
                _ = try await rig.waitForSim(timeout: .seconds(120))
                try await Task.sleep(for: .milliseconds(300))
                let fleetdOutput = rig.fleetd?.outputText ?? ""
                await rig.stop()
                let jumps = try rig.records().compactMap { record -> Double? in
                    if case .clockJump(let seconds) = record.event { seconds } else { nil }
                }
                // fleet-sim steps at most 0.5 s of wall time at once (120 s at 240x), fleetd had extrapolated up to
                // 0.2 s of it (48 s); half of the 60 s state timeout is the threshold.
                #expect(!jumps.isEmpty, "no clock_jump record\n\(fleetdOutput.suffix(2000))")
                #expect(jumps.allSatisfy { $0 >= 30 && $0 <= 121 }, "\(jumps)")
                #expect(fleetdOutput.contains("simulated time jumped"), "\(fleetdOutput.suffix(2000))")
            } catch {
                await rig.stop()
                throw error
            }
        }
    }
}
