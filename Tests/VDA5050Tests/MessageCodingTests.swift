import Foundation
import Testing

@testable import VDA5050

@Suite("Message coding")
struct MessageCodingTests {
    let codec = VDA5050Codec()

    static let fixtureNames: [String] = ["2.1", "2.0"].flatMap { v in
        VDA5050Topic.allCases.map { "\($0.rawValue)-\(v).json" }
    }

    /// Decodes a fixture as the message type its topic names; returns (re-encoded bytes, equal after round trip).
    func decodeAndRoundTrip(_ name: String) throws -> (bytes: [UInt8], roundTripEqual: Bool) {
        let bytes = try TestSupport.fixture(name)
        let topic = VDA5050Topic(rawValue: String(name.prefix { $0 != "-" }))!
        func run<M: VDA5050Message>(_ type: M.Type) throws -> ([UInt8], Bool) {
            let message = try codec.decode(M.self, from: bytes)
            let encoded = try codec.encode(message)
            return (encoded, try codec.decode(M.self, from: encoded) == message)
        }
        switch topic {
        case .order: return try run(Order.self)
        case .instantActions: return try run(InstantActions.self)
        case .state: return try run(State.self)
        case .connection: return try run(Connection.self)
        case .factsheet: return try run(Factsheet.self)
        case .visualization: return try run(Visualization.self)
        }
    }

    @Test("fixtures decode, round-trip, and encode without null", arguments: fixtureNames)
    func fixtureRoundTrip(name: String) throws {
        let (bytes, equal) = try decodeAndRoundTrip(name)
        #expect(equal)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains("null"))
        #expect(!text.contains("\n"))
        // Fixture timestamps have 2 fractional digits; the encoder writes 3 and Z.
        #expect(text.contains("\"timestamp\":\"2024-08-19T10:15:30.120Z\""))
    }

    @Test("unknown fields are ignored at every level", arguments: fixtureNames)
    func unknownFieldsTolerated(name: String) throws {
        // Every object except free-form action parameter values gets an extra member no schema knows.
        func inject(_ value: Any, key: String?) -> Any {
            if var object = value as? [String: Any] {
                for (k, v) in object { object[k] = inject(v, key: k) }
                if key != "value" { object["x-vendor"] = ["deep": [1, NSNull(), ["a": true]]] }
                return object
            }
            if let array = value as? [Any] { return array.map { inject($0, key: key) } }
            return value
        }
        let object = try JSONSerialization.jsonObject(with: Data(try TestSupport.fixture(name)))
        let text = String(decoding: try JSONSerialization.data(withJSONObject: inject(object, key: nil)), as: UTF8.self)
        #expect(text.contains("x-vendor"))
        let original = try decodeAndRoundTrip(name)
        let topic = VDA5050Topic(rawValue: String(name.prefix { $0 != "-" }))!
        func same<M: VDA5050Message>(_ type: M.Type) throws -> Bool {
            try codec.decode(M.self, from: Array(text.utf8)) == codec.decode(M.self, from: original.bytes)
        }
        switch topic {
        case .order: #expect(try same(Order.self))
        case .instantActions: #expect(try same(InstantActions.self))
        case .state: #expect(try same(State.self))
        case .connection: #expect(try same(Connection.self))
        case .factsheet: #expect(try same(Factsheet.self))
        case .visualization: #expect(try same(Visualization.self))
        }
    }

    @Test("2.1 order fixture content")
    func orderContent() throws {
        let order = try codec.decode(Order.self, from: try TestSupport.fixture("order-2.1.json"))
        #expect(order.orderId == "order-1234")
        #expect(order.nodes.map(\.sequenceId) == [0, 2, 4])
        #expect(order.edges[0].corridor == Corridor(leftWidth: 0.5, rightWidth: 0.4, corridorRefPoint: .contour))
        #expect(order.edges[0].orientationType == .tangential)
        #expect(order.edges[0].trajectory?.controlPoints.count == 2)
        let parameters = order.nodes[0].actions[0].actionParameters ?? []
        #expect(
            parameters.map(\.value) == [
                .string("KLT-7"), .number(0.35), .bool(true), .array([.number(1), .number(2)]),
                .object(["mode": .string("fast")]),
            ])
        #expect(OrderValidator().validate(order).isEmpty)
    }

    @Test("2.0 messages: state without maps, factsheet spellings of the 2.0 schema")
    func version20() throws {
        let state = try codec.decode(State.self, from: try TestSupport.fixture("state-2.0.json"))
        #expect(state.version == "2.0.0")
        #expect(state.maps == nil)
        #expect(state.batteryState.batteryCharge == 80)
        let factsheet = try codec.decode(Factsheet.self, from: try TestSupport.fixture("factsheet-2.0.json"))
        #expect(factsheet.vehicleConfig == nil)
        #expect(factsheet.typeSpecification.navigationTypes == [.autonomous, .physicalLineGuided])
        #expect(factsheet.loadSpecification.loadSets?.first?.maxWeight == 20)
        #expect(factsheet.protocolFeatures.agvActions[0].blockingTypes == nil)
        let encoded = String(decoding: try codec.encode(factsheet), as: UTF8.self)
        #expect(encoded.contains("\"maxWeight\":20"))
        #expect(!encoded.contains("maxWeigth"))
        #expect(!encoded.contains("LINDE"))
    }

    @Test("2.1 factsheet and visualization content")
    func factsheetContent() throws {
        let factsheet = try codec.decode(Factsheet.self, from: try TestSupport.fixture("factsheet-2.1.json"))
        #expect(factsheet.protocolLimits.maxArrayLens.orderNodes == 100)
        #expect(factsheet.protocolLimits.maxArrayLens.informationInfoReferences == 5)
        #expect(factsheet.protocolFeatures.agvActions[0].blockingTypes == [.hard, .soft])
        #expect(factsheet.vehicleConfig?.network?.localIpAddress == "10.0.0.12")
        let encoded = String(decoding: try codec.encode(factsheet), as: UTF8.self)
        #expect(encoded.contains("\"order.nodes\":100"))
        let visualization = try codec.decode(Visualization.self, from: Array(#"{"velocity":{"vx":1}}"#.utf8))
        #expect(visualization.headerId == 0 && visualization.manufacturer == "" && visualization.velocity?.vx == 1)
    }

    @Test("built messages round-trip")
    func builtRoundTrip() throws {
        #expect(try TestSupport.roundTrip(TestSupport.richOrder) == TestSupport.richOrder)
        #expect(try TestSupport.roundTrip(TestSupport.richInstantActions) == TestSupport.richInstantActions)
        #expect(try TestSupport.roundTrip(TestSupport.richState) == TestSupport.richState)
        #expect(try TestSupport.roundTrip(TestSupport.richFactsheet) == TestSupport.richFactsheet)
        #expect(try TestSupport.roundTrip(TestSupport.richVisualization) == TestSupport.richVisualization)
        for state in ConnectionState.allCases {
            #expect(try TestSupport.roundTrip(TestSupport.connection(state)) == TestSupport.connection(state))
        }
    }

    @Test("nil optionals are omitted, never null")
    func nilOptionalsOmitted() throws {
        let order = Order(
            manufacturer: "acme", serialNumber: "AMR-1", orderId: "o",
            nodes: [Node(nodeId: "N1", sequenceId: 0)])
        let bytes = try codec.encode(order)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains("null") && !text.contains("zoneSetId") && !text.contains("nodePosition"))
        // JSONEncoder does not keep declaration order on Linux, so compare the parsed objects.
        let object = try JSONSerialization.jsonObject(with: Data(bytes)) as! NSDictionary
        let expected =
            try JSONSerialization.jsonObject(
                with: Data(
                    (#"{"headerId":0,"timestamp":"1970-01-01T00:00:00.000Z","version":"2.1.0","manufacturer":"acme","#
                        + #""serialNumber":"AMR-1","orderId":"o","orderUpdateId":0,"nodes":[{"nodeId":"N1","sequenceId":0,"#
                        + #""released":true,"actions":[]}],"edges":[]}"#).utf8)) as! NSDictionary
        #expect(object == expected)
    }

    @Test("slashes are not escaped")
    func slashes() throws {
        var factsheet = TestSupport.richFactsheet
        factsheet.agvGeometry.envelopes3d?[0].url = "http://host/a/b"
        #expect(String(decoding: try codec.encode(factsheet), as: UTF8.self).contains("http://host/a/b"))
    }

    @Test("every state from the C reference publisher decodes")
    func referencePublisherStates() throws {
        let text = String(decoding: try TestSupport.fixture("pub-states.txt"), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 200)
        for line in lines {
            let space = line.firstIndex(of: " ")!
            let topic = try VDA5050TopicName(parsing: String(line[..<space]))
            let state = try codec.decode(State.self, from: Array(line[line.index(after: space)...].utf8))
            #expect(topic.topic == .state)
            #expect(state.serialNumber == topic.serialNumber)
            #expect(state.manufacturer == topic.manufacturer)
            #expect(try TestSupport.roundTrip(state) == state)
        }
    }
}
