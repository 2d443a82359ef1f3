import Testing

@testable import VDA5050

@Suite("Topic names")
struct TopicNameTests {
    @Test("builds and parses every topic", arguments: VDA5050Topic.allCases)
    func roundTrip(topic: VDA5050Topic) throws {
        let name = VDA5050TopicName(manufacturer: "acme", serialNumber: "AMR-1", topic: topic)
        #expect(name.string == "uagv/v2/acme/AMR-1/\(topic.rawValue)")
        #expect(name.description == name.string)
        #expect(try VDA5050TopicName(parsing: name.string) == name)
    }

    @Test("configurable interface name")
    func interfaceName() throws {
        let name = try VDA5050TopicName(parsing: "fleet/v3/KIT/0001/order", interfaceName: "fleet")
        #expect(name.interfaceName == "fleet" && name.majorVersion == "v3" && name.topic == .order)
        #expect(throws: VDA5050TopicError.interfaceNameMismatch(expected: "uagv", found: "fleet")) {
            try VDA5050TopicName(parsing: "fleet/v3/KIT/0001/order")
        }
    }

    @Test(
        "rejects bad topics with an error naming the level",
        arguments: [
            ("uagv/v2/acme/state", VDA5050TopicError.wrongLevelCount(topic: "uagv/v2/acme/state", count: 4)),
            ("uagv/v2/acme/AMR-1/x/state", .wrongLevelCount(topic: "uagv/v2/acme/AMR-1/x/state", count: 6)),
            ("uagv/v2/acme/AMR-1/status", .unknownTopic("status")),
            ("uagv/v2/acme/AMR-1/", .emptyLevel(level: "topic")),
            ("uagv/v2//AMR-1/state", .emptyLevel(level: "manufacturer")),
            ("uagv/v2/acme//state", .emptyLevel(level: "serialNumber")),
            ("uagv/v2/+/AMR-1/state", .forbiddenCharacter(level: "manufacturer", value: "+", character: "+")),
            ("uagv/v2/acme/#/state", .forbiddenCharacter(level: "serialNumber", value: "#", character: "#")),
            ("uagv/v2/ac$me/AMR-1/state", .forbiddenCharacter(level: "manufacturer", value: "ac$me", character: "$")),
            ("uagv/v2/acme/AMR 1/state", .invalidSerialNumber(serialNumber: "AMR 1", character: " ")),
            ("uagv/v2/acme/AMR-ü/state", .invalidSerialNumber(serialNumber: "AMR-ü", character: "ü")),
            ("uagv/2/acme/AMR-1/state", .invalidMajorVersion("2")),
            ("uagv/v/acme/AMR-1/state", .invalidMajorVersion("v")),
            ("/v2/acme/AMR-1/state", .emptyLevel(level: "interfaceName")),
        ])
    func rejects(text: String, expected: VDA5050TopicError) {
        #expect(throws: expected) { try VDA5050TopicName(parsing: text) }
    }

    @Test("error messages name the level")
    func messages() {
        #expect(
            VDA5050TopicError.forbiddenCharacter(level: "manufacturer", value: "+", character: "+").description
                .contains("'manufacturer'"))
        #expect(
            VDA5050TopicError.invalidSerialNumber(serialNumber: "a b", character: " ").description.contains(
                "serialNumber"))
        #expect(VDA5050TopicError.emptyLevel(level: "topic").description == "topic level 'topic' is empty")
    }

    @Test("validate() catches a slash inside a level of a built name")
    func validateBuilt() {
        let name = VDA5050TopicName(manufacturer: "ac/me", serialNumber: "AMR-1", topic: .state)
        #expect(throws: VDA5050TopicError.forbiddenCharacter(level: "manufacturer", value: "ac/me", character: "/")) {
            try name.validate()
        }
    }

    @Test("subscription filters")
    func filters() {
        #expect(VDA5050TopicName.filter(topic: .state) == "uagv/v2/+/+/state")
        #expect(
            VDA5050TopicName.filter(interfaceName: "x", majorVersion: "v3", topic: .connection) == "x/v3/+/+/connection"
        )
        #expect(VDA5050TopicName.filter(manufacturer: "acme", topic: nil) == "uagv/v2/acme/+/+")
        #expect(
            VDA5050TopicName.coordinatorFilters() == [
                "uagv/v2/+/+/state", "uagv/v2/+/+/connection", "uagv/v2/+/+/factsheet",
            ])
    }

    @Test("QoS and retain flags per topic")
    func qos() {
        #expect(VDA5050Topic.connection.qos == 1 && VDA5050Topic.connection.retained)
        #expect(VDA5050Topic.factsheet.qos == 0 && VDA5050Topic.factsheet.retained)
        #expect(VDA5050Topic.order.qos == 0 && !VDA5050Topic.order.retained)
    }
}
