import Synchronization

/// A route through the site graph: the node and edge sequence with its length and travel time.
public struct Route: Sendable, Hashable, Codable {
    /// Nodes from start to end (one node when start and end coincide).
    public var nodes: [NodeID]
    /// Directed edges between consecutive nodes (`nodes.count - 1` of them).
    public var edges: [EdgeID]
    /// Length in metres.
    public var distance: Double
    /// Travel time in seconds at the robot's speed, respecting edge and zone limits.
    public var time: Double

    /// Creates a route.
    public init(nodes: [NodeID], edges: [EdgeID], distance: Double, time: Double) {
        self.nodes = nodes
        self.edges = edges
        self.distance = distance
        self.time = time
    }

    /// This route followed by `next` (which must start where this one ends).
    public func appending(_ next: Route) -> Route {
        Route(
            nodes: nodes + next.nodes.dropFirst(), edges: edges + next.edges, distance: distance + next.distance,
            time: time + next.time)
    }
}

/// Fastest routes on a site layout (Dijkstra over a binary heap), with shortest-path trees cached per
/// (source node, robot top speed) so repeated allocation queries cost a lookup.
///
/// The router is a value; copies share the cache, which is guarded by a `Mutex` and only memoises pure results.
public struct SiteRouter: Sendable {
    /// The layout routes are computed on.
    public let layout: SiteLayout
    private let cache: RouteCache

    /// Creates a router for `layout`.
    public init(layout: SiteLayout) {
        self.layout = layout
        self.cache = RouteCache()
    }

    /// The fastest route from `source` to `target` for a robot with top speed `robotMaxSpeed` (m/s), or `nil`
    /// when a node is unknown or `target` cannot be reached.
    public func route(from source: NodeID, to target: NodeID, robotMaxSpeed: Double) -> Route? {
        guard let s = layout.nodeIndex[source], let t = layout.nodeIndex[target] else { return nil }
        let tree = self.tree(from: s, robotMaxSpeed: robotMaxSpeed)
        guard tree.time[t].isFinite else { return nil }
        var nodes = [layout.nodes[t].id]
        var edges: [EdgeID] = []
        var current = t
        while tree.via[current] >= 0 {
            let edge = layout.edges[tree.via[current]]
            edges.append(edge.id)
            nodes.append(edge.from)
            current = layout.nodeIndex[edge.from]!
        }
        return Route(nodes: nodes.reversed(), edges: edges.reversed(), distance: tree.distance[t], time: tree.time[t])
    }

    /// The route from the first of `nodes` through the others in order (each leg a fastest route), or `nil` when
    /// `nodes` is empty or a leg is unreachable.
    public func route(through nodes: [NodeID], robotMaxSpeed: Double) -> Route? {
        guard let first = nodes.first else { return nil }
        var total = Route(nodes: [first], edges: [], distance: 0, time: 0)
        for (from, to) in zip(nodes, nodes.dropFirst()) {
            guard let leg = route(from: from, to: to, robotMaxSpeed: robotMaxSpeed) else { return nil }
            total = total.appending(leg)
        }
        return total
    }

    /// Travel time in seconds from `source` to `target`, or `nil` when unreachable.
    public func travelTime(from source: NodeID, to target: NodeID, robotMaxSpeed: Double) -> Double? {
        guard let s = layout.nodeIndex[source], let t = layout.nodeIndex[target] else { return nil }
        let time = tree(from: s, robotMaxSpeed: robotMaxSpeed).time[t]
        return time.isFinite ? time : nil
    }

    /// Length and travel time of the fastest route from `source` to `target` (the same figures as
    /// ``route(from:to:robotMaxSpeed:)`` gives), read from the cached shortest-path tree without building the
    /// node and edge sequence; `nil` when a node is unknown or `target` cannot be reached.
    public func cost(from source: NodeID, to target: NodeID, robotMaxSpeed: Double) -> RouteCost? {
        guard let s = layout.nodeIndex[source], let t = layout.nodeIndex[target] else { return nil }
        return tree(from: s, robotMaxSpeed: robotMaxSpeed).cost(to: t)
    }

    /// Fastest-route costs from `source` to every node, for many look-ups from one place (an allocation run
    /// costing one robot against many tasks); `nil` when `source` is unknown.
    func costs(from source: NodeID, robotMaxSpeed: Double) -> RouteCosts? {
        guard let s = layout.nodeIndex[source] else { return nil }
        return RouteCosts(tree: tree(from: s, robotMaxSpeed: robotMaxSpeed))
    }

    /// The index of `node` in ``SiteLayout/nodes``, for ``RouteCosts/subscript(_:)``; `nil` when unknown.
    func index(of node: NodeID) -> Int? { layout.nodeIndex[node] }

    /// Number of cached shortest-path trees (for tests and metrics).
    public var cachedTreeCount: Int { cache.count }

    private func tree(from source: Int, robotMaxSpeed: Double) -> ShortestPathTree {
        let key = RouteCache.Key(source: source, speed: robotMaxSpeed)
        if let tree = cache[key] { return tree }
        let tree = ShortestPathTree(layout: layout, source: source, robotMaxSpeed: robotMaxSpeed)
        cache[key] = tree
        return tree
    }
}

/// The length and travel time of a fastest route, without the route itself.
public struct RouteCost: Sendable, Hashable {
    /// Length in metres.
    public var distance: Double
    /// Travel time in seconds at the robot's speed, respecting edge and zone limits.
    public var time: Double

    /// Creates a cost.
    public init(distance: Double, time: Double) {
        self.distance = distance
        self.time = time
    }
}

/// Fastest-route costs from one node at one top speed to every node of the layout
/// (``SiteRouter/costs(from:robotMaxSpeed:)``), indexed by ``SiteRouter/index(of:)``.
///
/// A class, so that handing it to a check per robot-task pair costs one reference, not the tree's arrays.
final class RouteCosts: Sendable {
    let time: [Double]
    let distance: [Double]

    init(tree: ShortestPathTree) {
        time = tree.time
        distance = tree.distance
    }

    /// The cost to the node at `index`, or `nil` when it cannot be reached.
    subscript(index: Int) -> RouteCost? {
        let time = self.time[index]
        return time.isFinite ? RouteCost(distance: distance[index], time: time) : nil
    }
}

extension ShortestPathTree {
    /// The cost to node `t`, or `nil` when it cannot be reached.
    func cost(to t: Int) -> RouteCost? {
        let time = self.time[t]
        return time.isFinite ? RouteCost(distance: distance[t], time: time) : nil
    }
}

/// Memoised shortest-path trees. A class so that copies of a router (and of the coordinator) share it.
final class RouteCache: Sendable {
    struct Key: Hashable {
        var source: Int
        var speed: Double
    }

    private let trees = Mutex<[Key: ShortestPathTree]>([:])

    var count: Int { trees.withLock { $0.count } }

    subscript(key: Key) -> ShortestPathTree? {
        get { trees.withLock { $0[key] } }
        set { trees.withLock { $0[key] = newValue } }
    }
}
