/// A hand-written decoder for the VDA 5050 `state` message, the hot path of a fleet coordinator.
///
/// It reads the payload bytes in one pass, without building an intermediate document, and produces exactly the
/// `State` value that `JSONDecoder().decode(State.self, from:)` (swift-foundation) produces; it fails on exactly
/// the inputs on which that fails. That includes the places where Foundation is more lenient than RFC 8259:
///
/// - a trailing comma before `}` or `]` is accepted;
/// - the value of a key the model does not know, and every repetition of a key after its first occurrence
///   (the first occurrence wins), is only checked for structure: the bytes inside its strings and numbers are
///   not validated, exactly as Foundation's lazy scanner does;
/// - a UTF-8 byte order mark is skipped, and UTF-16 or UTF-32 input (detected as Foundation does) is transcoded;
/// - nesting deeper than 512 arrays and objects is rejected.
///
/// Everything the model does read is validated strictly: string escapes (including `\uXXXX` surrogate pairs),
/// UTF-8, unescaped control characters, number syntax and range, enum raw values and timestamps. Keys are
/// compared as Swift strings compare (Unicode canonical equivalence), so `"\u0068eaderId"` is `headerId`.
///
/// The one intended difference from `JSONDecoder` is the payload size limit, `maxPayloadBytes`.
public struct FastStateDecoder: Sendable {
    /// The largest payload, in bytes, that `decode` accepts; larger payloads fail with `payloadTooLarge`.
    public let maxPayloadBytes: Int

    /// Creates a decoder that rejects payloads larger than `maxPayloadBytes` (1 MiB by default).
    public init(maxPayloadBytes: Int = 1 << 20) {
        self.maxPayloadBytes = maxPayloadBytes
    }

    /// Decodes a `state` message from the JSON bytes of an MQTT payload.
    ///
    /// - Throws: `VDA5050DecodingError`: `payloadTooLarge`, `invalidUTF8` (a string the model reads is not
    ///   valid UTF-8), `malformedJSON` (syntax, nesting depth, escapes), `missingField` (a required field is
    ///   absent, with the path of the containing object, e.g. `nodeStates[0]`) or `invalidValue` (wrong type,
    ///   `null` for a required field, out-of-range number, unknown enum value, bad timestamp).
    public func decode(_ bytes: UnsafeRawBufferPointer) throws(VDA5050DecodingError) -> State {
        let count = bytes.count
        guard count <= maxPayloadBytes else {
            throw .payloadTooLarge(size: count, limit: maxPayloadBytes)
        }
        guard count > 0, let raw = bytes.baseAddress else {
            throw .malformedJSON(offset: 0, reason: "empty payload")
        }
        let base = raw.assumingMemoryBound(to: UInt8.self)
        switch FastStateEncoding.detect(base, count) {
        case .utf8(let bom):
            var cursor = FastStateCursor(base: base, start: bom, end: count)
            return try cursor.decodeDocument()
        case .other(let encoding, let bom):
            guard var utf8 = FastStateEncoding.transcode(base, bom, count, encoding) else {
                throw .invalidUTF8(offset: 0)
            }
            let n = utf8.count
            let result = utf8.withUnsafeMutableBufferPointer { buffer in
                Result { () throws(VDA5050DecodingError) -> State in
                    guard let p = buffer.baseAddress, n > 0 else {
                        throw .malformedJSON(offset: 0, reason: "empty payload")
                    }
                    var cursor = FastStateCursor(base: UnsafePointer(p), start: 0, end: n)
                    return try cursor.decodeDocument()
                }
            }
            return try result.get()
        }
    }

    /// Decodes a `state` message from the JSON bytes of an MQTT payload; see `decode(_:)` for an unsafe buffer.
    public func decode(_ bytes: [UInt8]) throws(VDA5050DecodingError) -> State {
        // Not `Result`: its generic `get()` copies the decoded value and destroys the original.
        var failure: VDA5050DecodingError?
        let state: State? = bytes.withUnsafeBytes { buffer in
            do throws(VDA5050DecodingError) {
                return try decode(buffer)
            } catch {
                failure = error
                return nil
            }
        }
        guard let state else { throw failure ?? .malformedJSON(offset: 0, reason: "empty payload") }
        return state
    }
}

// MARK: - Input encoding (as Foundation's JSONDecoder detects it)

enum FastStateEncoding {
    enum Kind { case utf16BE, utf16LE, utf32BE, utf32LE }
    enum Detected {
        case utf8(bom: Int)
        case other(Kind, bom: Int)
    }

    /// RFC 4627 §3 detection from the first four bytes, with byte order marks, in Foundation's order.
    static func detect(_ p: UnsafePointer<UInt8>, _ n: Int) -> Detected {
        let b0: Int = n > 0 ? Int(p[0]) : -1
        let b1: Int = n > 1 ? Int(p[1]) : -1
        let b2: Int = n > 2 ? Int(p[2]) : -1
        let b3: Int = n > 3 ? Int(p[3]) : -1
        if b0 == 0, b1 == 0, b2 == 0xFE, b3 == 0xFF { return .other(.utf32BE, bom: 4) }
        if b0 == 0xFE, b1 == 0xFF, b2 == 0, b3 == 0 { return .other(.utf32LE, bom: 4) }
        if b0 == 0xFE, b1 == 0xFF { return .other(.utf16BE, bom: 2) }
        if b0 == 0xFF, b1 == 0xFE { return .other(.utf16LE, bom: 2) }
        if b0 == 0xEF, b1 == 0xBB, b2 == 0xBF { return .utf8(bom: 3) }
        if b0 == 0, b1 == 0, b2 == 0, b3 > 0 { return .other(.utf32BE, bom: 0) }
        if b0 == 0, b1 > 0, b2 == 0, b3 > 0 { return .other(.utf16BE, bom: 0) }
        if b0 > 0, b1 == 0, b2 == 0, b3 == 0 { return .other(.utf32LE, bom: 0) }
        if b0 > 0, b1 == 0, b2 > 0, b3 == 0 { return .other(.utf16LE, bom: 0) }
        if n == 2, b0 == 0, b1 > 0 { return .other(.utf16BE, bom: 0) }
        if n == 2, b0 > 0, b1 == 0 { return .other(.utf16LE, bom: 0) }
        return .utf8(bom: 0)
    }

    /// Strictly transcodes UTF-16 or UTF-32 to UTF-8; nil when the input is not valid in that encoding.
    static func transcode(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int, _ kind: Kind) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(n)
        var failed = false
        switch kind {
        case .utf16BE, .utf16LE:
            guard (n - start) % 2 == 0 else { return nil }
            var units: [UInt16] = []
            units.reserveCapacity((n - start) / 2)
            var i = start
            while i < n {
                let a = UInt16(p[i])
                let b = UInt16(p[i + 1])
                units.append(kind == .utf16BE ? a << 8 | b : b << 8 | a)
                i += 2
            }
            failed = Swift.transcode(units.makeIterator(), from: UTF16.self, to: UTF8.self, stoppingOnError: true) {
                out.append($0)
            }
        case .utf32BE, .utf32LE:
            guard (n - start) % 4 == 0 else { return nil }
            var units: [UInt32] = []
            units.reserveCapacity((n - start) / 4)
            var i = start
            while i < n {
                let a = UInt32(p[i])
                let b = UInt32(p[i + 1])
                let c = UInt32(p[i + 2])
                let d = UInt32(p[i + 3])
                units.append(kind == .utf32BE ? a << 24 | b << 16 | c << 8 | d : d << 24 | c << 16 | b << 8 | a)
                i += 4
            }
            failed = Swift.transcode(units.makeIterator(), from: UTF32.self, to: UTF8.self, stoppingOnError: true) {
                out.append($0)
            }
        }
        return failed ? nil : out
    }
}

// MARK: - Errors with paths

extension VDA5050DecodingError {
    /// The error as seen from the object that holds the failing value under `key`.
    func fastStatePrefixed(key: StaticString) -> VDA5050DecodingError {
        switch self {
        case .missingField(let path, let field):
            return .missingField(path: Self.fastStateJoin("\(key)", path), field: field)
        case .invalidValue(let path, let reason):
            return .invalidValue(path: Self.fastStateJoin("\(key)", path), reason: reason)
        default:
            return self
        }
    }

    /// The error as seen from the array that holds the failing element at `index`.
    func fastStatePrefixed(index: Int) -> VDA5050DecodingError {
        switch self {
        case .missingField(let path, let field):
            return .missingField(path: Self.fastStateJoin("[\(index)]", path), field: field)
        case .invalidValue(let path, let reason):
            return .invalidValue(path: Self.fastStateJoin("[\(index)]", path), reason: reason)
        default:
            return self
        }
    }

    static func fastStateJoin(_ head: String, _ tail: String) -> String {
        if tail.isEmpty { return head }
        if tail.utf8.first == UInt8(ascii: "[") { return head + tail }
        return head + "." + tail
    }
}

// MARK: - The cursor: JSON syntax, strings, numbers

/// The bytes of a JSON string between its quotes, as scanned.
struct FastStateRawString {
    /// Offset of the first content byte.
    var start: Int
    /// Offset of the closing quote.
    var end: Int
    /// No backslash and no control character: the content is the value (after UTF-8 validation).
    var simple: Bool
    /// Only ASCII bytes (meaningful when `simple`).
    var ascii: Bool
}

/// A JSON number as parsed strictly (RFC 8259 grammar).
struct FastStateNumber {
    var negative = false
    /// Up to 19 significant digits.
    var mantissa: UInt64 = 0
    /// Value = mantissa * 10^exponent (plus truncated digits).
    var exponent = 0
    /// More than 19 significant digits were present.
    var truncated = false
    /// No fraction and no exponent.
    var plain = true
}

/// The powers of ten that are exact in a Double, 10^0 through 10^22 (a switch, not a global array: no
/// retain and release per lookup).
@inline(__always)
func fastStatePowerOf10(_ e: Int) -> Double {
    switch e {
    case 0: 1e0
    case 1: 1e1
    case 2: 1e2
    case 3: 1e3
    case 4: 1e4
    case 5: 1e5
    case 6: 1e6
    case 7: 1e7
    case 8: 1e8
    case 9: 1e9
    case 10: 1e10
    case 11: 1e11
    case 12: 1e12
    case 13: 1e13
    case 14: 1e14
    case 15: 1e15
    case 16: 1e16
    case 17: 1e17
    case 18: 1e18
    case 19: 1e19
    case 20: 1e20
    case 21: 1e21
    default: 1e22
    }
}

/// The inline small `String` of up to 15 ASCII bytes, from its bytes as two little-endian words (bytes 8 to 14 in
/// the low bytes of `w1`, the rest zero): the standard library's own representation on 64-bit little-endian
/// platforms, whose top byte is the discriminator 0xE0 (immortal, small, ASCII) plus the count. Only valid
/// when `fastStateSmallStringLayout` is true.
@inline(__always)
func fastStateSmallASCII(_ w0: UInt64, _ w1: UInt64, _ count: Int) -> String {
    #if _endian(little) && _pointerBitWidth(_64)
        return unsafeBitCast((w0, w1 | (0xE0 | UInt64(count)) << 56), to: String.self)
    #else
        preconditionFailure("no small string layout on this platform")
    #endif
}

/// Whether this platform's `String` stores short ASCII strings as `fastStateSmallASCII` builds them: checked once
/// against strings the standard library builds itself, for every length from 0 to 15.
let fastStateSmallStringLayout: Bool = {
    #if _endian(little) && _pointerBitWidth(_64)
        guard MemoryLayout<String>.size == 16 else { return false }
        let text: [UInt8] = Array("abcdefghijklmno".utf8)
        for n in 0...15 {
            var w0: UInt64 = 0
            var w1: UInt64 = 0
            for b in 0..<n {
                let v = UInt64(text[b]) << UInt64(8 * (b & 7))
                if b < 8 { w0 |= v } else { w1 |= v }
            }
            let reference = String(decoding: text[0..<n], as: UTF8.self)
            let bits = unsafeBitCast(reference, to: (UInt64, UInt64).self)
            guard bits.0 == w0, bits.1 == w1 | (0xE0 | UInt64(n)) << 56 else { return false }
        }
        return true
    #else
        return false
    #endif
}()

/// The maximum number of nested arrays and objects, as in Foundation's JSON scanner.
let fastStateMaxDepth = 512

struct FastStateCursor {
    let p: UnsafePointer<UInt8>
    let end: Int
    var i: Int

    /// Whether ASCII strings of up to 15 bytes may be built as `fastStateSmallASCII` builds them.
    let smallStrings: Bool

    init(base: UnsafePointer<UInt8>, start: Int, end: Int) {
        self.p = base
        self.i = start
        self.end = end
        self.smallStrings = fastStateSmallStringLayout
    }

    typealias E = VDA5050DecodingError

    @inline(__always)
    func malformed(_ reason: String) -> E { .malformedJSON(offset: i, reason: reason) }

    /// Skips whitespace and returns the next byte without consuming it.
    @inline(__always)
    mutating func next() throws(E) -> UInt8 {
        while i < end {
            let c = p[i]
            if c > 32 { return c }
            guard c == 32 || c == 10 || c == 13 || c == 9 else { return c }
            i += 1
        }
        throw malformed("unexpected end of input")
    }

    /// Consumes `literal` (e.g. `null`) at the cursor.
    @inline(__always)
    mutating func expectLiteral(_ literal: StaticString) throws(E) {
        let n = literal.utf8CodeUnitCount
        guard end - i >= n else { throw malformed("unexpected end of input in literal") }
        let l = literal.utf8Start
        for k in 0..<n where p[i + k] != l[k] {
            i += k
            throw malformed("invalid literal")
        }
        i += n
    }

    /// After whitespace: if the value is `null`, consumes it and returns true.
    @inline(__always)
    mutating func takeNull() throws(E) -> Bool {
        guard try next() == UInt8(ascii: "n") else { return false }
        try expectLiteral("null")
        return true
    }

    // MARK: Structure

    /// Decodes the top-level object and checks that only whitespace follows.
    mutating func decodeDocument() throws(E) -> State {
        let state = try readState(open: 0)
        while i < end {
            let c = p[i]
            guard c == 32 || c == 10 || c == 13 || c == 9 else { throw malformed("unexpected data after the message") }
            i += 1
        }
        return state
    }

    /// Skips one value, checking its structure only (as Foundation's scanner does for values it never decodes).
    mutating func skipValue(open: Int) throws(E) {
        let c = try next()
        switch c {
        case UInt8(ascii: "\""):
            _ = try scanString()
        case UInt8(ascii: "{"):
            guard open < fastStateMaxDepth else { throw malformed("too many nested arrays or objects") }
            i += 1
            var d = try next()
            if d == UInt8(ascii: "}") {
                i += 1
                return
            }
            while true {
                guard d == UInt8(ascii: "\"") else { throw malformed("expected a key") }
                _ = try scanString()
                guard try next() == UInt8(ascii: ":") else { throw malformed("expected ':'") }
                i += 1
                try skipValue(open: open + 1)
                d = try next()
                if d == UInt8(ascii: ",") {
                    i += 1
                    d = try next()
                    if d == UInt8(ascii: "}") {
                        i += 1
                        return
                    }
                } else if d == UInt8(ascii: "}") {
                    i += 1
                    return
                } else {
                    throw malformed("expected ',' or '}'")
                }
            }
        case UInt8(ascii: "["):
            guard open < fastStateMaxDepth else { throw malformed("too many nested arrays or objects") }
            i += 1
            if try next() == UInt8(ascii: "]") {
                i += 1
                return
            }
            while true {
                try skipValue(open: open + 1)
                let d = try next()
                if d == UInt8(ascii: ",") {
                    i += 1
                    if try next() == UInt8(ascii: "]") {
                        i += 1
                        return
                    }
                } else if d == UInt8(ascii: "]") {
                    i += 1
                    return
                } else {
                    throw malformed("expected ',' or ']'")
                }
            }
        case UInt8(ascii: "t"):
            try expectLiteral("true")
        case UInt8(ascii: "f"):
            try expectLiteral("false")
        case UInt8(ascii: "n"):
            try expectLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = scanNumber()
        default:
            throw malformed("unexpected character")
        }
    }

    /// Scans the number characters at the cursor (as Foundation's scanner does) and returns their start.
    @inline(__always)
    mutating func scanNumber() -> Int {
        let start = i
        i += 1
        while i < end {
            let c = p[i]
            if (c >= 48 && c <= 57) || c == 46 || c == 43 || c == 45 || c == 101 || c == 69 {
                i += 1
            } else {
                break
            }
        }
        return start
    }

    /// Scans a string at the cursor (which is at its opening quote); checks structure only.
    @inline(__always)
    mutating func scanString() throws(E) -> FastStateRawString {
        i += 1
        let start = i
        var ascii = true
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while end - i >= 8 {
            // Eight bytes at a time while none is a quote, a backslash, a control character or non-ASCII.
            let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            let q = w ^ (ones &* 0x22)
            let b = w ^ (ones &* 0x5C)
            let special = (((q &- ones) & ~q) | ((b &- ones) & ~b) | ((w &- ones &* 0x20) & ~w) | w) & highs
            if special == 0 {
                i += 8
                continue
            }
            // The lowest flagged byte is a real one (a borrow only propagates upward from a real match).
            i += special.trailingZeroBitCount >> 3
            if p[i] == UInt8(ascii: "\"") {
                i += 1
                return FastStateRawString(start: start, end: i - 1, simple: true, ascii: true)
            }
            break
        }
        while i < end {
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return FastStateRawString(start: start, end: i - 1, simple: true, ascii: ascii)
            }
            if c == UInt8(ascii: "\\") || c < 0x20 { break }
            if c >= 0x80 { ascii = false }
            i += 1
        }
        while i < end {
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return FastStateRawString(start: start, end: i - 1, simple: false, ascii: false)
            }
            if c == UInt8(ascii: "\\") {
                i += 1
                guard i < end else { break }
                let e = p[i]
                i += 1
                if e == UInt8(ascii: "u") {
                    guard end - i >= 4 else { break }
                    for k in 0..<4 where p[i + k] == UInt8(ascii: "\"") {
                        throw malformed("invalid \\u escape")
                    }
                    i += 4
                }
            } else {
                i += 1
            }
        }
        throw malformed("unterminated string")
    }

    // MARK: Strings

    /// The offset of the first byte of an invalid UTF-8 sequence in `start..<stop`, or nil.
    func invalidUTF8Offset(_ start: Int, _ stop: Int) -> Int? {
        var k = start
        while k < stop {
            let c = p[k]
            if c < 0x80 {
                k += 1
                continue
            }
            var need = 0
            var lo: UInt8 = 0x80
            var hi: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: need = 1
            case 0xE0:
                need = 2
                lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED:
                need = 2
                hi = 0x9F
            case 0xF0:
                need = 3
                lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4:
                need = 3
                hi = 0x8F
            default: return k
            }
            guard stop - k > need else { return k }
            let c1 = p[k + 1]
            guard c1 >= lo, c1 <= hi else { return k }
            for m in 1..<need + 1 where m > 1 {
                let cm = p[k + m]
                guard cm >= 0x80, cm <= 0xBF else { return k }
            }
            k += need + 1
        }
        return nil
    }

    /// The value of a scanned string, validated as Foundation validates the strings it decodes.
    mutating func stringValue(_ s: FastStateRawString) throws(E) -> String {
        if s.simple {
            if s.ascii { return asciiString(s.start, s.end - s.start) }
            if let bad = invalidUTF8Offset(s.start, s.end) { throw .invalidUTF8(offset: bad) }
            return String(decoding: UnsafeBufferPointer(start: p + s.start, count: s.end - s.start), as: UTF8.self)
        }
        return try slowStringValue(s)
    }

    /// The String of `count` bytes at `start`, all ASCII (checked by the scanner). Up to 15 bytes this is the
    /// standard library's inline small string, built from its two words (when `smallStrings` says the layout is
    /// the one `fastStateSmallStringLayout` verified); longer strings are copied into new storage.
    @inline(__always)
    func asciiString(_ start: Int, _ count: Int) -> String {
        if count <= 15, smallStrings {
            var w0: UInt64 = 0
            var w1: UInt64 = 0
            if end - start >= 16 {
                let r = UnsafeRawPointer(p + start)
                w0 = FastStateKeys.low(UInt64(littleEndian: r.loadUnaligned(as: UInt64.self)), count)
                w1 = FastStateKeys.low(
                    UInt64(littleEndian: r.loadUnaligned(fromByteOffset: 8, as: UInt64.self)), count - 8)
            } else {
                for b in 0..<count {
                    let v = UInt64(p[start + b]) << UInt64(8 * (b & 7))
                    if b < 8 { w0 |= v } else { w1 |= v }
                }
            }
            return fastStateSmallASCII(w0, w1, count)
        }
        if count == 0 { return "" }
        let source = p + start
        return String(unsafeUninitializedCapacity: count) { buffer in
            buffer.baseAddress.unsafelyUnwrapped.update(from: source, count: count)
            return count
        }
    }

    @inline(never)
    func slowStringValue(_ s: FastStateRawString) throws(E) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.end - s.start)
        var k = s.start
        var chunk = k
        func flush(_ upTo: Int) throws(E) {
            if let bad = invalidUTF8Offset(chunk, upTo) { throw .invalidUTF8(offset: bad) }
            out.append(contentsOf: UnsafeBufferPointer(start: p + chunk, count: upTo - chunk))
        }
        func hex4(_ at: Int) throws(E) -> UInt32 {
            guard s.end - at >= 4 else { throw .malformedJSON(offset: at, reason: "invalid \\u escape") }
            var v: UInt32 = 0
            for m in 0..<4 {
                let c = p[at + m]
                let d: UInt32
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - 48)
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - 87)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - 55)
                default: throw .malformedJSON(offset: at + m, reason: "invalid hex digit in \\u escape")
                }
                v = v << 4 | d
            }
            return v
        }
        while k < s.end {
            let c = p[k]
            if c == UInt8(ascii: "\\") {
                try flush(k)
                let e = p[k + 1]
                k += 2
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4(k)
                    k += 4
                    if scalar >= 0xD800, scalar <= 0xDBFF {
                        guard s.end - k >= 2, p[k] == UInt8(ascii: "\\"), p[k + 1] == UInt8(ascii: "u") else {
                            throw .malformedJSON(offset: k, reason: "high surrogate without a low surrogate")
                        }
                        let low = try hex4(k + 2)
                        guard low >= 0xDC00, low <= 0xDFFF else {
                            throw .malformedJSON(offset: k, reason: "high surrogate without a low surrogate")
                        }
                        k += 6
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if scalar >= 0xDC00, scalar <= 0xDFFF {
                        throw .malformedJSON(offset: k - 6, reason: "lone low surrogate")
                    }
                    guard let u = Unicode.Scalar(scalar) else {
                        throw .malformedJSON(offset: k - 6, reason: "invalid \\u escape")
                    }
                    out.append(contentsOf: UTF8.encode(u)!)
                default:
                    throw .malformedJSON(offset: k - 1, reason: "invalid escape")
                }
                chunk = k
            } else if c < 0x20 {
                throw .malformedJSON(offset: k, reason: "unescaped control character in string")
            } else {
                k += 1
            }
        }
        try flush(s.end)
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Numbers

    /// Parses `start..<i` strictly as an RFC 8259 number.
    func parseNumber(_ start: Int) throws(E) -> FastStateNumber {
        var n = FastStateNumber()
        var k = start
        let stop = i
        if p[k] == UInt8(ascii: "-") {
            n.negative = true
            k += 1
        }
        guard k < stop, p[k] >= 48, p[k] <= 57 else { throw .malformedJSON(offset: k, reason: "invalid number") }
        var digits = 0
        if p[k] == 48 {
            k += 1
            if k < stop, p[k] >= 48, p[k] <= 57 { throw .malformedJSON(offset: k, reason: "leading zero in number") }
        } else {
            while k < stop, p[k] >= 48, p[k] <= 57 {
                if digits < 19 {
                    n.mantissa = n.mantissa &* 10 &+ UInt64(p[k] - 48)
                    digits += 1
                } else {
                    n.truncated = true
                    n.exponent += 1
                }
                k += 1
            }
        }
        if k < stop, p[k] == UInt8(ascii: ".") {
            n.plain = false
            k += 1
            let first = k
            while k < stop, p[k] >= 48, p[k] <= 57 {
                let d = UInt64(p[k] - 48)
                if digits < 19 {
                    if n.mantissa != 0 || d != 0 { digits += 1 }
                    n.mantissa = n.mantissa &* 10 &+ d
                    n.exponent -= 1
                } else {
                    n.truncated = true
                }
                k += 1
            }
            guard k > first else { throw .malformedJSON(offset: k, reason: "invalid number") }
        }
        if k < stop, p[k] == UInt8(ascii: "e") || p[k] == UInt8(ascii: "E") {
            n.plain = false
            k += 1
            var negativeExponent = false
            if k < stop, p[k] == UInt8(ascii: "+") || p[k] == UInt8(ascii: "-") {
                negativeExponent = p[k] == UInt8(ascii: "-")
                k += 1
            }
            let first = k
            var e = 0
            while k < stop, p[k] >= 48, p[k] <= 57 {
                if e < 100_000 { e = e * 10 + Int(p[k] - 48) }
                k += 1
            }
            guard k > first else { throw .malformedJSON(offset: k, reason: "invalid number") }
            n.exponent += negativeExponent ? -e : e
        }
        guard k == stop else { throw .malformedJSON(offset: k, reason: "invalid number") }
        return n
    }

    /// The correctly rounded Double of the validated number at `start..<i` (may be infinite or zero).
    @inline(__always)
    func roundedDouble(_ n: FastStateNumber, _ start: Int) -> Double {
        if !n.truncated, n.mantissa <= 1 << 53, n.exponent >= -22, n.exponent <= 22 {
            let m = Double(n.mantissa)
            let v = n.exponent >= 0 ? m * fastStatePowerOf10(n.exponent) : m / fastStatePowerOf10(-n.exponent)
            return n.negative ? -v : v
        }
        return slowDouble(start)
    }

    @inline(never)
    func slowDouble(_ start: Int) -> Double {
        let text = String(decoding: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self)
        return Double(text) ?? .nan
    }

    /// Whether `c` is one of the characters Foundation's scanner takes as part of a number.
    @inline(__always)
    static func isNumberByte(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || c == 46 || c == 43 || c == 45 || c == 101 || c == 69
    }

    /// One pass over a short plain number at the cursor (`-`? digits, `.` digits?, no exponent, at most 19
    /// characters of digits and point): its sign, digits as an integer, number of fraction digits and end; or
    /// nil for anything else, which the general path (`scanNumber`, `parseNumber`) reads or rejects.
    @inline(__always)
    func shortDecimal() -> (negative: Bool, mantissa: UInt64, fraction: Int, stop: Int)? {
        var k = i
        let negative = p[k] == UInt8(ascii: "-")
        if negative { k += 1 }
        let first = k
        var mantissa: UInt64 = 0
        if k < end, p[k] == 48 {
            k += 1
        } else {
            while k < end, p[k] &- 48 < 10 {
                mantissa = mantissa &* 10 &+ UInt64(p[k] &- 48)
                k += 1
            }
            guard k > first else { return nil }
        }
        var fraction = 0
        if k < end, p[k] == UInt8(ascii: ".") {
            k += 1
            let f = k
            while k < end, p[k] &- 48 < 10 {
                mantissa = mantissa &* 10 &+ UInt64(p[k] &- 48)
                k += 1
            }
            fraction = k - f
            guard fraction > 0 else { return nil }
        }
        guard k - first <= 19, k == end || !Self.isNumberByte(p[k]) else { return nil }
        return (negative, mantissa, fraction, k)
    }

    /// Reads a number as Foundation reads a `Double`: finite, and not a non-zero number that rounds to zero.
    mutating func readDouble() throws(E) -> Double {
        let c = try next()
        guard c == UInt8(ascii: "-") || (c >= 48 && c <= 57) else { throw typeMismatch("a number", c) }
        if let d = shortDecimal(), d.mantissa <= 1 << 53, d.fraction <= 22 {
            // Exact operands, one division: correctly rounded, as `roundedDouble` computes it.
            i = d.stop
            let m = Double(d.mantissa)
            let v = d.fraction == 0 ? m : m / fastStatePowerOf10(d.fraction)
            return d.negative ? -v : v
        }
        return try readGeneralDouble()
    }

    /// `readDouble` for any other number (the cursor is at its first character).
    @inline(never)
    mutating func readGeneralDouble() throws(E) -> Double {
        let start = scanNumber()
        let n = try parseNumber(start)
        let v = roundedDouble(n, start)
        guard v.isFinite else { throw .invalidValue(path: "", reason: "number does not fit in a Double") }
        if v == 0, n.mantissa != 0 { throw .invalidValue(path: "", reason: "number does not fit in a Double") }
        return v
    }

    /// Reads a number as Foundation reads an `Int` (64-bit).
    mutating func readInt() throws(E) -> Int {
        let c = try next()
        guard c == UInt8(ascii: "-") || (c >= 48 && c <= 57) else { throw typeMismatch("an integer", c) }
        if let d = shortDecimal(), d.fraction == 0, d.mantissa <= UInt64(Int64.max) {
            i = d.stop
            return d.negative ? -Int(d.mantissa) : Int(d.mantissa)
        }
        let start = scanNumber()
        let n = try parseNumber(start)
        if n.plain {
            guard !n.truncated else { throw outOfRange() }
            if n.negative {
                guard n.mantissa <= UInt64(Int64.max) + 1 else { throw outOfRange() }
                return Int(truncatingIfNeeded: 0 &- n.mantissa)
            }
            guard n.mantissa <= UInt64(Int64.max) else { throw outOfRange() }
            return Int(n.mantissa)
        }
        let d = roundedDouble(n, start)
        guard let v = Int(exactly: d) else { throw outOfRange() }
        if d.magnitude < 9_007_199_254_740_992 { return v }
        return try decimalInteger(start)
    }

    /// Reads a number as Foundation reads a `UInt32`.
    mutating func readUInt32() throws(E) -> UInt32 {
        let c = try next()
        guard c == UInt8(ascii: "-") || (c >= 48 && c <= 57) else { throw typeMismatch("an integer", c) }
        if let d = shortDecimal(), d.fraction == 0, d.mantissa <= UInt64(UInt32.max), !d.negative || d.mantissa == 0 {
            i = d.stop
            return UInt32(d.mantissa)
        }
        let start = scanNumber()
        let n = try parseNumber(start)
        if n.plain {
            guard !n.truncated, n.mantissa <= UInt64(UInt32.max) else { throw outOfRange() }
            guard !n.negative || n.mantissa == 0 else { throw outOfRange() }
            return UInt32(n.mantissa)
        }
        guard let v = UInt32(exactly: roundedDouble(n, start)) else { throw outOfRange() }
        return v
    }

    func outOfRange() -> E { .invalidValue(path: "", reason: "number is not an integer in range") }

    /// Foundation's fallback for integers of 2^53 and more written with a fraction or exponent: the decimal
    /// value truncated toward zero; its significant digits (without trailing zeros) must fit in 64 bits.
    @inline(never)
    func decimalInteger(_ start: Int) throws(E) -> Int {
        var k = start
        var negative = false
        if p[k] == UInt8(ascii: "-") {
            negative = true
            k += 1
        }
        var mantissa: UInt64 = 0
        var pendingZeros = 0
        var exponent = 0
        var inFraction = false
        var significant = false
        while k < i {
            let c = p[k]
            if c >= 48, c <= 57 {
                let d = UInt64(c - 48)
                if inFraction { exponent -= 1 }
                if d == 0 {
                    if significant { pendingZeros += 1 }
                } else {
                    for _ in 0..<pendingZeros + (significant ? 1 : 0) {
                        let (m, o) = mantissa.multipliedReportingOverflow(by: 10)
                        guard !o else { throw outOfRange() }
                        mantissa = m
                    }
                    let (m, o) = mantissa.addingReportingOverflow(d)
                    guard !o else { throw outOfRange() }
                    mantissa = m
                    pendingZeros = 0
                    significant = true
                }
            } else if c == UInt8(ascii: ".") {
                inFraction = true
            } else {
                break
            }
            k += 1
        }
        exponent += pendingZeros
        if k < i {
            // exponent part, already validated
            k += 1
            var negativeExponent = false
            if p[k] == UInt8(ascii: "+") || p[k] == UInt8(ascii: "-") {
                negativeExponent = p[k] == UInt8(ascii: "-")
                k += 1
            }
            var e = 0
            while k < i {
                if e < 100_000 { e = e * 10 + Int(p[k] - 48) }
                k += 1
            }
            exponent += negativeExponent ? -e : e
        }
        if exponent < 0 {
            for _ in 0..<min(-exponent, 40) { mantissa /= 10 }
        } else {
            for _ in 0..<exponent {
                let (m, o) = mantissa.multipliedReportingOverflow(by: 10)
                guard !o else { throw outOfRange() }
                mantissa = m
            }
        }
        guard let v = Int(exactly: mantissa) else { throw outOfRange() }
        return negative ? -v : v
    }

    // MARK: Scalars

    func typeMismatch(_ expected: String, _ found: UInt8) -> E {
        let kind: String
        switch found {
        case UInt8(ascii: "\""): kind = "a string"
        case UInt8(ascii: "{"): kind = "an object"
        case UInt8(ascii: "["): kind = "an array"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): kind = "a boolean"
        case UInt8(ascii: "n"): kind = "null"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): kind = "a number"
        default: return malformed("unexpected character")
        }
        return .invalidValue(path: "", reason: "expected \(expected), found \(kind)")
    }

    /// Reads a string value.
    @inline(__always)
    mutating func readString() throws(E) -> String {
        let c = try next()
        guard c == UInt8(ascii: "\"") else { throw typeMismatch("a string", c) }
        let s = try scanString()
        if s.simple, s.ascii { return asciiString(s.start, s.end - s.start) }
        return try stringValue(s)
    }

    /// Reads an optional string value (`null` is nil).
    @inline(__always)
    mutating func readOptionalString() throws(E) -> String? {
        if try takeNull() { return nil }
        return try readString()
    }

    /// Reads `true` or `false`.
    @inline(__always)
    mutating func readBool() throws(E) -> Bool {
        let c = try next()
        if c == UInt8(ascii: "t") {
            try expectLiteral("true")
            return true
        }
        if c == UInt8(ascii: "f") {
            try expectLiteral("false")
            return false
        }
        throw typeMismatch("a boolean", c)
    }

    /// Reads an optional boolean (`null` is nil).
    @inline(__always)
    mutating func readOptionalBool() throws(E) -> Bool? {
        if try takeNull() { return nil }
        return try readBool()
    }

    /// Reads an optional Double (`null` is nil).
    @inline(__always)
    mutating func readOptionalDouble() throws(E) -> Double? {
        if try takeNull() { return nil }
        return try readDouble()
    }

    /// Reads a timestamp string (ISO 8601).
    mutating func readTimestamp() throws(E) -> VDA5050Timestamp {
        let c = try next()
        guard c == UInt8(ascii: "\"") else { throw typeMismatch("a string", c) }
        let s = try scanString()
        if s.simple, s.ascii {
            guard let ms = VDA5050Timestamp.parse(UnsafeBufferPointer(start: p + s.start, count: s.end - s.start))
            else { throw .invalidValue(path: "", reason: "not an ISO 8601 date-time") }
            return VDA5050Timestamp(millisecondsSince1970: ms)
        }
        let text = try stringValue(s)
        guard let t = VDA5050Timestamp(iso8601: text) else {
            throw .invalidValue(path: "", reason: "'\(text)' is not an ISO 8601 date-time")
        }
        return t
    }

    // MARK: Containers

    /// Reads an array, calling `element` for each element (with the number of containers around it);
    /// `open` is the number of containers around the array.
    @inline(__always)
    mutating func readArray(open: Int, _ element: (inout FastStateCursor, Int) throws(E) -> Void) throws(E) {
        let c = try next()
        guard c == UInt8(ascii: "[") else { throw typeMismatch("an array", c) }
        guard open < fastStateMaxDepth else { throw malformed("too many nested arrays or objects") }
        i += 1
        if try next() == UInt8(ascii: "]") {
            i += 1
            return
        }
        var index = 0
        while true {
            do {
                try element(&self, open + 1)
            } catch {
                throw error.fastStatePrefixed(index: index)
            }
            index += 1
            let d = try next()
            if d == UInt8(ascii: ",") {
                i += 1
                if try next() == UInt8(ascii: "]") {
                    i += 1
                    return
                }
            } else if d == UInt8(ascii: "]") {
                i += 1
                return
            } else {
                throw malformed("expected ',' or ']'")
            }
        }
    }

    /// Reads an array of numbers.
    mutating func readDoubleArray(open: Int) throws(E) -> [Double] {
        var result: [Double] = []
        try readArray(open: open) { (c, _) throws(E) in result.append(try c.readDouble()) }
        return result
    }

    /// Reads an enum's raw value: `names` are the raw values in `allCases` order; returns the case's index.
    @inline(__always)
    mutating func readEnumIndex(_ values: FastStateKeys) throws(E) -> Int {
        let c = try next()
        guard c == UInt8(ascii: "\"") else { throw typeMismatch("a string", c) }
        let s = try scanString()
        if s.simple, s.ascii {
            let k = values.index(p, end, s.start, s.end - s.start, expected: 0)
            guard k >= 0 else { throw .invalidValue(path: "", reason: "unknown value") }
            return k
        }
        let text = try stringValue(s)
        for k in 0..<values.count where text == "\(values.names[k])" { return k }
        throw .invalidValue(path: "", reason: "unknown value '\(text)'")
    }

    /// Reads an object with the keys `keys`: `field` is called for the first occurrence of each known key;
    /// other values are skipped. Returns the bit set of the keys seen. Checks that the value is an object.
    @inline(__always)
    mutating func readObject(
        open: Int, _ keys: FastStateKeys, _ field: (inout FastStateCursor, Int) throws(E) -> Void
    ) throws(E) -> UInt64 {
        let c = try next()
        guard c == UInt8(ascii: "{") else { throw typeMismatch("an object", c) }
        guard open < fastStateMaxDepth else { throw malformed("too many nested arrays or objects") }
        i += 1
        var seen: UInt64 = 0
        var d = try next()
        if d == UInt8(ascii: "}") {
            i += 1
            return seen
        }
        var expected = 0
        while true {
            guard d == UInt8(ascii: "\"") else { throw malformed("expected a key") }
            // Keys usually come in the model's order: try the expected key and the one after it (an optional
            // key left out) byte for byte before scanning and matching the key in general.
            var index = -1
            if end - i > 25 {
                if let n = keys.quickMatch(p, at: i + 1, expected) {
                    index = expected
                    i += n + 2
                } else if let n = keys.quickMatch(p, at: i + 1, expected + 1) {
                    index = expected + 1
                    i += n + 2
                }
            }
            if index < 0 {
                let key = try scanString()
                index = try keys.match(key, &self, expected: expected)
            }
            guard try next() == UInt8(ascii: ":") else { throw malformed("expected ':'") }
            i += 1
            if index >= 0, seen & (1 &<< UInt64(truncatingIfNeeded: index)) == 0 {
                seen |= 1 &<< UInt64(truncatingIfNeeded: index)
                expected = index + 1
                do {
                    try field(&self, index)
                } catch {
                    throw error.fastStatePrefixed(key: keys.names[index])
                }
            } else {
                try skipValue(open: open + 1)
            }
            d = try next()
            if d == UInt8(ascii: ",") {
                i += 1
                d = try next()
                if d == UInt8(ascii: "}") {
                    i += 1
                    return seen
                }
            } else if d == UInt8(ascii: "}") {
                i += 1
                return seen
            } else {
                throw malformed("expected ',' or '}'")
            }
        }
    }
}

/// The keys of one object type, in a fixed order; a key's index is its bit in the `seen` set.
struct FastStateKeys: @unchecked Sendable {
    let names: [StaticString]
    /// Bits of the required keys.
    let required: UInt64
    /// Four words per name: its byte count, then its first 24 bytes as little-endian words, zero-padded.
    /// Allocated once and never freed: the key sets are global constants. Immutable after `init`.
    let table: UnsafeMutablePointer<UInt64>
    /// The number of names.
    let count: Int

    init(_ names: [StaticString], required: [StaticString] = []) {
        self.names = names
        self.count = names.count
        var mask: UInt64 = 0
        for (k, name) in names.enumerated() where required.contains(where: { "\($0)" == "\(name)" }) {
            mask |= 1 << UInt64(k)
        }
        self.required = mask
        let table = UnsafeMutablePointer<UInt64>.allocate(capacity: 4 * max(names.count, 1))
        table.initialize(repeating: 0, count: 4 * max(names.count, 1))
        for (k, name) in names.enumerated() {
            table[4 * k] = UInt64(name.utf8CodeUnitCount)
            for b in 0..<min(24, name.utf8CodeUnitCount) {
                table[4 * k + 1 + b / 8] |= UInt64(name.utf8Start[b]) << UInt64(8 * (b % 8))
            }
        }
        self.table = table
    }

    /// The low `bytes` bytes of a word (all of it from 8 on, none from 0 down).
    @inline(__always)
    static func low(_ w: UInt64, _ bytes: Int) -> UInt64 {
        if bytes >= 8 { return w }
        if bytes <= 0 { return 0 }
        return w & ((1 &<< UInt64(truncatingIfNeeded: 8 &* bytes)) &- 1)
    }

    /// The index of the name equal to the `count` bytes at `start` (tried at `expected` first), or -1.
    @inline(__always)
    func index(_ p: UnsafePointer<UInt8>, _ end: Int, _ start: Int, _ count: Int, expected: Int) -> Int {
        var w0: UInt64 = 0
        var w1: UInt64 = 0
        var w2: UInt64 = 0
        if end - start >= 24 {
            let r = UnsafeRawPointer(p + start)
            w0 = Self.low(UInt64(littleEndian: r.loadUnaligned(as: UInt64.self)), count)
            if count > 8 {
                w1 = Self.low(UInt64(littleEndian: r.loadUnaligned(fromByteOffset: 8, as: UInt64.self)), count - 8)
                if count > 16 {
                    w2 = Self.low(
                        UInt64(littleEndian: r.loadUnaligned(fromByteOffset: 16, as: UInt64.self)), count - 16)
                }
            }
        } else {
            for b in 0..<min(24, count) {
                let v = UInt64(p[start + b]) << UInt64(8 * (b % 8))
                switch b / 8 {
                case 0: w0 |= v
                case 1: w1 |= v
                default: w2 |= v
                }
            }
        }
        let n = UInt64(count)
        if expected < self.count {
            let e = table + 4 * expected
            if e[0] == n, e[1] == w0, e[2] == w1, e[3] == w2,
                count <= 24 || Self.equals(names[expected], p, start, count)
            {
                return expected
            }
        }
        var e = table
        for k in 0..<self.count {
            if e[0] == n, e[1] == w0, e[2] == w1, e[3] == w2, count <= 24 || Self.equals(names[k], p, start, count) {
                return k
            }
            e += 4
        }
        return -1
    }

    @inline(__always)
    static func equals(_ name: StaticString, _ p: UnsafePointer<UInt8>, _ start: Int, _ count: Int) -> Bool {
        guard name.utf8CodeUnitCount == count else { return false }
        let q = name.utf8Start
        var k = 0
        while k + 8 <= count {
            let a = UnsafeRawPointer(p + start + k).loadUnaligned(as: UInt64.self)
            let b = UnsafeRawPointer(q + k).loadUnaligned(as: UInt64.self)
            if a != b { return false }
            k += 8
        }
        while k < count {
            if p[start + k] != q[k] { return false }
            k += 1
        }
        return true
    }

    /// If the bytes at `start` are the name of key `k` (of at most 24 bytes) followed by a quote, the name's
    /// byte count; otherwise nil. Such a key is exactly the string `scanString` and `match` would find (a
    /// name has no quote, backslash, control or non-ASCII byte). Reads 24 bytes from `start` and the byte after
    /// the name: the caller guarantees that at least 25 bytes follow `start`.
    @inline(__always)
    func quickMatch(_ p: UnsafePointer<UInt8>, at start: Int, _ k: Int) -> Int? {
        guard k < count else { return nil }
        let e = table + 4 * k
        let n = Int(truncatingIfNeeded: e[0])
        guard n <= 24 else { return nil }
        let r = UnsafeRawPointer(p + start)
        guard Self.low(UInt64(littleEndian: r.loadUnaligned(as: UInt64.self)), n) == e[1] else { return nil }
        if n > 8 {
            let w1 = UInt64(littleEndian: r.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            guard Self.low(w1, n - 8) == e[2] else { return nil }
            if n > 16 {
                let w2 = UInt64(littleEndian: r.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
                guard Self.low(w2, n - 16) == e[3] else { return nil }
            }
        }
        guard p[start + n] == UInt8(ascii: "\"") else { return nil }
        return n
    }

    /// The index of the key, or -1; validates the key as Foundation does for every key of a decoded object.
    @inline(__always)
    func match(_ key: FastStateRawString, _ c: inout FastStateCursor, expected: Int) throws(VDA5050DecodingError)
        -> Int
    {
        if key.simple, key.ascii {
            return index(c.p, c.end, key.start, key.end - key.start, expected: expected)
        }
        return try slowMatch(key, &c)
    }

    @inline(never)
    func slowMatch(_ key: FastStateRawString, _ c: inout FastStateCursor) throws(VDA5050DecodingError) -> Int {
        let text = try c.stringValue(key)
        for (k, name) in names.enumerated() where text == "\(name)" { return k }
        return -1
    }

    /// The missing-field error for the first required key not in `seen`, or nil.
    func missing(_ seen: UInt64) -> VDA5050DecodingError? {
        let absent = required & ~seen
        guard absent != 0 else { return nil }
        return .missingField(path: "", field: "\(names[absent.trailingZeroBitCount])")
    }
}
