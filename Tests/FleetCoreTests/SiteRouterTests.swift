import FleetCore
import Testing

@Suite struct SiteRouterTests {
    @Test func routeOnFixtureFollowsTheCorridor() throws {
        let router = SiteRouter(layout: Fixture.layout)
        let route = try #require(router.route(from: "A", to: "D", robotMaxSpeed: 2))
        #expect(route.nodes == ["A", "B", "C", "D"])
        #expect(route.edges == ["AB", "BC", "CD"])
        #expect(route.distance == 30)
        #expect(route.time == 15)
        let back = try #require(router.route(from: "D", to: "E", robotMaxSpeed: 1))
        #expect(back.edges == ["CD~rev", "BC~rev", "BE"])
        #expect(router.route(from: "A", to: "A", robotMaxSpeed: 1)?.nodes == ["A"])
        #expect(router.route(from: "A", to: "nowhere", robotMaxSpeed: 1) == nil)
        #expect(router.cachedTreeCount == 3)  // (A, 2 m/s), (D, 1 m/s), (A, 1 m/s)
    }

    @Test func zoneSpeedLimitMakesTheDetourFaster() throws {
        // Direct A->C is 20 m through a 0.5 m/s zone (40 s); the detour A->B->C is 28.3 m at 1 m/s.
        let layout = try SiteLayout(
            siteId: "z",
            nodes: [
                SiteNode(id: "A", x: 0, y: 0, mapId: "m"), SiteNode(id: "B", x: 10, y: 10, mapId: "m"),
                SiteNode(id: "C", x: 20, y: 0, mapId: "m"), SiteNode(id: "M", x: 10, y: 0, mapId: "m"),
            ],
            edges: [
                EdgeSpec(id: "AM", from: "A", to: "M"), EdgeSpec(id: "MC", from: "M", to: "C"),
                EdgeSpec(id: "AB", from: "A", to: "B"), EdgeSpec(id: "BC", from: "B", to: "C"),
            ],
            zones: [Zone(id: "Z", kind: .humanWork, area: .nodes(["M"]), speedLimit: 0.5)])
        let route = try #require(SiteRouter(layout: layout).route(from: "A", to: "C", robotMaxSpeed: 1))
        #expect(route.nodes == ["A", "B", "C"])
        #expect(layout.edge("AM")?.maxSpeed == 0.5)
    }

    /// Dijkstra against exhaustive search over all simple paths on small random graphs.
    @Test(arguments: 1...40 as ClosedRange<UInt64>)
    func matchesBruteForceOnRandomGraphs(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let n = Int.random(in: 2...7, using: &rng)
        let nodes = (0..<n).map {
            SiteNode(
                id: "n\($0)", x: Double.random(in: 0...50, using: &rng), y: .random(in: 0...50, using: &rng), mapId: "m"
            )
        }
        var edges: [EdgeSpec] = []
        for a in 0..<n {
            for b in 0..<n where a != b && Double.random(in: 0...1, using: &rng) < 0.4 {
                let limit: Double? = Bool.random(using: &rng) ? Double.random(in: 0.2...2, using: &rng) : nil
                edges.append(EdgeSpec(id: "e\(a)-\(b)", from: "n\(a)", to: "n\(b)", maxSpeed: limit))
            }
        }
        let layout = try SiteLayout(siteId: "r", nodes: nodes, edges: edges)
        let router = SiteRouter(layout: layout)
        let speed = Double.random(in: 0.5...1.5, using: &rng)
        for s in 0..<n {
            for d in 0..<n {
                let expected = bruteForce(layout, from: "n\(s)", to: "n\(d)", speed: speed)
                let route = router.route(from: "n\(s)", to: "n\(d)", robotMaxSpeed: speed)
                #expect((route == nil) == (expected == nil))
                if let route, let expected {
                    #expect(abs(route.time - expected) < 1e-9)
                    let summed = route.edges.reduce(0.0) { $0 + layout.edge($1)!.travelTime(robotMaxSpeed: speed) }
                    #expect(abs(summed - route.time) < 1e-9)
                    #expect(route.nodes.first == "n\(s)" && route.nodes.last == "n\(d)")
                }
            }
        }
    }

    private func bruteForce(_ layout: SiteLayout, from: NodeID, to: NodeID, speed: Double) -> Double? {
        var best: Double?
        func walk(_ node: NodeID, _ time: Double, _ seen: Set<NodeID>) {
            if node == to {
                best = min(best ?? .infinity, time)
                return
            }
            for edge in layout.edges where edge.from == node && !seen.contains(edge.to) {
                walk(edge.to, time + edge.travelTime(robotMaxSpeed: speed), seen.union([edge.to]))
            }
        }
        walk(from, 0, [from])
        return best
    }
}
