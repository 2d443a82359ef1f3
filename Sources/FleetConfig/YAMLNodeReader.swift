import Yams

/// Reads typed values out of a composed YAML tree, turning every mismatch into a ``ConfigError`` that names the
/// file, the line and the field path (e.g. `nodes[3].x`).
struct YAMLNodeReader {
    /// The file name used in errors.
    let file: String

    /// Composes `text` into a node tree; YAML syntax errors become ``ConfigError/syntax(file:line:column:reason:)``.
    func compose(_ text: String) throws(ConfigError) -> Node {
        do {
            guard let root = try Yams.compose(yaml: text) else {
                throw ConfigError.invalid(file: file, line: 1, field: "(document)", reason: "the file is empty")
            }
            return root
        } catch let error as ConfigError {
            throw error
        } catch let error as YamlError {
            throw syntaxError(error)
        } catch {
            throw ConfigError.syntax(file: file, line: 1, column: 1, reason: "\(error)")
        }
    }

    private func syntaxError(_ error: YamlError) -> ConfigError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let reason = context.map { "\(problem) \($0.text)" } ?? problem
            return .syntax(file: file, line: mark.line, column: mark.column, reason: reason)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .syntax(
                file: file, line: context.mark.line, column: context.mark.column,
                reason: "duplicate keys \(duplicates.joined(separator: ", "))")
        default:
            return .syntax(file: file, line: 1, column: 1, reason: "\(error)")
        }
    }

    /// The value under `key`, compared as plain text (Yams' own subscript resolves tags through shared regular
    /// expressions, which is slower and not safe when several loaders run at once).
    func value(_ mapping: Node.Mapping, _ key: String) -> Node? { Self.lookup(mapping, key) }

    /// See ``value(_:_:)``.
    static func lookup(_ mapping: Node.Mapping, _ key: String) -> Node? {
        mapping.first { $0.key.scalar?.string == key }?.value
    }

    /// `field.key`, or just `key` at the top level.
    func path(_ field: String, _ key: String) -> String { field.isEmpty ? key : "\(field).\(key)" }

    func invalid(_ node: Node?, _ field: String, _ reason: String) -> ConfigError {
        .invalid(file: file, line: node?.mark?.line, field: field, reason: reason)
    }

    /// The node as a mapping, with keys checked against `allowed` (typos are errors, not silently ignored).
    func mapping(_ node: Node, _ field: String, allowed: Set<String>) throws(ConfigError) -> Node.Mapping {
        guard let mapping = node.mapping else {
            throw invalid(node, field, "expected a mapping, got \(kind(of: node))")
        }
        for (key, _) in mapping {
            let name = key.scalar?.string ?? "?"
            if !allowed.contains(name) {
                throw invalid(key, field.isEmpty ? name : "\(field).\(name)", "unknown key '\(name)'")
            }
        }
        return mapping
    }

    /// The items of an optional sequence under `key` (missing key: empty).
    func sequence(_ mapping: Node.Mapping, _ key: String, _ field: String) throws(ConfigError) -> [Node] {
        guard let node = value(mapping, key) else { return [] }
        guard let sequence = node.sequence else {
            throw invalid(node, field, "expected a list, got \(kind(of: node))")
        }
        return Array(sequence)
    }

    /// A required scalar as text.
    func string(_ mapping: Node.Mapping, _ key: String, _ field: String, at parent: Node) throws(ConfigError)
        -> String
    {
        guard let node = value(mapping, key) else {
            throw invalid(parent, path(field, key), "missing required key '\(key)'")
        }
        return try string(node, path(field, key))
    }

    /// An optional scalar as text.
    func optionalString(_ mapping: Node.Mapping, _ key: String, _ field: String) throws(ConfigError) -> String? {
        guard let node = value(mapping, key) else { return nil }
        return try string(node, path(field, key))
    }

    func string(_ node: Node, _ field: String) throws(ConfigError) -> String {
        guard let scalar = node.scalar, !scalar.string.isEmpty else {
            throw invalid(node, field, "expected a non-empty text, got \(kind(of: node))")
        }
        return scalar.string
    }

    /// A required number.
    func double(_ mapping: Node.Mapping, _ key: String, _ field: String, at parent: Node) throws(ConfigError)
        -> Double
    {
        guard let node = value(mapping, key) else {
            throw invalid(parent, path(field, key), "missing required key '\(key)'")
        }
        return try double(node, path(field, key))
    }

    /// An optional number.
    func optionalDouble(_ mapping: Node.Mapping, _ key: String, _ field: String) throws(ConfigError) -> Double? {
        guard let node = value(mapping, key) else { return nil }
        return try double(node, path(field, key))
    }

    func double(_ node: Node, _ field: String) throws(ConfigError) -> Double {
        guard let value = node.float else { throw invalid(node, field, "expected a number, got \(kind(of: node))") }
        return value
    }

    /// An optional integer.
    func optionalInt(_ mapping: Node.Mapping, _ key: String, _ field: String) throws(ConfigError) -> Int? {
        guard let node = value(mapping, key) else { return nil }
        guard let value = node.int else {
            throw invalid(node, path(field, key), "expected an integer, got \(kind(of: node))")
        }
        return value
    }

    /// An optional boolean.
    func optionalBool(_ mapping: Node.Mapping, _ key: String, _ field: String) throws(ConfigError) -> Bool? {
        guard let node = value(mapping, key) else { return nil }
        guard let value = node.bool else {
            throw invalid(node, path(field, key), "expected true or false, got \(kind(of: node))")
        }
        return value
    }

    /// A required value from a closed set (a `RawRepresentable` enum), listing the allowed values on error.
    func choice<T: RawRepresentable & CaseIterable>(
        _ mapping: Node.Mapping, _ key: String, _ field: String, at parent: Node
    ) throws(ConfigError) -> T where T.RawValue == String {
        let text = try string(mapping, key, field, at: parent)
        guard let value = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw invalid(
                value(mapping, key), path(field, key), "unknown value '\(text)' (expected one of: \(allowed))")
        }
        return value
    }

    func kind(of node: Node) -> String {
        switch node {
        case .scalar(let scalar): return "'\(scalar.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}
