import FleetCore
import Testing

/// Routes planned around the zones a robot may not enter: the router, the cache keyed by permissions, the wait and
/// failure reasons when no permitted route exists, and the orders every policy sends.
@Suite struct ZoneRoutingTests {
    /// ```
    /// A(0,0) - B(10,0) - C(20,0) - D(30,0)        LAB (restricted): B, C
    ///  |                   |        |
    /// E(0,10) - F(10,10) - G(20,10) - H(30,10)    Z(20,-10) hangs off C only
    ///                      |
    ///                     Z(20,-10)
    /// ```
    /// (Z is below C, joined to C alone.) Stations: PICK at A, DROP at D, DEN at Z, WEST at E.
    static let layout: SiteLayout = try! SiteLayout(
        siteId: "zones",
        nodes: [
            SiteNode(id: "A", x: 0, y: 0, mapId: "m"), SiteNode(id: "B", x: 10, y: 0, mapId: "m"),
            SiteNode(id: "C", x: 20, y: 0, mapId: "m"), SiteNode(id: "D", x: 30, y: 0, mapId: "m"),
            SiteNode(id: "E", x: 0, y: 10, mapId: "m"), SiteNode(id: "F", x: 10, y: 10, mapId: "m"),
            SiteNode(id: "G", x: 20, y: 10, mapId: "m"), SiteNode(id: "H", x: 30, y: 10, mapId: "m"),
            SiteNode(id: "Z", x: 20, y: -10, mapId: "m"),
        ],
        edges: [
            EdgeSpec(id: "AB", from: "A", to: "B", bidirectional: true),
            EdgeSpec(id: "BC", from: "B", to: "C", bidirectional: true),
            EdgeSpec(id: "CD", from: "C", to: "D", bidirectional: true),
            EdgeSpec(id: "AE", from: "A", to: "E", bidirectional: true),
            EdgeSpec(id: "EF", from: "E", to: "F", bidirectional: true),
            EdgeSpec(id: "FG", from: "F", to: "G", bidirectional: true),
            EdgeSpec(id: "GH", from: "G", to: "H", bidirectional: true),
            EdgeSpec(id: "HD", from: "H", to: "D", bidirectional: true),
            EdgeSpec(id: "CZ", from: "C", to: "Z", bidirectional: true),
        ],
        stations: [
            Station(id: "PICK", node: "A", kind: .pick), Station(id: "DROP", node: "D", kind: .drop),
            Station(id: "DEN", node: "Z", kind: .storage), Station(id: "WEST", node: "E", kind: .lineSide),
        ],
        zones: [Zone(id: "LAB", kind: .restricted, area: .nodes(["B", "C"]))])

    static let lab: Set<NodeID> = ["B", "C"]
    /// May not enter LAB (restricted zones admit only robots that list them).
    static let amr = RobotProfile(type: "AMR", maxPayloadKg: 100, maxSpeed: 1)
    /// May enter LAB.
    static let labAMR = RobotProfile(type: "lab-AMR", maxPayloadKg: 100, maxSpeed: 1, allowedZones: ["LAB"])
    static let config = CoordinatorConfiguration(
        stateTimeout: 1000, dispatchAcknowledgementTimeout: 5, maxDispatchSends: 2, maxFailedAttempts: 2,
        positionSampleInterval: nil, allocationMinimumInterval: 0)

    static func robot(_ n: Int) -> RobotID { RobotID(manufacturer: "acme", serialNumber: "R-\(n)") }

    static func at(_ node: NodeID) -> RobotObservation {
        RobotObservation(position: layout.node(node)!.position, mapId: "m", lastNodeId: node, batteryPercent: 90)
    }

    static func coordinator(_ robots: [(RobotProfile, NodeID)], policy: AllocationPolicyKind) -> Coordinator {
        var c = Coordinator(layout: layout, configuration: config, policy: policy.makePolicy())
        for (i, (profile, node)) in robots.enumerated() {
            _ = c.handle(.robotRegistered(robot(i + 1), profile), now: t(0))
            _ = c.handle(.robotObserved(robot(i + 1), at(node)), now: t(0))
        }
        return c
    }

    // MARK: Router

    @Test func theRouteGoesAroundAForbiddenZoneAndTheCacheKeepsPermissionsApart() throws {
        let router = SiteRouter(layout: Self.layout)
        let free = Self.labAMR.mobility(in: Self.layout)
        let kept = Self.amr.mobility(in: Self.layout)
        #expect(free.forbiddenZones.isEmpty && kept.forbiddenZones == ["LAB"])
        // Same speed, different permissions: two trees from A, two different routes.
        let direct = try #require(router.route(from: "A", to: "D", for: free))
        let around = try #require(router.route(from: "A", to: "D", for: kept))
        #expect(direct.nodes == ["A", "B", "C", "D"] && direct.distance == 30)
        #expect(around.nodes == ["A", "E", "F", "G", "H", "D"] && around.distance == 50)
        #expect(router.cachedTreeCount == 2)
        #expect(router.isCached(from: "A", for: free) && router.isCached(from: "A", for: kept))
        // Asking again in the other order gives the same answers from the cache.
        #expect(router.route(from: "A", to: "D", for: kept) == around)
        #expect(router.route(from: "A", to: "D", for: free) == direct)
        #expect(router.cachedTreeCount == 2)
        // A node inside the zone cannot be reached; a robot standing in it may still drive out.
        #expect(router.route(from: "A", to: "C", for: kept) == nil)
        #expect(router.route(from: "B", to: "D", for: kept)?.nodes == ["B", "A", "E", "F", "G", "H", "D"])
        // The speed-only API is the unrestricted mobility.
        #expect(router.route(from: "A", to: "D", robotMaxSpeed: 1) == direct)
    }

    @Test func theRouteCacheIsBoundedAndEvictsTheLeastRecentlyUsed() {
        let router = SiteRouter(layout: Self.layout, cacheCapacity: 4)
        #expect(router.cacheCapacity == 4)
        let nodes = Self.layout.nodes.map(\.id)
        let mobility = Mobility(maxSpeed: 1)
        for (i, node) in nodes.enumerated() {
            _ = router.travelTime(from: node, to: "D", for: mobility)
            // A keeps being used, so it stays while older trees go.
            _ = router.travelTime(from: "A", to: "D", for: mobility)
            #expect(router.cachedTreeCount <= 4, "after \(i + 1) sources")
        }
        #expect(router.isCached(from: "A", for: mobility))
        #expect(router.isCached(from: nodes[nodes.count - 1], for: mobility))
        #expect(!router.isCached(from: nodes[1], for: mobility))
        // Evicted trees are rebuilt with the same answer.
        #expect(router.travelTime(from: nodes[1], to: "D", for: mobility) == 20)
        #expect(SiteRouter.defaultCacheCapacity(nodeCount: 1000) > 10_000)
        #expect(SiteRouter.defaultCacheCapacity(nodeCount: 10_000_000) == 64)
    }

    // MARK: Allocation

    @Test(arguments: AllocationPolicyKind.allCases)
    func ordersNeverEnterAZoneTheRobotMayNotEnter(policy: AllocationPolicyKind) throws {
        var c = Self.coordinator([(Self.amr, "A")], policy: policy)
        var out = c.handle(.taskRequested(TaskRequest(id: "T1", pick: "PICK", drop: "DROP")), now: t(1))
        out += c.handle(.timerFired(.allocation), now: t(2))
        let plan = try #require(out.dispatches.first?.1)
        #expect(plan.nodes.map(\.nodeId) == ["A", "E", "F", "G", "H", "D"])
        #expect(plan.nodes.allSatisfy { !Self.lab.contains($0.nodeId) })
        #expect(plan.actions.map(\.kind) == [.pick, .drop])
    }

    @Test(arguments: AllocationPolicyKind.allCases)
    func permissionsChangeWhichRobotIsNearest(policy: AllocationPolicyKind) throws {
        // To D: the AMR at A would be 30 m away through LAB, but its permitted route is 50 m; the lab robot at E
        // is 40 m away either way, so it goes.
        var c = Self.coordinator([(Self.amr, "A"), (Self.labAMR, "E")], policy: policy)
        var out = c.handle(.taskRequested(TaskRequest(id: "P1", kind: .patrol, stops: ["DROP"])), now: t(1))
        out += c.handle(.timerFired(.allocation), now: t(2))
        #expect(out.dispatches.map(\.0) == [Self.robot(2)])
    }

    @Test(arguments: AllocationPolicyKind.allCases)
    func noPermittedRouteToTheStartIsAWaitReason(policy: AllocationPolicyKind) throws {
        // DEN (Z) hangs off C inside LAB: the AMR cannot get there, the task waits with the reason.
        var c = Self.coordinator([(Self.amr, "A")], policy: policy)
        var out = c.handle(.taskRequested(TaskRequest(id: "P1", kind: .patrol, stops: ["DEN"])), now: t(1))
        out += c.handle(.timerFired(.allocation), now: t(2))
        #expect(out.dispatches.isEmpty)
        #expect(c.tasks["P1"]?.state == .queued)
        let reason = "no permitted route to node 'Z' for robots of type AMR"
        let statuses = out.compactMap { if case .publishTaskStatus(_, let s) = $0 { s.reason } else { nil } }
        #expect(statuses.last == reason)
        #expect(out.records.contains { $0.event == .waiting(task: "P1", reason: reason) })
        // A robot allowed into LAB arrives: it takes the task.
        _ = c.handle(.robotRegistered(Self.robot(2), Self.labAMR), now: t(3))
        var later = c.handle(.robotObserved(Self.robot(2), Self.at("F")), now: t(3))
        later += c.handle(.timerFired(.allocation), now: t(4))
        let plan = try #require(later.dispatches.first)
        #expect(plan.0 == Self.robot(2) && plan.1.nodes.map(\.nodeId).last == "Z")
    }

    @Test func workThatOnlyPassesAForbiddenZoneFailsWithTheReason() {
        var c = Self.coordinator([(Self.amr, "A")], policy: .greedy)
        _ = c.handle(.taskRequested(TaskRequest(id: "T1", pick: "PICK", drop: "DEN")), now: t(1))
        #expect(c.tasks["T1"]?.state == .failed)
        #expect(
            c.tasks["T1"]?.history.last?.detail == "no permitted route from node 'A' to node 'Z' for robots of type AMR"
        )
        let error = AllocationError.noPermittedPath(from: "A", to: "Z", robotTypes: ["AMR"])
        #expect(error.isPermanent)
        #expect(!AllocationError.noPermittedRoute(to: "Z", robotTypes: ["AMR"]).isPermanent)
    }

    @Test func aRobotKeptFromEveryChargerLeavesTheWayToAChargerOut() {
        // TaskKindsTests' charger CH (at G) lies in HALL: a robot confined outside every zone cannot use it.
        let layout = TaskKindsTests.layout
        var confined = TaskKindsTests.amr
        confined.allowedZones = []
        let estimator = TripEstimator(
            context: AllocationContext(
                router: SiteRouter(layout: layout), fleet: [Self.robot(1): confined], batteryReserve: 10, now: t(0)))
        #expect(estimator.chargerDistance(from: "E", mobility: confined.mobility(in: layout)) == 0)
        #expect(estimator.chargerDistance(from: "E", mobility: TaskKindsTests.amr.mobility(in: layout)) == 40)
    }

    @Test func theEstimatorChecksEachRobotOnItsOwnRoutes() throws {
        let context = AllocationContext(
            router: SiteRouter(layout: Self.layout), fleet: [Self.robot(1): Self.amr, Self.robot(2): Self.labAMR],
            batteryReserve: 0, now: t(0))
        let estimator = TripEstimator(context: context)
        let task = TransportTask(
            request: TaskRequest(id: "P1", kind: .patrol, stops: ["PICK", "DROP"]), createdAt: t(0))
        let work = try estimator.work(for: task).get()
        let kept = try #require(estimator.check(work, from: "E", profile: Self.amr, battery: 90).estimate)
        let free = try #require(estimator.check(work, from: "E", profile: Self.labAMR, battery: 90).estimate)
        #expect(kept.toDrop.nodes == ["A", "E", "F", "G", "H", "D"])
        #expect(free.toDrop.nodes == ["A", "B", "C", "D"])
        #expect(kept.seconds > free.seconds)
        let den = TransportTask(request: TaskRequest(id: "P2", kind: .patrol, stops: ["DEN"]), createdAt: t(0))
        let denWork = try estimator.work(for: den).get()
        let check = estimator.check(denWork, from: "A", profile: Self.amr, battery: 90)
        #expect(check == .noPermittedRoute(to: "Z", robotType: "AMR"))
        #expect(
            TripEstimator.waitReason([check]).description == "no permitted route to node 'Z' for robots of type AMR")
    }
}
