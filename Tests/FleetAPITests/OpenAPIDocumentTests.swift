import FleetAPI
import Foundation
import Testing

/// The checked-in OpenAPI document and the router describe the same API.
@Suite struct OpenAPIDocumentTests {
    static let documentURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/FleetAPI/openapi.json")

    static func document() throws -> [String: Any] {
        let data = try Data(contentsOf: documentURL)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func isOpenAPI31() throws {
        let document = try Self.document()
        #expect((document["openapi"] as? String)?.hasPrefix("3.1.") == true)
        #expect((document["info"] as? [String: Any])?["title"] != nil)
        #expect(document["paths"] is [String: Any])
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() throws {
        let paths = try #require(try Self.document()["paths"] as? [String: [String: Any]])
        let methods: Set<String> = ["get", "post", "put", "patch", "delete", "head", "options"]
        var documented: Set<String> = []
        for (path, item) in paths {
            for key in item.keys where methods.contains(key) { documented.insert("\(key.uppercased()) \(path)") }
        }
        let routed = Set(AuthMatrixTests.endpoints.map { "\($0.method) \($0.path)" })
        #expect(routed.subtracting(documented).isEmpty, "routes missing from openapi.json")
        #expect(documented.subtracting(routed).isEmpty, "documented operations the router does not have")
        #expect(routed.count == AuthMatrixTests.endpoints.count, "a route is registered twice")
    }

    @Test func documentedRolesMatchTheRouter() throws {
        let paths = try #require(try Self.document()["paths"] as? [String: [String: [String: Any]]])
        for endpoint in AuthMatrixTests.endpoints {
            let operation = paths[endpoint.path]?[endpoint.method.rawValue.lowercased()]
            #expect(operation?["x-fleetpilot-role"] as? String == endpoint.role?.rawValue, "\(endpoint)")
            let responses = operation?["responses"] as? [String: Any] ?? [:]
            if endpoint.role != nil {
                #expect(responses["401"] != nil && responses["403"] != nil, "\(endpoint) documents 401 and 403")
            }
        }
    }

    @Test func referencedSchemasExist() throws {
        let document = try Self.document()
        let schemas = ((document["components"] as? [String: Any])?["schemas"] as? [String: Any]) ?? [:]
        let text = String(decoding: try Data(contentsOf: Self.documentURL), as: UTF8.self)
        let references = text.components(separatedBy: "#/components/schemas/").dropFirst().map {
            String($0.prefix { $0 != "\"" })
        }
        #expect(!references.isEmpty)
        for name in Set(references) { #expect(schemas[name] != nil, "schema \(name)") }
    }
}
