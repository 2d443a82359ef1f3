import FleetCore
import Yams

/// Where each layout item was written, so validation problems found by ``SiteLayout`` can be reported at the
/// line and field of the offending entry.
struct ItemLines {
    private struct Place {
        var line: Int?
        var field: String
        /// Line and field of each node reference, by referenced node id.
        var refs: [NodeID: (line: Int?, field: String)]
    }

    private var places: [String: Place] = [:]

    private static func key(_ kind: SiteItemKind, _ id: String) -> String { "\(kind.rawValue)\u{0}\(id)" }

    /// Records the entry of item `id` and the lines of its node-reference fields `refs`.
    mutating func note(
        _ kind: SiteItemKind, _ id: String, _ node: Node, _ field: String, _ mapping: Node.Mapping, refs: [String]
    ) {
        var references: [NodeID: (line: Int?, field: String)] = [:]
        for ref in refs {
            guard let value = YAMLNodeReader.lookup(mapping, ref) else { continue }
            if let text = value.scalar?.string {
                references[text] = (value.mark?.line, "\(field).\(ref)")
            } else if let list = value.sequence {
                for (i, item) in list.enumerated() {
                    if let text = item.scalar?.string { references[text] = (item.mark?.line, "\(field).\(ref)[\(i)]") }
                }
            }
        }
        // For a duplicate the later entry wins: it is the one to rename or remove.
        places[Self.key(kind, id)] = Place(line: node.mark?.line, field: field, refs: references)
    }

    /// The layout's problems as one ``ConfigError`` at the first problem's line; further problems are appended
    /// to the reason with their own lines.
    func configError(for error: SiteLayoutError, file: String) -> ConfigError {
        let located = error.problems.map(locate)
        guard let first = located.first else {
            return .invalid(file: file, line: nil, field: "(layout)", reason: error.description)
        }
        var reason = first.problem.description
        if located.count > 1 {
            let more = located.dropFirst().map { place in
                (place.line.map { "line \($0): " } ?? "") + "\(place.field): \(place.problem)"
            }
            reason += " (and \(located.count - 1) more: \(more.joined(separator: "; ")))"
        }
        return .invalid(file: file, line: first.line, field: first.field, reason: reason)
    }

    private func locate(_ problem: SiteLayoutProblem) -> (line: Int?, field: String, problem: SiteLayoutProblem) {
        let subject = problem.subject
        guard let place = places[Self.key(subject.kind, subject.id)] else {
            return (nil, subject.kind == .layout ? "nodes" : subject.kind.rawValue, problem)
        }
        switch problem {
        case .unknownNode(_, _, let node):
            if let ref = place.refs[node] { return (ref.line, ref.field, problem) }
        case .invalidLength:
            return (place.line, place.field + ".length", problem)
        case .invalidSpeed(let kind, _, _):
            return (place.line, place.field + (kind == .zone ? ".speedLimit" : ".maxSpeed"), problem)
        case .invalidCapacity:
            return (place.line, place.field + ".capacity", problem)
        case .invalidPresenceSpeed:
            return (place.line, place.field + ".presenceSpeed", problem)
        default:
            break
        }
        return (place.line, place.field, problem)
    }
}
