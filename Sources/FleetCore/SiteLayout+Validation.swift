extension SiteLayout {
    static func index(_ ids: [String], kind: SiteItemKind, problems: inout [SiteLayoutProblem]) -> [String: Int] {
        var index: [String: Int] = [:]
        var reported: Set<String> = []
        for (i, id) in ids.enumerated() {
            if index[id] == nil {
                index[id] = i
            } else if reported.insert(id).inserted {
                problems.append(.duplicateID(kind, id))
            }
        }
        return index
    }

    static func checkZones(_ zones: [Zone], nodeIndex: [NodeID: Int], problems: inout [SiteLayoutProblem]) {
        _ = index(zones.map(\.id), kind: .zone, problems: &problems)
        for zone in zones {
            if let limit = zone.speedLimit, !(limit.isFinite && limit > 0) {
                problems.append(.invalidSpeed(.zone, zone.id, speed: limit))
            }
            if case .slowdown(let speed) = zone.presence, !(speed.isFinite && speed > 0) {
                problems.append(.invalidPresenceSpeed(zone: zone.id, speed: speed))
            }
            switch zone.area {
            case .nodes(let ids):
                for id in ids.sorted() where nodeIndex[id] == nil {
                    problems.append(.unknownNode(.zone, zone.id, node: id))
                }
            case .polygon(_, let vertices):
                if vertices.count < 3 || vertices.contains(where: { !($0.x.isFinite && $0.y.isFinite) }) {
                    problems.append(.degenerateZone(zone: zone.id))
                }
            }
        }
    }

    /// Expands bidirectional edges, fills in lengths and folds zone speed limits into each edge's limit.
    static func expand(
        _ specs: [EdgeSpec], nodes: [SiteNode], nodeIndex: [NodeID: Int], zones: [Zone],
        problems: inout [SiteLayoutProblem]
    ) -> [SiteEdge] {
        var result: [SiteEdge] = []
        for spec in specs {
            var known = true
            for end in [spec.from, spec.to] where nodeIndex[end] == nil {
                problems.append(.unknownNode(.edge, spec.id, node: end))
                known = false
            }
            if let length = spec.length, !(length.isFinite && length >= 0) {
                problems.append(.invalidLength(edge: spec.id, length: length))
            }
            if let speed = spec.maxSpeed, !(speed.isFinite && speed > 0) {
                problems.append(.invalidSpeed(.edge, spec.id, speed: speed))
            }
            guard known, let a = nodeIndex[spec.from], let b = nodeIndex[spec.to] else { continue }
            let length = spec.length ?? nodes[a].position.distance(to: nodes[b].position)
            var limit = spec.maxSpeed
            for zone in zones {
                if let zoneLimit = zone.speedLimit, zone.contains(nodes[a]) || zone.contains(nodes[b]) {
                    limit = min(limit ?? zoneLimit, zoneLimit)
                }
            }
            result.append(SiteEdge(id: spec.id, from: spec.from, to: spec.to, length: length, maxSpeed: limit))
            if spec.bidirectional {
                result.append(
                    SiteEdge(id: spec.id + "~rev", from: spec.to, to: spec.from, length: length, maxSpeed: limit))
            }
        }
        return result
    }

    /// Every station, charger and parking spot must be reachable from the first station and able to reach it
    /// back, otherwise a robot sent there could never return.
    static func checkReachability(
        _ places: [(SiteItemKind, String, NodeID)], reference: Station, nodeIndex: [NodeID: Int],
        edges: [SiteEdge], outgoing: [[Int]], problems: inout [SiteLayoutProblem]
    ) {
        guard let start = nodeIndex[reference.node] else { return }
        var incoming = Array(repeating: [Int](), count: outgoing.count)
        for (from, list) in outgoing.enumerated() {
            for e in list { incoming[nodeIndex[edges[e].to]!].append(from) }
        }
        let forward = reachable(from: start, next: outgoing.map { $0.map { nodeIndex[edges[$0].to]! } })
        let backward = reachable(from: start, next: incoming)
        for (kind, id, node) in places {
            guard let i = nodeIndex[node] else { continue }
            if !forward[i] || !backward[i] {
                problems.append(.unreachable(kind, id, node: node, reference: reference.id))
            }
        }
    }

    private static func reachable(from start: Int, next: [[Int]]) -> [Bool] {
        var seen = Array(repeating: false, count: next.count)
        var stack = [start]
        seen[start] = true
        while let n = stack.popLast() {
            for m in next[n] where !seen[m] {
                seen[m] = true
                stack.append(m)
            }
        }
        return seen
    }
}
