import Foundation
import Testing

@testable import VDA5050

@Suite("Bad input")
struct BadInputTests {
    let codec = VDA5050Codec()

    func decodeError<M: VDA5050Message>(_ type: M.Type, _ bytes: [UInt8]) -> VDA5050DecodingError? {
        do {
            _ = try codec.decode(M.self, from: bytes)
            return nil
        } catch {
            return error
        }
    }

    func decodeError<M: VDA5050Message>(_ type: M.Type, _ text: String) -> VDA5050DecodingError? {
        decodeError(M.self, Array(text.utf8))
    }

    var orderText: String { String(decoding: try! TestSupport.fixture("order-2.1.json"), as: UTF8.self) }

    @Test("truncated JSON at every length is malformed, never a crash")
    func truncated() {
        let bytes = Array(orderText.utf8)
        for length in stride(from: 0, to: bytes.count, by: 7) {
            let error = decodeError(Order.self, Array(bytes[..<length]))
            guard case .malformedJSON = error else {
                Issue.record("length \(length): \(String(describing: error))")
                return
            }
        }
    }

    @Test(
        "syntax errors carry an offset and a reason",
        arguments: [
            ("", 0, "empty payload"),
            ("   ", 3, "empty payload"),
            (#"{"a":1"#, 6, "end of input"),
            (#"{"a":NaN}"#, 5, "NaN"),
            (#"{"a":-Infinity}"#, 5, "Infinity"),
            (#"{"a":Infinity}"#, 5, "Infinity"),
            (#"{"a":1e400}"#, 5, "out of range"),
            (#"{"a":1} x"#, 8, "after the JSON value"),
            (#"{a:1}"#, 1, "field name"),
            (#"{"a":tru}"#, 5, "literal"),
            (#"{"a":"x\q"}"#, 7, "escape"),
            ("{\"a\":\"\u{01}\"}", 6, "control character"),
            (#"{"a":[1,]}"#, 8, "expected a value"),
            (#"{"a":01}"#, 6, "expected ','"),
        ])
    func syntax(text: String, offset: Int, reason: String) {
        let error = decodeError(Connection.self, text)
        guard case .malformedJSON(let at, let why) = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(at == offset)
        #expect(why.contains(reason), "\(why)")
    }

    @Test("wrong types name the field path")
    func wrongTypes() {
        var text = orderText.replacingOccurrences(of: #""blockingType": "SOFT""#, with: #""blockingType": "LOUD""#)
        #expect(
            {
                if case .invalidValue(let path, _) = decodeError(Order.self, text) {
                    return path == "nodes[2].actions[0].blockingType"
                }
                return false
            }())
        text = orderText.replacingOccurrences(of: #""sequenceId": 3"#, with: #""sequenceId": "3""#)
        #expect(
            {
                if case .invalidValue(let path, let reason) = decodeError(Order.self, text) {
                    return path == "edges[1].sequenceId" && !reason.isEmpty
                }
                return false
            }())
        // Foundation reports an out-of-range integer without a path; the reason says what it is.
        text = orderText.replacingOccurrences(of: #""orderUpdateId": 0"#, with: #""orderUpdateId": -1"#)
        if case .invalidValue(_, let reason) = decodeError(Order.self, text) {
            #expect(reason.contains("does not fit"))
        } else {
            Issue.record("negative orderUpdateId accepted: \(String(describing: decodeError(Order.self, text)))")
        }
        text = orderText.replacingOccurrences(of: #""released": false"#, with: #""released": null"#)
        if case .invalidValue(let path, let reason) = decodeError(Order.self, text) {
            #expect(path == "nodes[2].released")
            #expect(reason.contains("null"))
        } else {
            Issue.record("null accepted")
        }
        if case .invalidValue(let path, _) = decodeError(Connection.self, #"{"headerId":true}"#) {
            #expect(path == "headerId")
        } else {
            Issue.record("bool headerId accepted")
        }
    }

    @Test("missing required fields name the containing path")
    func missingFields() throws {
        let noStart = orderText.replacingOccurrences(of: #""startNodeId": "N2","#, with: "")
        #expect(decodeError(Order.self, noStart) == .missingField(path: "edges[1]", field: "startNodeId"))
        #expect(
            VDA5050DecodingError.missingField(path: "edges[1]", field: "startNodeId").description
                == "missing required field 'edges[1].startNodeId'")
        let noOrderId = orderText.replacingOccurrences(of: #""orderId": "order-1234","#, with: "")
        #expect(decodeError(Order.self, noOrderId) == .missingField(path: "", field: "orderId"))
        let noMap = try TestSupport.editedFixture("order-2.1.json") { object in
            var nodes = object["nodes"] as! [[String: Any]]
            var position = nodes[0]["nodePosition"] as! [String: Any]
            position["mapId"] = nil
            nodes[0]["nodePosition"] = position
            object["nodes"] = nodes
        }
        #expect(decodeError(Order.self, noMap) == .missingField(path: "nodes[0].nodePosition", field: "mapId"))
    }

    @Test("a 10 MB payload is rejected before parsing")
    func tooLarge() {
        let bytes = [UInt8](repeating: UInt8(ascii: " "), count: 10 << 20)
        #expect(decodeError(State.self, bytes) == .payloadTooLarge(size: 10 << 20, limit: 1 << 20))
        let small = VDA5050Codec(maxPayloadBytes: 10)
        #expect(throws: VDA5050DecodingError.payloadTooLarge(size: 11, limit: 10)) {
            try small.decode(Connection.self, from: Array("{\"a\":12345}".utf8))
        }
    }

    @Test(
        "invalid UTF-8 is reported with its offset",
        arguments: [
            ([0x7B, 0x22, 0xFF, 0x22, 0x7D], 2),  // 0xFF never occurs in UTF-8
            ([0x7B, 0x22, 0xC3], 2),  // truncated two-byte sequence
            ([0x7B, 0x22, 0xC0, 0xAF, 0x22], 2),  // overlong '/'
            ([0x7B, 0x22, 0xED, 0xA0, 0x80, 0x22], 2),  // UTF-16 surrogate
            ([0x7B, 0x22, 0xC3, 0xA9, 0x80], 4),  // 'é' then a stray continuation byte
        ] as [([UInt8], Int)])
    func invalidUTF8(bytes: [UInt8], offset: Int) {
        #expect(decodeError(State.self, bytes) == .invalidUTF8(offset: offset))
    }

    @Test("valid multi-byte UTF-8 decodes")
    func validUTF8() throws {
        let text =
            #"{"headerId":1,"timestamp":"2026-03-01T08:00:00.123Z","version":"2.1.0","manufacturer":"Müller","#
            + #""serialNumber":"b","connectionState":"ONLINE","note":"東京 🤖"}"#
        #expect(try codec.decode(Connection.self, from: Array(text.utf8)).manufacturer == "Müller")
    }

    @Test("a JSON array, string or number instead of an object")
    func notAnObject() {
        for text in ["[]", "[1,2]", "\"state\"", "42", "null", "true"] {
            guard case .invalidValue(let path, let reason) = decodeError(State.self, text) else {
                Issue.record("\(text): \(String(describing: decodeError(State.self, text)))")
                continue
            }
            #expect(path == "")
            #expect(!reason.isEmpty)
        }
    }

    @Test("deep nesting is rejected without a crash", arguments: [513, 100_000, 500_000])
    func deepNesting(depth: Int) {
        let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let error = decodeError(State.self, arrays)
        #expect(error == .malformedJSON(offset: 512, reason: "nesting deeper than 512 levels"))
        let objects = String(repeating: #"{"a":"#, count: min(depth, 200_000))
        guard case .malformedJSON(_, let reason) = decodeError(State.self, objects) else {
            Issue.record("deep objects accepted")
            return
        }
        #expect(reason.contains("nesting"))
    }

    @Test("nesting within the limit reaches the decoder")
    func nestingWithinLimit() {
        let inner = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        let text =
            #"{"headerId":1,"timestamp":"2026-03-01T08:00:00.123Z","version":"2.1.0","manufacturer":"a","#
            + #""serialNumber":"b","connectionState":"ONLINE","x":"# + inner + "}"
        #expect(decodeError(Connection.self, text) == nil)
    }

    @Test("encoding NaN or Infinity throws and names the field")
    func encodeNaN() {
        var order = TestSupport.order()
        order.nodes[1].nodePosition?.x = .nan
        #expect(throws: VDA5050EncodingError.self) { try codec.encode(order) }
        do {
            _ = try codec.encode(order)
        } catch {
            guard case .nonFiniteNumber(let path, _) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(path == "nodes[1].nodePosition.x")
            #expect(error.description.contains("nodes[1].nodePosition.x"))
        }
        var actions = TestSupport.richInstantActions
        actions.actions[1].actionParameters = [ActionParameter(key: "v", value: .array([.number(-.infinity)]))]
        #expect(
            throws: VDA5050EncodingError.nonFiniteNumber(
                path: "actions[1].actionParameters[0].value[0]", value: -.infinity)
        ) {
            try codec.encode(actions)
        }
    }

    @Test(
        "topics with wildcards in a level are rejected",
        arguments: ["uagv/v2/+/+/state", "uagv/v2/acme/#", "uagv/v2/$SYS/x/state"])
    func wildcardTopics(topic: String) {
        #expect(throws: VDA5050TopicError.self) { try VDA5050TopicName(parsing: topic) }
    }

    @Test("error descriptions are readable")
    func descriptions() {
        #expect(VDA5050DecodingError.invalidValue(path: "", reason: "x").description == "invalid message: x")
        #expect(
            VDA5050DecodingError.invalidValue(path: "a[1].b", reason: "x").description == "invalid value at 'a[1].b': x"
        )
    }
}
