import Foundation
import Testing

@testable import VDA5050

/// Decodes with Foundation's JSONDecoder, the reference the fast decoder must match.
func codableState(_ bytes: [UInt8]) -> State? {
    try? JSONDecoder().decode(State.self, from: Data(bytes))
}

@Suite("FastStateDecoder")
struct FastStateDecoderTests {
    let decoder = FastStateDecoder()

    static let minimal = #"""
        {"headerId":1,"timestamp":"2026-11-29T14:03:07.120Z","version":"2.1.0","manufacturer":"acme",
         "serialNumber":"AMR-1","orderId":"","orderUpdateId":0,"lastNodeId":"","lastNodeSequenceId":0,
         "driving":false,"operatingMode":"AUTOMATIC","nodeStates":[],"edgeStates":[],"actionStates":[],
         "batteryState":{"batteryCharge":80,"charging":false},"errors":[],
         "safetyState":{"eStop":"NONE","fieldViolation":false}}
        """#

    static let full = #"""
        {"headerId":4294967295,"timestamp":"2026-11-29T14:03:07.120+01:00","version":"2.1.0","manufacturer":"ac\u00e9me",
         "serialNumber":"AMR-\ud83d\ude00","maps":[{"mapId":"hall","mapVersion":"3","mapDescription":"d","mapStatus":"ENABLED"},
         {"mapId":"old","mapVersion":"2","mapStatus":"DISABLED"}],"orderId":"o-1","orderUpdateId":7,"zoneSetId":"z",
         "lastNodeId":"N1","lastNodeSequenceId":-2,"driving":true,"paused":false,"newBaseRequest":true,
         "distanceSinceLastNode":1.5E-3,"operatingMode":"TEACHIN",
         "nodeStates":[{"nodeId":"N2","sequenceId":2,"nodeDescription":"n","released":true,
           "nodePosition":{"x":1e2,"y":-0.0,"theta":3.14159,"allowedDeviationXY":0.5,"allowedDeviationTheta":0.1,
           "mapId":"hall","mapDescription":"m"}}],
         "edgeStates":[{"edgeId":"E1","sequenceId":1,"edgeDescription":"e","released":false,
           "trajectory":{"degree":2,"knotVector":[0,0.5,1],"controlPoints":[{"x":1,"y":2,"weight":0.5},{"x":3,"y":4}]}}],
         "agvPosition":{"x":1,"y":2,"theta":0.5,"mapId":"hall","mapDescription":"h","positionInitialized":true,
           "localizationScore":0.9,"deviationRange":0.1},
         "velocity":{"vx":0.1,"vy":0,"omega":-0.2},
         "loads":[{"loadId":"L1","loadType":"KLT","loadPosition":"front",
           "boundingBoxReference":{"x":0,"y":0,"z":0.1,"theta":1},"loadDimensions":{"length":1,"width":0.5,"height":0.3},
           "weight":12.5},{}],
         "actionStates":[{"actionId":"a1","actionType":"pick","actionDescription":"p","actionStatus":"RUNNING",
           "resultDescription":"ok"},{"actionId":"a2","actionStatus":"PAUSED"}],
         "batteryState":{"batteryCharge":55.5,"batteryVoltage":48.1,"batteryHealth":99,"charging":true,"reach":1200},
         "errors":[{"errorType":"orderError","errorReferences":[{"referenceKey":"orderId","referenceValue":"o-1"}],
           "errorDescription":"bad\nline","errorHint":"h","errorLevel":"FATAL"}],
         "information":[{"infoType":"t","infoReferences":[{"referenceKey":"k","referenceValue":"v"}],
           "infoDescription":"d","infoLevel":"DEBUG"}],
         "safetyState":{"eStop":"AUTOACK","fieldViolation":true}}
        """#

    /// A 2.0 robot: no maps, no 2.1 fields, unknown extra fields.
    static let v20 = #"""
        {"headerId":12,"timestamp":"2024-01-02T03:04:05Z","version":"2.0.0","manufacturer":"old","serialNumber":"S",
         "orderId":"o","orderUpdateId":1,"lastNodeId":"N","lastNodeSequenceId":2,"driving":false,
         "operatingMode":"SEMIAUTOMATIC","nodeStates":[],"edgeStates":[],"actionStates":[],
         "batteryState":{"batteryCharge":1,"charging":false},"errors":[],"information":[],
         "safetyState":{"eStop":"NONE","fieldViolation":false},"vendorExtension":{"a":[1,{"b":null}]}}
        """#

    @Test("hand-written messages decode as the Codable path does", arguments: [minimal, full, v20])
    func handWritten(_ text: String) throws {
        let bytes = Array(text.utf8)
        let expected = try #require(codableState(bytes))
        #expect(try decoder.decode(bytes) == expected)
    }

    @Test("the full message has every optional part")
    func fullValues() throws {
        let s = try decoder.decode(Array(Self.full.utf8))
        #expect(s.manufacturer == "acéme" && s.serialNumber == "AMR-😀")
        #expect(s.maps?.count == 2 && s.loads?.count == 2 && s.information?.count == 1)
        #expect(s.edgeStates[0].trajectory?.controlPoints[1].weight == nil)
        #expect(s.errors[0].errorReferences?[0].referenceValue == "o-1")
        #expect(s.nodeStates[0].nodePosition?.x == 100 && s.distanceSinceLastNode == 0.0015)
        #expect(s.safetyState.eStop == .autoAck && s.operatingMode == .teachIn)
    }

    @Test("all pub.c reference messages decode as the Codable path does")
    func pubFixture() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/fast-decoder-pub-states.txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        var count = 0
        for line in text.split(separator: "\n") {
            let payload = Array(line[line.firstIndex(of: " ")!...].dropFirst().utf8)
            let expected = try #require(codableState(payload))
            #expect(try decoder.decode(payload) == expected)
            count += 1
        }
        #expect(count == 300)
    }

    func expectError(_ bytes: [UInt8], decoder: FastStateDecoder = FastStateDecoder()) -> VDA5050DecodingError? {
        do {
            _ = try decoder.decode(bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test("bad input fails with a clear error")
    func badInput() {
        let good = Array(Self.minimal.utf8)
        guard case .malformedJSON = expectError(Array(good.dropLast(10))) else {
            Issue.record("truncated")
            return
        }
        let big = [UInt8](repeating: 32, count: 10 << 20)
        #expect(expectError(big) == .payloadTooLarge(size: 10 << 20, limit: 1 << 20))
        var utf8 = Array(Self.minimal.replacingOccurrences(of: "AMR-1", with: "AMR-@").utf8)
        utf8[utf8.firstIndex(of: UInt8(ascii: "@"))!] = 0xFF
        guard case .invalidUTF8 = expectError(utf8) else {
            Issue.record("invalid UTF-8")
            return
        }
        let bomb = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        #expect(expectError(bomb) != nil)
        let deep = Array(("{\"x\":" + String(repeating: "[", count: 100_000)).utf8)
        guard case .malformedJSON = expectError(deep) else {
            Issue.record("depth bomb")
            return
        }
        let nan = Array(Self.minimal.replacingOccurrences(of: "80", with: "NaN").utf8)
        guard case .malformedJSON = expectError(nan) else {
            Issue.record("NaN")
            return
        }
        let missing = Array(Self.full.replacingOccurrences(of: #""released":true,"#, with: "").utf8)
        #expect(expectError(missing) == .missingField(path: "nodeStates[0]", field: "released"))
        let wrong = Array(Self.full.replacingOccurrences(of: #""weight":0.5"#, with: #""weight":"x""#).utf8)
        guard case .invalidValue(let path, _) = expectError(wrong) else {
            Issue.record("wrong type")
            return
        }
        #expect(path == "edgeStates[0].trajectory.controlPoints[0].weight")
    }

    @Test("Foundation quirks are matched")
    func quirks() throws {
        let base = Self.minimal.dropLast()
        let cases: [(String, Bool)] = [
            (base + #","headerId":"x"}"#, true),  // later duplicate ignored
            (base + ",}", true),  // trailing comma
            (base + #","u":01,"v":"\q\ud800","w":[1,]}"#, true),  // unknown values only scanned
            (base + #","u":NaN}"#, false),
            (base + #","u\ud800":1}"#, false),  // keys of decoded objects are validated
            (base + "}x", false),
        ]
        for (text, ok) in cases {
            let bytes = Array(text.utf8)
            #expect((codableState(bytes) != nil) == ok, "\(text)")
            #expect((try? decoder.decode(bytes)) == codableState(bytes), "\(text)")
        }
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(Self.minimal.utf8)
        #expect(try decoder.decode(bom) == codableState(bom))
        let utf16 = Array(Self.minimal.data(using: .utf16LittleEndian)!)
        #expect(try decoder.decode(utf16) == codableState(utf16))
    }
}
