import Testing

@testable import VDA5050

/// The byte-for-byte fast path for keys in the model's order (`FastStateKeys.quickMatch`) must find exactly the
/// keys the general scan-and-match path finds.
@Suite("FastStateDecoder keys")
struct FastStateDecoderKeyTests {
    let decoder = FastStateDecoder()

    /// `minimal` with `replacement` in place of `"headerId":1`.
    func variant(_ replacement: String) -> [UInt8] {
        Array(FastStateDecoderTests.minimal.replacingOccurrences(of: #""headerId":1"#, with: replacement).utf8)
    }

    @Test(
        "keys that extend, shorten, escape or repeat an expected key decode as the Codable path does",
        arguments: [
            #""headerIdx":7,"headerId":1"#,  // the expected name followed by more bytes is another key
            #""header":7,"headerId":1"#,  // a prefix of the expected name
            #""headerId":1,"headerId":2"#,  // the first occurrence wins
            #""\u0068eaderId":3"#,  // an escaped key is the same key
            #""headerId\u0000":3,"headerId":1"#,  // a control character after the name
            #""headerId\"":3,"headerId":1"#,  // an escaped quote after the name
            #""headerIdheaderIdheaderIdheaderId":5,"headerId":1"#,  // a key longer than 24 bytes
            #""headerId" : 4"#,  // whitespace after the key
            #""timestamp":"2026-11-29T14:03:07.120Z","headerId":9"#,  // out of order: the general path
        ])
    func keys(_ replacement: String) throws {
        let bytes = variant(replacement)
        let reference = try #require(codableState(bytes), "the Codable path rejects \(replacement)")
        #expect(try decoder.decode(bytes) == reference)
    }

    @Test("states written in the model's key order, with and without optional keys, decode as the Codable path does")
    func inOrder() throws {
        for text in [FastStateDecoderTests.minimal, FastStateDecoderTests.full, FastStateDecoderTests.v20] {
            let compact = Array(
                text.replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: " ", with: "").utf8)
            let reference = try #require(codableState(compact))
            #expect(try decoder.decode(compact) == reference)
        }
    }
}
