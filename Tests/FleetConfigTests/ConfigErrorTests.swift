import FleetConfig
import Testing

@Suite struct ConfigErrorTests {
    @Test func messagesNameFileLineAndField() {
        let error = ConfigError.invalid(file: "site.yaml", line: 12, field: "nodes[3].x", reason: "expected a number")
        #expect(error.description == "site.yaml:12: nodes[3].x: expected a number")
        #expect(ConfigError.syntax(file: "a.yaml", line: 1, column: 4, reason: "x").description.hasPrefix("a.yaml:1:4"))
    }
}
