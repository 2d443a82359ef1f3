/// Why a configuration file could not be loaded. Every case names the file, and the line and field where known.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// The file is not valid YAML.
    case syntax(file: String, line: Int, column: Int, reason: String)
    /// A field is missing, of the wrong type, or has a value the domain refuses.
    case invalid(file: String, line: Int?, field: String, reason: String)

    /// A message a person can act on, e.g. `Configs/sites/hall.yaml:12: nodes[3].x: expected a number, got 'abc'`.
    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "\(file): cannot read: \(reason)"
        case .syntax(let file, let line, let column, let reason):
            return "\(file):\(line):\(column): YAML syntax error: \(reason)"
        case .invalid(let file, let line, let field, let reason):
            if let line { return "\(file):\(line): \(field): \(reason)" }
            return "\(file): \(field): \(reason)"
        }
    }
}
