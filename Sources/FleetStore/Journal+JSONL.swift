#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Journal {
    /// Writes the journal as JSON Lines, the evaluator's interchange format: one object per entry, in sequence
    /// order, each on its own line terminated by `\n`, UTF-8, keys in this order:
    ///
    /// ```json
    /// {"seq":42,"t":"2025-11-29T13:43:07.120Z","ts_ms":1764423787120,"kind":"assigned","task":"T-17","robot":"acme/AMR-07","data":{"robot":"acme/AMR-07"}}
    /// ```
    ///
    /// - `seq`: `JournalEntry.sequence` (integer, 1-based, increasing).
    /// - `t`: `JournalEntry.time` as ISO 8601 UTC with milliseconds; `ts_ms`: the same instant in ms since the epoch.
    /// - `kind`: the event kind (string).
    /// - `task`, `robot`: the IDs, or `null`.
    /// - `data`: the payload embedded as JSON (not as a string); `null` when the payload is empty. Raw line breaks
    ///   in a payload (only possible as insignificant whitespace in valid JSON) become spaces.
    ///
    /// The file is written beside `path` as `path.partial`, flushed to disk, then renamed over `path`, so a
    /// reader never sees half an export. Memory stays bounded (`forEach`).
    /// - Parameters:
    ///   - path: The file to write (replaced if it exists).
    ///   - sequence: Export only entries after this one (default `0`: everything).
    /// - Returns: The number of lines written.
    /// - Throws: `JournalError.export` if the file cannot be written, or the journal's read error.
    @discardableResult
    public func exportJSONL(to path: String, after sequence: Int64 = 0) throws(JournalError) -> Int {
        let partial = path + ".partial"
        guard let file = fopen(partial, "w") else {
            throw .export(path: path, reason: "cannot create '\(partial)': \(String(cString: strerror(errno)))")
        }
        var closed = false
        defer {
            if !closed {
                fclose(file)
                unlink(partial)
            }
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        var lines = 0
        func flush() throws(JournalError) {
            let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
            guard written == buffer.count else {
                throw .export(path: path, reason: "write failed: \(String(cString: strerror(errno)))")
            }
            buffer.removeAll(keepingCapacity: true)
        }
        do {
            try forEach(after: sequence) { entry in
                JSONLine.append(entry, to: &buffer)
                lines += 1
                if buffer.count >= 1 << 16 { try flush() }
            }
            try flush()
        } catch let error as JournalError {
            throw error
        } catch {
            throw .export(path: path, reason: "\(error)")
        }
        guard fflush(file) == 0, fsync(fileno(file)) == 0 else {
            throw .export(path: path, reason: "cannot flush '\(partial)': \(String(cString: strerror(errno)))")
        }
        closed = true
        guard fclose(file) == 0, rename(partial, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(partial)
            throw .export(path: path, reason: "cannot finish '\(partial)': \(reason)")
        }
        return lines
    }
}

/// Builds one JSONL line per entry without Foundation (the export runs over millions of entries).
enum JSONLine {
    /// Appends `entry` as one line, newline included.
    static func append(_ entry: JournalEntry, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"seq":"#.utf8)
        out.append(contentsOf: String(entry.sequence).utf8)
        out.append(contentsOf: #","t":""#.utf8)
        appendISO8601(milliseconds: entry.time.milliseconds, to: &out)
        out.append(contentsOf: #"","ts_ms":"#.utf8)
        out.append(contentsOf: String(entry.time.milliseconds).utf8)
        out.append(contentsOf: #","kind":"#.utf8)
        appendString(entry.kind, to: &out)
        out.append(contentsOf: #","task":"#.utf8)
        appendString(entry.taskID, to: &out)
        out.append(contentsOf: #","robot":"#.utf8)
        appendString(entry.robotID, to: &out)
        out.append(contentsOf: #","data":"#.utf8)
        let payload = entry.payload.utf8
        if payload.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            out.append(contentsOf: "null".utf8)
        } else {
            // In valid JSON a raw CR or LF can only be whitespace between tokens (inside strings they are escaped).
            out.append(contentsOf: payload.lazy.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 })
        }
        out.append(contentsOf: "}\n".utf8)
    }

    /// Appends `value` as a JSON string literal, or `null`.
    static func appendString(_ value: String?, to out: inout [UInt8]) {
        guard let value else { return out.append(contentsOf: "null".utf8) }
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends `milliseconds` since the epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ` (proleptic Gregorian, UTC).
    static func appendISO8601(milliseconds: Int64, to out: inout [UInt8]) {
        let msPerDay: Int64 = 86_400_000
        let days = milliseconds >= 0 ? milliseconds / msPerDay : (milliseconds - msPerDay + 1) / msPerDay
        let ofDay = milliseconds - days * msPerDay
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func digits(_ value: Int64, _ width: Int) {
            let text = String(value)
            if text.utf8.count < width {
                out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - text.utf8.count))
            }
            out.append(contentsOf: text.utf8)
        }
        digits(year, 4)
        out.append(UInt8(ascii: "-"))
        digits(month, 2)
        out.append(UInt8(ascii: "-"))
        digits(day, 2)
        out.append(UInt8(ascii: "T"))
        digits(ofDay / 3_600_000, 2)
        out.append(UInt8(ascii: ":"))
        digits(ofDay / 60_000 % 60, 2)
        out.append(UInt8(ascii: ":"))
        digits(ofDay / 1000 % 60, 2)
        out.append(UInt8(ascii: "."))
        digits(ofDay % 1000, 3)
        out.append(UInt8(ascii: "Z"))
    }
}
