import FleetCore
import FleetMQTT
import FleetRuntime
import FleetStore
import FleetTestKit
import Foundation
import Logging
import ServiceLifecycle
import Testing

/// A decision that cannot be journaled is never acted on, and the daemon stops instead of running on with a
/// coordinator whose memory is ahead of its journal.
@Suite struct JournalFailureTests {
    @Test func aFailedAppendSendsNothingAndStopsTheDaemon() async throws {
        let harness = try ShellHarness()
        let journal = InMemoryJournal(label: "failing")
        var logger = Logger(label: "fleetd-test")
        logger.logLevel = .critical
        let service = FleetdService(
            configuration: harness.configuration, layout: harness.layout, journal: journal, logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: [.init(service: service)], logger: logger))
        let run = Task { try await group.run() }
        try await waitUntil(timeout: .seconds(90), "fleetd ready") { service.isReady }
        let (observer, seen) = try await harness.observer()
        defer { Task { await observer.disconnect() } }

        journal.failAppends(with: .injected(path: "failing", reason: "disk full"))
        let requester = try await harness.requester()
        try await requester.publishAndWait(
            topic: "fleetpilot/v1/site-1/tasks/request", string: #"{"id":"T-9","pick":"S1","drop":"S2"}"#)
        await requester.disconnect()

        // The daemon stops with the journal failure as its reason ...
        let outcome = await Task {
            do {
                try await run.value
                return "finished"
            } catch {
                return "\(error)"
            }
        }.value
        #expect(outcome.contains("journal append failed"), "\(outcome)")
        #expect(service.counters.journalFailures >= 1)
        // ... and nothing of the unjournaled decision went out: no status, no order, no event for T-9.
        try await Task.sleep(for: .milliseconds(300))
        let leaked = seen.elements.filter {
            !$0.topic.hasSuffix("/tasks/request") && ($0.topic.contains("T-9") || $0.payloadString.contains("\"T-9\""))
        }
        #expect(leaked.isEmpty, "\(leaked.map { "\($0.topic) \($0.payloadString)" })")
    }
}
