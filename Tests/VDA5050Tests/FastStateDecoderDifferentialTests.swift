import Foundation
import Testing

@testable import VDA5050

/// SplitMix64: a small deterministic generator, so every run tests the same inputs.
struct FastStateTestRNG {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
    mutating func pick<T>(_ a: [T]) -> T { a[int(a.count)] }
}

/// Writes random state messages as JSON text with random spelling.
final class FastStateTextGenerator {
    var rng: FastStateTestRNG

    init(rng: FastStateTestRNG) { self.rng = rng }

    func ws() -> String { rng.chance(20) ? rng.pick([" ", "\n", "\t ", "\r\n  "]) : "" }

    func string() -> String {
        let parts = [
            "a", "N1", "\\n", "\\u00e9", "\\ud83d\\ude00", "\\/", "é", "😀", "x y", "\\\"", "\\\\", "\\t", "KLT",
        ]
        var s = ""
        for _ in 0..<rng.int(4) { s += rng.pick(parts) }
        return "\"" + s + "\""
    }

    func double() -> String {
        rng.pick([
            "0", "1", "-1", "1e2", "-0.0", "1.5E-3", "0.1", "3.14159", "12345678901234567890", "1e-300",
            "2.5e+10", "-7", "0.30000000000000004", "123.456", "9007199254740993", "1E0",
        ])
    }

    func int() -> String { rng.pick(["0", "1", "42", "-3", "1.0", "1e2", "9223372036854775807", "-0"]) }
    func uint() -> String { rng.pick(["0", "1", "4294967295", "7", "1e3", "2.0"]) }
    func bool() -> String { rng.chance(50) ? "true" : "false" }

    func unknownValue(_ depth: Int) -> String {
        switch rng.int(depth > 2 ? 3 : 5) {
        case 0: return string()
        case 1: return double()
        case 2: return rng.pick(["true", "false", "null"])
        case 3: return "[" + (0..<rng.int(3)).map { _ in unknownValue(depth + 1) }.joined(separator: ",") + "]"
        default: return "{\"k\":" + unknownValue(depth + 1) + "}"
        }
    }

    /// An object from (key, value, required) fields: optional ones appear at random, sometimes as null.
    func object(_ fields: [(String, () -> String, Bool)]) -> String {
        var parts: [String] = []
        for (k, v, required) in fields {
            if required || rng.chance(50) {
                let value = !required && rng.chance(10) ? "null" : v()
                parts.append(ws() + "\"\(k)\"" + ws() + ":" + ws() + value + ws())
            }
        }
        if rng.chance(15) { parts.append("\"x-extra\":" + unknownValue(0)) }
        for k in stride(from: parts.count - 1, to: 0, by: -1) where rng.chance(30) {
            parts.swapAt(k, rng.int(k + 1))
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    func array(_ element: () -> String) -> String {
        "[" + ws() + (0..<rng.int(3)).map { _ in element() }.joined(separator: "," + ws()) + "]"
    }

    func state() -> String {
        let g = self
        func reference() -> String {
            g.object([("referenceKey", { g.string() }, true), ("referenceValue", { g.string() }, true)])
        }
        return g.object([
            ("headerId", { g.uint() }, true),
            ("timestamp", { g.rng.pick(["\"2026-11-29T14:03:07.120Z\"", "\"2024-01-02T03:04:05+02:00\""]) }, true),
            ("version", { g.string() }, true), ("manufacturer", { g.string() }, true),
            ("serialNumber", { g.string() }, true),
            (
                "maps",
                {
                    g.array {
                        g.object([
                            ("mapId", { g.string() }, true), ("mapVersion", { g.string() }, true),
                            ("mapDescription", { g.string() }, false),
                            ("mapStatus", { g.rng.pick(["\"ENABLED\"", "\"DISABLED\""]) }, true),
                        ])
                    }
                }, false
            ),
            ("orderId", { g.string() }, true), ("orderUpdateId", { g.uint() }, true),
            ("zoneSetId", { g.string() }, false), ("lastNodeId", { g.string() }, true),
            ("lastNodeSequenceId", { g.int() }, true), ("driving", { g.bool() }, true),
            ("paused", { g.bool() }, false), ("newBaseRequest", { g.bool() }, false),
            ("distanceSinceLastNode", { g.double() }, false),
            ("operatingMode", { g.rng.pick(["\"AUTOMATIC\"", "\"MANUAL\"", "\"TEACHIN\"", "\"SERVICE\""]) }, true),
            (
                "nodeStates",
                {
                    g.array {
                        g.object([
                            ("nodeId", { g.string() }, true), ("sequenceId", { g.int() }, true),
                            ("nodeDescription", { g.string() }, false), ("released", { g.bool() }, true),
                            (
                                "nodePosition",
                                {
                                    g.object([
                                        ("x", { g.double() }, true), ("y", { g.double() }, true),
                                        ("theta", { g.double() }, false), ("mapId", { g.string() }, true),
                                    ])
                                }, false
                            ),
                        ])
                    }
                }, true
            ),
            (
                "edgeStates",
                {
                    g.array {
                        g.object([
                            ("edgeId", { g.string() }, true), ("sequenceId", { g.int() }, true),
                            ("released", { g.bool() }, true),
                            (
                                "trajectory",
                                {
                                    g.object([
                                        ("degree", { g.int() }, true),
                                        ("knotVector", { g.array { g.double() } }, true),
                                        (
                                            "controlPoints",
                                            {
                                                g.array {
                                                    g.object([
                                                        ("x", { g.double() }, true), ("y", { g.double() }, true),
                                                        ("weight", { g.double() }, false),
                                                    ])
                                                }
                                            }, true
                                        ),
                                    ])
                                }, false
                            ),
                        ])
                    }
                }, true
            ),
            (
                "agvPosition",
                {
                    g.object([
                        ("x", { g.double() }, true), ("y", { g.double() }, true), ("theta", { g.double() }, true),
                        ("mapId", { g.string() }, true), ("positionInitialized", { g.bool() }, true),
                        ("localizationScore", { g.double() }, false),
                    ])
                }, false
            ),
            ("velocity", { g.object([("vx", { g.double() }, false), ("omega", { g.double() }, false)]) }, false),
            (
                "loads",
                {
                    g.array {
                        g.object([
                            ("loadId", { g.string() }, false), ("weight", { g.double() }, false),
                            (
                                "boundingBoxReference",
                                {
                                    g.object([
                                        ("x", { g.double() }, true), ("y", { g.double() }, true),
                                        ("z", { g.double() }, true),
                                    ])
                                }, false
                            ),
                            (
                                "loadDimensions",
                                { g.object([("length", { g.double() }, true), ("width", { g.double() }, true)]) },
                                false
                            ),
                        ])
                    }
                }, false
            ),
            (
                "actionStates",
                {
                    g.array {
                        g.object([
                            ("actionId", { g.string() }, true), ("actionType", { g.string() }, false),
                            ("actionStatus", { g.rng.pick(["\"WAITING\"", "\"RUNNING\"", "\"FAILED\""]) }, true),
                        ])
                    }
                }, true
            ),
            (
                "batteryState",
                {
                    g.object([
                        ("batteryCharge", { g.double() }, true), ("charging", { g.bool() }, true),
                        ("reach", { g.double() }, false),
                    ])
                }, true
            ),
            (
                "errors",
                {
                    g.array {
                        g.object([
                            ("errorType", { g.string() }, true),
                            ("errorReferences", { g.array { reference() } }, false),
                            ("errorLevel", { g.rng.pick(["\"WARNING\"", "\"FATAL\""]) }, true),
                        ])
                    }
                }, true
            ),
            (
                "information",
                {
                    g.array {
                        g.object([
                            ("infoType", { g.string() }, true),
                            ("infoReferences", { g.array { reference() } }, false),
                            ("infoLevel", { g.rng.pick(["\"INFO\"", "\"DEBUG\""]) }, true),
                        ])
                    }
                }, false
            ),
            (
                "safetyState",
                {
                    g.object([
                        ("eStop", { g.rng.pick(["\"NONE\"", "\"AUTOACK\"", "\"REMOTE\""]) }, true),
                        ("fieldViolation", { g.bool() }, true),
                    ])
                }, true
            ),
        ])
    }
}

@Suite("FastStateDecoder differential")
struct FastStateDecoderDifferentialTests {
    let decoder = FastStateDecoder()

    /// Both fail, or both succeed with equal values.
    func agree(_ bytes: [UInt8]) -> Bool {
        let fast = try? decoder.decode(bytes)
        return fast == codableState(bytes)
    }

    /// Random mutations of a valid message.
    func mutate(_ text: [UInt8], _ rng: inout FastStateTestRNG) -> [UInt8] {
        var b = text
        guard !b.isEmpty else { return b }
        let at = rng.int(b.count)
        switch rng.int(9) {
        case 0: b[at] ^= UInt8(1 << rng.int(8))
        case 1: b.removeSubrange(at...)
        case 2: b.remove(at: at)
        case 3:
            b.insert(contentsOf: Array(rng.pick(["NaN", "Infinity", "null", ",", "]", "}", "01", "\""]).utf8), at: at)
        case 4: b[at] = rng.pick([0xFF, 0xC0, 0xED, 0x80, 0x00, 0x1F, 0xF4])
        case 5:
            if let q = b.indices.filter({ b[$0] == UInt8(ascii: "\"") }).randomElement(using: &rng) { b.remove(at: q) }
        case 6:
            if let q = b.indices.filter({ b[$0] == UInt8(ascii: ",") }).randomElement(using: &rng) { b.remove(at: q) }
        case 7:
            let dup = rng.pick([#","headerId":"x""#, #","driving":null"#, #","paused":1"#, #","nodeStates":{}"#])
            b.insert(contentsOf: Array(dup.utf8), at: b.count - 1)
        default:
            let wrong = rng.pick([
                (#""driving":"#, #""driving":1,"d":"#), (#""batteryCharge":"#, #""batteryCharge":"1","b":"#),
                (#""eStop":"#, #""eStop":"none","e":"#), (#""headerId":"#, #""headerId":-1,"h":"#),
            ])
            b = Array(String(decoding: b, as: UTF8.self).replacingOccurrences(of: wrong.0, with: wrong.1).utf8)
        }
        return b
    }

    @Test("random valid and mutated messages decode as the Codable path does")
    func differential() {
        var rng = FastStateTestRNG(state: 0x5EED_F1EE_7C0D_E000)
        let generator = FastStateTextGenerator(rng: FastStateTestRNG(state: 42))
        var valid = 0
        var inputs = 0
        for round in 0..<1500 {
            let text = Array(generator.state().utf8)
            inputs += 1
            if codableState(text) != nil { valid += 1 }
            #expect(agree(text), "generated #\(round): \(String(decoding: text, as: UTF8.self))")
            for _ in 0..<3 {
                let mutated = mutate(text, &rng)
                inputs += 1
                #expect(agree(mutated), "mutated #\(round): \(String(decoding: mutated, as: UTF8.self))")
            }
        }
        #expect(valid > 300)
        #expect(inputs == 6000)
    }

    @Test("JSONEncoder output of decoded states round-trips")
    func encoderOutput() throws {
        let generator = FastStateTextGenerator(rng: FastStateTestRNG(state: 7))
        var checked = 0
        let encoder = JSONEncoder()
        for _ in 0..<300 {
            guard let state = codableState(Array(generator.state().utf8)) else { continue }
            let data = Array(try encoder.encode(state))
            #expect(try decoder.decode(data) == state)
            checked += 1
        }
        #expect(checked > 50)
    }

    @Test("every truncation of a few messages fails in both decoders")
    func truncations() {
        let full = Array(FastStateDecoderTests.full.utf8)
        for n in 0..<full.count {
            #expect(agree(Array(full[..<n])), "truncated at \(n)")
        }
    }
}

extension FastStateTestRNG: RandomNumberGenerator {}
