extension TransportTask {
    /// The nodes one robot visits, in order, to do the work of the task; the first is where the work starts (the
    /// pick station of a transport, the first waypoint of a patrol, the charger of a charge task). Allocation
    /// policies cost a robot's trip as the route to the first node plus the route through the rest. A coverage
    /// task gives the whole zone's tour here (its robots get parts of it: ``TaskRequest/coverageParts(in:)``).
    /// `nil` when a station, charger or zone of the request is not on `layout`.
    public func workNodes(in layout: SiteLayout) -> [NodeID]? {
        request.workNodes(in: layout)
    }
}

extension TaskRequest {
    /// See ``TransportTask/workNodes(in:)``; for a charge task without a chosen charger, `nil`.
    public func workNodes(in layout: SiteLayout) -> [NodeID]? {
        switch kind {
        case .coverage:
            let parts = coverageParts(in: layout)
            return parts.isEmpty ? nil : parts.flatMap { $0 }
        case .charge:
            guard let charger, let node = layout.chargers.first(where: { $0.id == charger })?.node else { return nil }
            return [node]
        default:
            var nodes: [NodeID] = []
            for stop in stops {
                guard let node = layout.station(stop)?.node else { return nil }
                nodes.append(node)
            }
            return nodes.isEmpty ? nil : nodes
        }
    }

    /// A coverage task's zone split into `robots` parts of neighbouring nodes, each in a back-and-forth sweep
    /// order: the zone's nodes sorted into vertical strips by x, strips as even in node count as possible, each
    /// strip swept by y alternately up and down. Empty when the zone is unknown or has no node.
    public func coverageParts(in layout: SiteLayout) -> [[NodeID]] {
        guard let zone, let area = layout.zones.first(where: { $0.id == zone }) else { return [] }
        let inside = layout.nodes.filter { area.contains($0) }
            .sorted { ($0.position.x, $0.position.y, $0.id) < ($1.position.x, $1.position.y, $1.id) }
        guard !inside.isEmpty else { return [] }
        let parts = min(max(robots, 1), inside.count)
        var result: [[NodeID]] = []
        var start = 0
        for part in 0..<parts {
            let end = start + (inside.count - start) / (parts - part)
            let strip = inside[start..<end]
            // Within a strip, sweep columns of equal x alternately upwards and downwards.
            var columns: [[SiteNode]] = []
            for node in strip {
                if let last = columns.last?.last, abs(last.position.x - node.position.x) < 1e-9 {
                    columns[columns.count - 1].append(node)
                } else {
                    columns.append([node])
                }
            }
            let sweep = columns.enumerated().flatMap { i, column in
                (i % 2 == 0 ? column : column.reversed()).map(\.id)
            }
            result.append(sweep)
            start = end
        }
        return result
    }
}

extension SiteLayout {
    /// The zones that contain at least one of `nodes`, in layout order.
    public func zones(of nodes: [NodeID]) -> [Zone] {
        let places = Set(nodes).compactMap { node($0) }
        return zones.filter { zone in places.contains { zone.contains($0) } }
    }
}
