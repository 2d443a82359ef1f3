import Testing

@testable import VDA5050

@Suite("Timestamps")
struct TimestampTests {
    @Test(
        "parses ISO 8601 variants",
        arguments: [
            ("2024-08-19T10:15:30.12Z", "2024-08-19T10:15:30.120Z"),
            ("2024-08-19T10:15:30Z", "2024-08-19T10:15:30.000Z"),
            ("2024-08-19T10:15:30.123456Z", "2024-08-19T10:15:30.123Z"),
            ("2024-08-19T12:15:30.5+02:00", "2024-08-19T10:15:30.500Z"),
            ("2024-02-29T23:59:59.999Z", "2024-02-29T23:59:59.999Z"),
            ("1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z"),
        ])
    func parses(input: String, expected: String) {
        #expect(VDA5050Timestamp(iso8601: input)?.iso8601 == expected)
    }

    @Test(
        "rejects non-timestamps",
        arguments: [
            "", "2024-08-19", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2024-08-19T10:15:30", "yesterday",
            "2024-08-19T10:15:30.Z",
        ])
    func rejects(input: String) {
        #expect(VDA5050Timestamp(iso8601: input) == nil)
    }

    @Test("encodes with three fractional digits and Z")
    func encodes() throws {
        let connection = Connection(
            timestamp: VDA5050Timestamp(millisecondsSince1970: 1_700_000_000_007), manufacturer: "a",
            serialNumber: "b", connectionState: .online)
        let text = String(decoding: try VDA5050Codec().encode(connection), as: UTF8.self)
        #expect(text.contains(#""timestamp":"2023-11-14T22:13:20.007Z""#))
    }

    @Test("a bad timestamp names the field")
    func badTimestampField() {
        let json =
            #"{"headerId":1,"timestamp":"noon","version":"2.1.0","manufacturer":"a","serialNumber":"b","#
            + #""connectionState":"ONLINE"}"#
        #expect(throws: VDA5050DecodingError.self) {
            try VDA5050Codec().decode(Connection.self, from: Array(json.utf8))
        }
        do {
            _ = try VDA5050Codec().decode(Connection.self, from: Array(json.utf8))
        } catch {
            guard case .invalidValue(let path, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(path == "timestamp")
        }
    }
}
