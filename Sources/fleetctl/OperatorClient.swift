import ArgumentParser
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The options every operator command shares: where fleetd is, the token, and the output format.
struct OperatorOptions: ParsableArguments {
    @Option(help: "fleetd's operator API (default: $FLEETCTL_URL, else http://127.0.0.1:8080).")
    var url: String?

    @Option(help: "A file holding the bearer token (default: $FLEETCTL_TOKEN).")
    var tokenFile: String?

    @Flag(help: "Print JSON instead of a table (for scripts).")
    var json = false

    /// The client for these options.
    func client() throws -> OperatorClient {
        let environment = ProcessInfo.processInfo.environment
        let base = url ?? environment["FLEETCTL_URL"] ?? "http://127.0.0.1:8080"
        guard let baseURL = URL(string: base), baseURL.scheme == "http" || baseURL.scheme == "https" else {
            throw ValidationError("--url '\(base)' is not an http(s) URL")
        }
        var token = environment["FLEETCTL_TOKEN"]
        if let tokenFile {
            do {
                token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(
                    in: .whitespacesAndNewlines)
            } catch {
                throw ValidationError("cannot read --token-file '\(tokenFile)': \(error.localizedDescription)")
            }
        }
        return OperatorClient(baseURL: baseURL, token: token)
    }
}

/// Why an operator command failed; the message says what to do.
enum OperatorClientError: Error, CustomStringConvertible {
    /// No HTTP answer at all.
    case unreachable(URL, String)
    /// 401 from fleetd.
    case tokenRefused(String, tokenGiven: Bool)
    /// Any other problem-details answer.
    case problem(status: Int, title: String, detail: String)
    /// An answer that is not what the API documents.
    case unexpected(String)

    var description: String {
        switch self {
        case .unreachable(let url, let reason):
            return
                "cannot reach fleetd at \(url.absoluteString) (\(reason)); is fleetd running with `api: enabled: true`? "
                + "(set --url or FLEETCTL_URL)"
        case .tokenRefused(let detail, let given):
            return given
                ? "fleetd refused the token: \(detail)"
                : "fleetd wants a token: set FLEETCTL_TOKEN or --token-file (a token from fleetd's api.tokens)"
        case .problem(let status, let title, let detail): return "\(title) (HTTP \(status)): \(detail)"
        case .unexpected(let what): return "unexpected answer from fleetd: \(what)"
        }
    }
}

/// A small HTTP client for fleetd's operator API (URLSession; no extra dependency).
struct OperatorClient: Sendable {
    let baseURL: URL
    let token: String?

    /// Builds a request for `path` (which may carry a query).
    func request(_ path: String, method: String = "GET", body: Data? = nil) -> URLRequest {
        var request = URLRequest(url: URL(string: path, relativeTo: baseURL)!.absoluteURL)
        request.httpMethod = method
        request.timeoutInterval = 10
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        return request
    }

    /// Sends a request and returns the body of a 2xx answer.
    /// - Throws: ``OperatorClientError`` naming the cause.
    func send(_ path: String, method: String = "GET", body: Data? = nil) async throws -> Data {
        let request = request(path, method: method, body: body)
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw OperatorClientError.unreachable(baseURL, (error as NSError).localizedDescription)
        }
        guard let http = response as? HTTPURLResponse else { throw OperatorClientError.unexpected("not HTTP") }
        try Self.check(status: http.statusCode, body: data, tokenGiven: token != nil)
        return data
    }

    /// Throws the problem of a non-2xx answer.
    static func check(status: Int, body: Data, tokenGiven: Bool) throws {
        guard !(200..<300).contains(status) else { return }
        let problem = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        let detail = problem["detail"] as? String ?? String(decoding: body.prefix(300), as: UTF8.self)
        if status == 401 { throw OperatorClientError.tokenRefused(detail, tokenGiven: tokenGiven) }
        throw OperatorClientError.problem(status: status, title: problem["title"] as? String ?? "Error", detail: detail)
    }

    /// Sends and decodes a JSON answer.
    func decode<T: Decodable>(_ type: T.Type, _ path: String, method: String = "GET", body: Data? = nil) async throws
        -> (T, Data)
    {
        let data = try await send(path, method: method, body: body)
        do {
            return (try JSONDecoder().decode(T.self, from: data), data)
        } catch {
            throw OperatorClientError.unexpected("\(error)")
        }
    }
}

/// Runs an operator command body, turning client errors into a message and exit code 1 (2 when unreachable).
func runOperator(_ command: String, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as OperatorClientError {
        printError("fleetctl \(command): \(error)")
        if case .unreachable = error { throw ExitCode(2) }
        throw ExitCode(1)
    }
}

/// Prints rows as aligned columns.
func printTable(_ header: [String], _ rows: [[String]]) {
    let widths = header.indices.map { column in
        ([header[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0
    }
    for row in [header] + rows {
        let cells = row.enumerated().map {
            $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0)
        }
        print(cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
    }
}

/// Writes raw JSON to standard output with a final newline.
func printJSON(_ data: Data) {
    FileHandle.standardOutput.write(data)
    if data.last != UInt8(ascii: "\n") { FileHandle.standardOutput.write(Data("\n".utf8)) }
}
