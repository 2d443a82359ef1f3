import FleetStore
import Testing

@Suite struct JournalErrorTests {
    @Test func messagesNameTheJournalFile() {
        let error = JournalError.open(path: "/var/lib/fleetpilot/journal.sqlite", reason: "permission denied")
        #expect(error.description == "cannot open journal '/var/lib/fleetpilot/journal.sqlite': permission denied")
    }
}
