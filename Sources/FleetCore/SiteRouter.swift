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

/// What a route depends on besides its two ends: the robot's top speed and the zones it may not enter.
///
/// Robots whose profiles differ only in capabilities or payload share a mobility, and so share cached routes;
/// robots with different zone permissions get different routes (``SiteRouter`` keys its cache by mobility).
public struct Mobility: Sendable, Hashable {
    /// Top speed in m/s.
    public var maxSpeed: Double
    /// Ids of the zones whose nodes a route may not use, sorted and without duplicates (empty: every node may be
    /// used). The node a route starts from is exempt, so a robot standing in such a zone can still drive out.
    public let forbiddenZones: [String]

    /// Creates a mobility; `forbiddenZones` is sorted and deduplicated.
    public init(maxSpeed: Double, forbiddenZones: [String] = []) {
        self.maxSpeed = maxSpeed
        self.forbiddenZones = forbiddenZones.count < 2 ? forbiddenZones : Array(Set(forbiddenZones)).sorted()
    }
}

extension RobotProfile {
    /// How a robot of this profile moves on `layout`: its top speed, and the zones of `layout` it may not enter
    /// (``forbiddenZones(in:)``).
    public func mobility(in layout: SiteLayout) -> Mobility {
        guard allowedZones != nil || layout.zones.contains(where: { $0.kind == .restricted }) else {
            return Mobility(maxSpeed: maxSpeed)
        }
        return Mobility(maxSpeed: maxSpeed, forbiddenZones: forbiddenZones(in: layout))
    }
}

/// Fastest routes on a site layout (Dijkstra over a binary heap), with shortest-path trees cached per
/// (source node, ``Mobility``) so repeated allocation queries cost a lookup. A route for a mobility with forbidden
/// zones never passes a node inside one of them (other than its start).
///
/// The cache holds at most ``cacheCapacity`` trees and evicts the least recently used ones when full (a quarter of
/// the capacity at once, so that eviction costs little per insertion). The router is a value; copies share the
/// cache, which is guarded by a `Mutex` and only memoises pure results.
public struct SiteRouter: Sendable {
    /// The layout routes are computed on.
    public let layout: SiteLayout
    private let cache: RouteCache

    /// Creates a router for `layout`.
    /// - Parameters:
    ///   - layout: the site.
    ///   - cacheCapacity: the most shortest-path trees kept (at least 1); `nil` for
    ///     ``defaultCacheCapacity(nodeCount:)``.
    public init(layout: SiteLayout, cacheCapacity: Int? = nil) {
        self.layout = layout
        self.cache = RouteCache(
            capacity: max(1, cacheCapacity ?? Self.defaultCacheCapacity(nodeCount: layout.nodes.count)))
    }

    /// The default cache size: as many trees as fit in about 256 MiB (a tree keeps 24 bytes per node), at least
    /// 64. A 1,000-node site keeps about 11,000 trees, so every node as a source for ten mobilities.
    public static func defaultCacheCapacity(nodeCount: Int) -> Int {
        max(64, (256 << 20) / (24 * max(1, nodeCount)))
    }

    /// The fastest route from `source` to `target` for a robot with top speed `robotMaxSpeed` (m/s) that may enter
    /// every zone, or `nil` when a node is unknown or `target` cannot be reached.
    public func route(from source: NodeID, to target: NodeID, robotMaxSpeed: Double) -> Route? {
        route(from: source, to: target, for: Mobility(maxSpeed: robotMaxSpeed))
    }

    /// The fastest route from `source` to `target` for a robot of `mobility` (through no node of a zone it may not
    /// enter, except `source` itself), or `nil` when a node is unknown or `target` cannot be reached that way.
    public func route(from source: NodeID, to target: NodeID, for mobility: Mobility) -> Route? {
        guard let s = layout.nodeIndex[source], let t = layout.nodeIndex[target] else { return nil }
        let tree = self.tree(from: s, mobility: mobility)
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

    /// The route from the first of `nodes` through the others in order (each leg a fastest route) for a robot that
    /// may enter every zone, or `nil` when `nodes` is empty or a leg is unreachable.
    public func route(through nodes: [NodeID], robotMaxSpeed: Double) -> Route? {
        route(through: nodes, for: Mobility(maxSpeed: robotMaxSpeed))
    }

    /// The route from the first of `nodes` through the others in order (each leg a fastest route for `mobility`),
    /// or `nil` when `nodes` is empty or a leg is unreachable that way.
    public func route(through nodes: [NodeID], for mobility: Mobility) -> Route? {
        guard let first = nodes.first else { return nil }
        var total = Route(nodes: [first], edges: [], distance: 0, time: 0)
        for (from, to) in zip(nodes, nodes.dropFirst()) {
            guard let leg = route(from: from, to: to, for: mobility) else { return nil }
            total = total.appending(leg)
        }
        return total
    }

    /// Travel time in seconds from `source` to `target` for a robot that may enter every zone, or `nil` when
    /// unreachable.
    public func travelTime(from source: NodeID, to target: NodeID, robotMaxSpeed: Double) -> Double? {
        travelTime(from: source, to: target, for: Mobility(maxSpeed: robotMaxSpeed))
    }

    /// Travel time in seconds from `source` to `target` for a robot of `mobility`, or `nil` when unreachable.
    public func travelTime(from source: NodeID, to target: NodeID, for mobility: Mobility) -> Double? {
        guard let s = layout.nodeIndex[source], let t = layout.nodeIndex[target] else { return nil }
        let time = tree(from: s, mobility: mobility).time[t]
        return time.isFinite ? time : nil
    }

    /// Length and travel time of the fastest route from `source` to `target` for a robot that may enter every zone
    /// (the same figures as ``route(from:to:robotMaxSpeed:)`` gives); `nil` when unreachable.
    public func cost(from source: NodeID, to target: NodeID, robotMaxSpeed: Double) -> RouteCost? {
        cost(from: source, to: target, for: Mobility(maxSpeed: robotMaxSpeed))
    }

    /// Length and travel time of the fastest route from `source` to `target` for a robot of `mobility` (the same
    /// figures as ``route(from:to:for:)`` gives), read from the cached shortest-path tree without building the
    /// node and edge sequence; `nil` when a node is unknown or `target` cannot be reached.
    public func cost(from source: NodeID, to target: NodeID, for mobility: Mobility) -> RouteCost? {
        guard let s = layout.nodeIndex[source], let t = layout.nodeIndex[target] else { return nil }
        return tree(from: s, mobility: mobility).cost(to: t)
    }

    /// Fastest-route costs from `source` to every node for a robot of `mobility`, for many look-ups from one place
    /// (an allocation run costing one robot against many tasks); `nil` when `source` is unknown.
    func costs(from source: NodeID, for mobility: Mobility) -> RouteCosts? {
        guard let s = layout.nodeIndex[source] else { return nil }
        return RouteCosts(tree: tree(from: s, mobility: mobility), mobility: mobility)
    }

    /// Per node index: whether a route for `mobility` may not enter it; `nil` when every node may be entered.
    func blockedNodes(for mobility: Mobility) -> [Bool]? {
        mobility.forbiddenZones.isEmpty ? nil : cache.blockedNodes(mobility.forbiddenZones, in: layout)
    }

    /// The index of `node` in ``SiteLayout/nodes``, for ``RouteCosts/subscript(_:)``; `nil` when unknown.
    func index(of node: NodeID) -> Int? { layout.nodeIndex[node] }

    /// Number of cached shortest-path trees (for tests and metrics).
    public var cachedTreeCount: Int { cache.count }

    /// Whether the shortest-path tree from `source` for `mobility` is cached (for tests and metrics; does not
    /// count as a use).
    public func isCached(from source: NodeID, for mobility: Mobility) -> Bool {
        guard let s = layout.nodeIndex[source] else { return false }
        return cache.contains(RouteCache.Key(source: s, mobility: mobility))
    }

    /// The most shortest-path trees the cache keeps.
    public var cacheCapacity: Int { cache.capacity }

    private func tree(from source: Int, mobility: Mobility) -> ShortestPathTree {
        let key = RouteCache.Key(source: source, mobility: mobility)
        if let tree = cache.tree(for: key) { return tree }
        let blocked = mobility.forbiddenZones.isEmpty ? nil : cache.blockedNodes(mobility.forbiddenZones, in: layout)
        let tree = ShortestPathTree(
            layout: layout, source: source, robotMaxSpeed: mobility.maxSpeed, blocked: blocked)
        cache.insert(tree, for: key)
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
/// (``SiteRouter/costs(from:for:)``), indexed by ``SiteRouter/index(of:)``.
///
/// A class, so that handing it to a check per robot-task pair costs one reference, not the tree's arrays.
final class RouteCosts: Sendable {
    let time: [Double]
    let distance: [Double]
    /// The mobility the costs are for, its top speed and whether it forbids no zone (plain copies for per-pair
    /// checks).
    let mobility: Mobility
    let speed: Double
    let unrestricted: Bool

    init(tree: ShortestPathTree, mobility: Mobility) {
        time = tree.time
        distance = tree.distance
        self.mobility = mobility
        speed = mobility.maxSpeed
        unrestricted = mobility.forbiddenZones.isEmpty
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

/// Memoised shortest-path trees, at most ``capacity`` of them, the least recently used evicted first; and the
/// blocked-node masks of the forbidden-zone sets seen. A class so that copies of a router (and of the coordinator)
/// share it.
final class RouteCache: Sendable {
    struct Key: Hashable {
        var source: Int
        var mobility: Mobility
    }

    struct Entry {
        var tree: ShortestPathTree
        /// The cache's clock when the tree was last used. The clock advances on insertions only, so a hit writes
        /// only when the entry was not used since the last insertion (recency is kept to that resolution).
        var used: UInt64
    }

    struct State {
        var trees: [Key: Entry] = [:]
        var clock: UInt64 = 0
        var masks: [[String]: [Bool]] = [:]
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) { self.capacity = capacity }

    var count: Int { state.withLock { $0.trees.count } }

    func contains(_ key: Key) -> Bool { state.withLock { $0.trees[key] != nil } }

    /// The tree for `key`, marked as just used; `nil` when not cached.
    func tree(for key: Key) -> ShortestPathTree? {
        state.withLock { state in
            guard let index = state.trees.index(forKey: key) else { return nil }
            if state.trees.values[index].used != state.clock { state.trees.values[index].used = state.clock }
            return state.trees.values[index].tree
        }
    }

    /// Caches `tree`; when that makes the cache exceed ``capacity``, the least recently used trees are evicted
    /// down to three quarters of it.
    func insert(_ tree: ShortestPathTree, for key: Key) {
        state.withLock { state in
            state.clock &+= 1
            state.trees[key] = Entry(tree: tree, used: state.clock)
            guard state.trees.count > capacity else { return }
            let keep = capacity - capacity / 4
            let byAge = state.trees.sorted { $0.value.used < $1.value.used }
            for (old, _) in byAge.prefix(state.trees.count - keep) { state.trees[old] = nil }
        }
    }

    /// Per node index of `layout`: whether it lies in one of `zones` (by id).
    func blockedNodes(_ zones: [String], in layout: SiteLayout) -> [Bool] {
        if let mask = state.withLock({ $0.masks[zones] }) { return mask }
        let forbidden = layout.zones.filter { zones.contains($0.id) }
        let mask = layout.nodes.map { node in forbidden.contains { $0.contains(node) } }
        state.withLock { $0.masks[zones] = mask }
        return mask
    }
}
