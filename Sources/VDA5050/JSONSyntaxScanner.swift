/// A non-recursive JSON (RFC 8259) syntax check that reports the first problem with its byte offset.
///
/// Used before Foundation's parser, which reports neither position nor reason, and to bound nesting depth.
struct JSONSyntaxScanner {
    /// A syntax problem and where it is.
    struct Problem: Equatable {
        /// Byte offset of the problem.
        var offset: Int
        /// What is wrong.
        var reason: String
    }

    let maxDepth: Int
    private var stack: [UInt8] = []  // '[' or '{'

    init(maxDepth: Int) {
        self.maxDepth = maxDepth
    }

    mutating func firstProblem(in b: UnsafeBufferPointer<UInt8>) -> Problem? {
        var i = 0
        let n = b.count
        stack.removeAll(keepingCapacity: true)
        func skipSpace() { while i < n, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 } }
        func describe(_ at: Int) -> String {
            guard at < n else { return "end of input" }
            let c = b[at]
            return c >= 0x20 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16))"
        }
        skipSpace()
        if n == 0 || i == n { return Problem(offset: i, reason: "empty payload: expected a JSON object") }
        // expectValue: we need a value next; after a value, we need ',' or a closer.
        var expectValue = true
        while true {
            skipSpace()
            if expectValue {
                guard i < n else { return Problem(offset: i, reason: "unexpected end of input (truncated JSON?)") }
                let c = b[i]
                switch c {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard stack.count < maxDepth else {
                        return Problem(offset: i, reason: "nesting deeper than \(maxDepth) levels")
                    }
                    stack.append(c)
                    i += 1
                    skipSpace()
                    if i < n, b[i] == (c == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                        stack.removeLast()
                        i += 1
                        expectValue = false
                        continue
                    }
                    if c == UInt8(ascii: "{") {
                        if let p = key() { return p }
                    }
                    continue
                case UInt8(ascii: "\""):
                    if let p = string() { return p }
                case UInt8(ascii: "t"): if let p = literal("true") { return p }
                case UInt8(ascii: "f"): if let p = literal("false") { return p }
                case UInt8(ascii: "n"): if let p = literal("null") { return p }
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    if let p = number() { return p }
                case UInt8(ascii: "N"), UInt8(ascii: "I"):
                    return Problem(offset: i, reason: "NaN and Infinity are not JSON numbers")
                default:
                    return Problem(offset: i, reason: "expected a value but found \(describe(i))")
                }
                expectValue = false
            } else {
                guard let top = stack.last else {
                    if i < n { return Problem(offset: i, reason: "unexpected \(describe(i)) after the JSON value") }
                    return nil
                }
                guard i < n else { return Problem(offset: i, reason: "unexpected end of input (truncated JSON?)") }
                let c = b[i]
                if c == UInt8(ascii: ",") {
                    i += 1
                    if top == UInt8(ascii: "{") {
                        skipSpace()
                        if let p = key() { return p }
                    }
                    expectValue = true
                } else if (c == UInt8(ascii: "]") && top == UInt8(ascii: "["))
                    || (c == UInt8(ascii: "}") && top == UInt8(ascii: "{"))
                {
                    stack.removeLast()
                    i += 1
                } else {
                    let closer = top == UInt8(ascii: "{") ? "'}'" : "']'"
                    return Problem(offset: i, reason: "expected ',' or \(closer) but found \(describe(i))")
                }
            }
        }

        func key() -> Problem? {
            skipSpace()
            guard i < n, b[i] == UInt8(ascii: "\"") else {
                return Problem(offset: i, reason: "expected a quoted field name but found \(describe(i))")
            }
            if let p = string() { return p }
            skipSpace()
            guard i < n, b[i] == UInt8(ascii: ":") else {
                return Problem(offset: i, reason: "expected ':' but found \(describe(i))")
            }
            i += 1
            return nil
        }

        func string() -> Problem? {
            let start = i
            i += 1
            while i < n {
                let c = b[i]
                if c == UInt8(ascii: "\"") {
                    i += 1
                    return nil
                } else if c == UInt8(ascii: "\\") {
                    guard i + 1 < n else { break }
                    let e = b[i + 1]
                    if e == UInt8(ascii: "u") {
                        guard i + 5 < n, (2...5).allSatisfy({ isHex(b[i + $0]) }) else {
                            return Problem(offset: i, reason: "invalid \\u escape in a string")
                        }
                        i += 6
                    } else if "\"\\/bfnrt".utf8.contains(e) {
                        i += 2
                    } else {
                        return Problem(offset: i, reason: "invalid escape \\\(describe(i + 1)) in a string")
                    }
                } else if c < 0x20 {
                    return Problem(offset: i, reason: "unescaped control character in a string")
                } else {
                    i += 1
                }
            }
            return Problem(offset: start, reason: "unterminated string (truncated JSON?)")
        }

        func isHex(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
        }

        func literal(_ word: String) -> Problem? {
            for (k, w) in word.utf8.enumerated() {
                guard i + k < n, b[i + k] == w else {
                    return Problem(offset: i, reason: "invalid literal, expected '\(word)'")
                }
            }
            i += word.utf8.count
            return nil
        }

        func number() -> Problem? {
            let start = i
            func digits() -> Int {
                let s = i
                while i < n, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
                return i - s
            }
            if b[i] == UInt8(ascii: "-") { i += 1 }
            if i < n, b[i] == UInt8(ascii: "I") {
                return Problem(offset: start, reason: "NaN and Infinity are not JSON numbers")
            }
            var integerDigits = 1
            if i < n, b[i] == UInt8(ascii: "0") {
                i += 1
            } else {
                integerDigits = digits()
                if integerDigits == 0 { return Problem(offset: start, reason: "invalid number") }
            }
            if i < n, b[i] == UInt8(ascii: ".") {
                i += 1
                if digits() == 0 { return Problem(offset: start, reason: "invalid number: no digits after '.'") }
            }
            var hasExponent = false
            if i < n, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
                hasExponent = true
                i += 1
                if i < n, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
                if digits() == 0 { return Problem(offset: start, reason: "invalid number: no digits in exponent") }
            }
            // Only a long mantissa or an exponent can overflow a Double; skip the conversion otherwise.
            guard hasExponent || integerDigits > 300 else { return nil }
            let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
            if let value = Double(text), !value.isFinite {
                return Problem(offset: start, reason: "number \(text) is out of range")
            }
            return nil
        }
    }
}
