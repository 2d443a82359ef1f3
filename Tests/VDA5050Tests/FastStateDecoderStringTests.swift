import Testing

@testable import VDA5050

@Suite("FastStateDecoder strings")
struct FastStateDecoderStringTests {
    let decoder = FastStateDecoder()

    @Test("the small-string layout check holds on 64-bit little-endian platforms")
    func layout() {
        #if _endian(little) && _pointerBitWidth(_64)
            #expect(fastStateSmallStringLayout)
        #endif
    }

    @Test("ASCII strings of every length up to 40 decode equal to the Codable path's, mid-message and at the end")
    func everyLength() throws {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789-_~!".utf8)
        for n in 0...40 {
            let text = String(decoding: alphabet[0..<n], as: UTF8.self)
            let json = FastStateDecoderTests.minimal
                .replacingOccurrences(of: #""acme""#, with: "\"\(text)\"")
                .replacingOccurrences(
                    of: #""eStop":"NONE","fieldViolation":false}}"#,
                    with: #""fieldViolation":false,"eStop":"NONE"},"zoneSetId":"# + "\"\(text)\"}")
            let bytes = Array(json.utf8)
            let expected = try #require(codableState(bytes))
            let state = try decoder.decode(bytes)
            #expect(state == expected)
            #expect(state.manufacturer == text && state.zoneSetId == text)
            #expect(state.manufacturer.utf8.count == n && Array(state.manufacturer.utf8) == Array(text.utf8))
            #expect(state.manufacturer.hashValue == text.hashValue)
            #expect(state.manufacturer + "!" == text + "!")
        }
    }
}
