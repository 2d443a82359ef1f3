import Testing

@testable import VDA5050

@Suite("Order validator")
struct OrderValidatorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var order: Order
        var previous: Order?
        var expected: OrderValidationError
        var testDescription: String { name }
    }

    static let validator = OrderValidator()

    static var violations: [Case] {
        typealias S = TestSupport
        var cases: [Case] = []
        func add(
            _ name: String, previous: Order? = nil, _ expected: OrderValidationError, _ edit: (inout Order) -> Void
        ) {
            var o = S.order()
            edit(&o)
            cases.append(Case(name: name, order: o, previous: previous, expected: expected))
        }
        add("no nodes", .noNodes) {
            $0.nodes = []; $0.edges = []
        }
        add("too few edges", .edgeCountMismatch(nodes: 3, edges: 1)) { $0.edges.removeLast() }
        add("edge sequenceId gap", .invalidSequenceId(field: "edges[1].sequenceId", expected: 3, found: 5)) {
            $0.edges[1].sequenceId = 5
        }
        add("node sequenceId gap", .invalidSequenceId(field: "nodes[2].sequenceId", expected: 4, found: 6)) {
            $0.nodes[2].sequenceId = 6
        }
        add(
            "sequenceId beyond UInt32 (no overflow)",
            .invalidSequenceId(field: "nodes[0].sequenceId", expected: 0, found: Int.max)
        ) {
            $0.nodes[0].sequenceId = Int.max
        }
        add("negative edge sequenceId", .invalidSequenceId(field: "edges[0].sequenceId", expected: 1, found: -1)) {
            $0.edges[0].sequenceId = -1
        }
        add("new order not at 0", .newOrderMustStartAtZero(field: "nodes[0].sequenceId", found: 2)) {
            $0.nodes[0].sequenceId = 2
        }
        add("wrong startNodeId", .edgeEndpointMismatch(field: "edges[1].startNodeId", expected: "N2", found: "N9")) {
            $0.edges[1].startNodeId = "N9"
        }
        add("wrong endNodeId", .edgeEndpointMismatch(field: "edges[0].endNodeId", expected: "N2", found: "N3")) {
            $0.edges[0].endNodeId = "N3"
        }
        add("released after horizon", .releasedAfterHorizon(field: "nodes[2].released")) {
            $0.nodes[1].released = false
            $0.edges[1].released = false
        }
        add("released edge to unreleased node", .edgeReleasedWithoutNodes(field: "edges[1].released")) {
            $0.nodes[2].released = false
        }
        add("first node not released", .firstNodeNotReleased) {
            for i in $0.nodes.indices { $0.nodes[i].released = false }
            for i in $0.edges.indices { $0.edges[i].released = false }
        }
        add("empty nodeId", .emptyIdentifier(field: "nodes[1].nodeId")) {
            $0.nodes[1].nodeId = ""
            $0.edges[0].endNodeId = ""
            $0.edges[1].startNodeId = ""
        }
        add("empty edgeId", .emptyIdentifier(field: "edges[0].edgeId")) { $0.edges[0].edgeId = "" }
        add("empty orderId", .emptyIdentifier(field: "orderId")) { $0.orderId = "" }
        add("bad orderId characters", .invalidIdentifierCharacters(field: "orderId", value: "order/1")) {
            $0.orderId = "order/1"
        }
        add("bad edgeId characters", .invalidIdentifierCharacters(field: "edges[1].edgeId", value: "E 2")) {
            $0.edges[1].edgeId = "E 2"
        }
        add(
            "duplicate actionId",
            .duplicateActionId(
                field: "nodes[2].actions[0].actionId", actionId: "order-1-a1", firstUse: "nodes[0].actions[0].actionId")
        ) { $0.nodes[2].actions[0].actionId = "order-1-a1" }
        add("NaN coordinate", .nonFiniteNumber(field: "nodes[1].nodePosition.x")) { $0.nodes[1].nodePosition?.x = .nan }
        add("infinite speed", .nonFiniteNumber(field: "edges[0].maxSpeed")) { $0.edges[0].maxSpeed = .infinity }
        add(
            "NaN in an action parameter",
            .nonFiniteNumber(field: "nodes[0].actions[0].actionParameters[0].value[1]")
        ) {
            $0.nodes[0].actions[0].actionParameters = [
                ActionParameter(key: "k", value: .array([.number(1), .number(.nan)]))
            ]
        }
        add("theta out of range", .valueOutOfRange(field: "nodes[0].nodePosition.theta", value: 4, allowed: "[-π, π]"))
        {
            $0.nodes[0].nodePosition?.theta = 4
        }
        add(
            "negative corridor width",
            .valueOutOfRange(field: "edges[0].corridor.leftWidth", value: -1, allowed: "≥ 0")
        ) { $0.edges[0].corridor = Corridor(leftWidth: -1, rightWidth: 0) }
        add("new order with update id", .newOrderWithNonZeroUpdateId(orderId: "order-1", orderUpdateId: 1)) {
            $0.orderUpdateId = 1
        }
        let accepted = S.order(update: 3, count: 3, released: 2)
        add(
            "outdated update", previous: accepted,
            .outdatedUpdate(orderId: "order-1", orderUpdateId: 2, currentOrderUpdateId: 3)
        ) {
            $0 = accepted
            $0.orderUpdateId = 2
        }
        add(
            "same update id, different content", previous: accepted,
            .sameUpdateIdDifferentContent(orderId: "order-1", orderUpdateId: 3)
        ) {
            $0 = accepted
            $0.nodes[2].released = true
            $0.edges[1].released = true
        }
        add(
            "update not stitched on the last base node", previous: accepted,
            .stitchingNodeMismatch(
                field: "nodes[0]", expectedNodeId: "N2", expectedSequenceId: 2, foundNodeId: "N3", foundSequenceId: 4)
        ) { $0 = S.order(update: 4, start: 4, count: 2, firstNode: 3) }
        add("stitching node changed", previous: accepted, .stitchingNodeChanged(field: "nodes[0]")) {
            $0 = S.order(update: 4, start: 2, count: 3, firstNode: 2)
            $0.nodes[0].actions = []
        }
        add(
            "update starting at an odd sequenceId", previous: accepted,
            .invalidSequenceId(field: "nodes[0].sequenceId", expected: 4, found: 3)
        ) {
            $0 = S.order(update: 4, start: 3, count: 1, firstNode: 2)
        }
        return cases
    }

    @Test("each rule is detected and names the field", arguments: violations)
    func violation(c: Case) {
        let errors = Self.validator.validate(c.order, previous: c.previous)
        #expect(errors.contains(c.expected), "got \(errors.map(\.description))")
        #expect(errors.allSatisfy { !$0.description.isEmpty })
        #expect(c.expected.description.contains(c.expected.field) || c.expected.field == "orderUpdateId")
    }

    @Test("valid orders pass", arguments: [1, 2, 5])
    func validOrders(count: Int) {
        #expect(Self.validator.validate(TestSupport.order(count: count)).isEmpty)
        #expect(Self.validator.validate(TestSupport.order(count: count, released: 1)).isEmpty)
        #expect(Self.validator.validate(TestSupport.richOrder).isEmpty)
    }

    @Test("a correct update stitches on the last base node")
    func validUpdate() {
        let accepted = TestSupport.order(update: 0, count: 3, released: 2)
        // The update resends N2 (seq 2, the decision point) unchanged and extends the base to N4.
        let update = TestSupport.order(update: 1, start: 2, count: 3, firstNode: 2)
        #expect(Self.validator.classify(update, previous: accepted) == .update)
        #expect(Self.validator.validate(update, previous: accepted) == [])
    }

    @Test("an identical resend is a duplicate, not an error")
    func duplicate() {
        let accepted = TestSupport.order(update: 2, count: 3, released: 2)
        var resend = accepted
        resend.headerId += 5
        resend.timestamp = VDA5050Timestamp(millisecondsSince1970: 1)
        #expect(Self.validator.classify(resend, previous: accepted) == .duplicate)
        #expect(Self.validator.validate(resend, previous: accepted).isEmpty)
    }

    @Test("a new orderId after another order is a new order")
    func newOrderAfterOther() {
        let accepted = TestSupport.order(id: "order-1", update: 7)
        let next = TestSupport.order(id: "order-2")
        #expect(Self.validator.classify(next, previous: accepted) == .newOrder)
        #expect(Self.validator.validate(next, previous: accepted).isEmpty)
    }

    @Test("all violations are reported at once")
    func many() {
        var o = TestSupport.order()
        o.orderId = ""
        o.edges[0].sequenceId = 9
        o.nodes[1].nodePosition?.y = .nan
        let fields = Set(Self.validator.validate(o).map(\.field))
        #expect(fields.isSuperset(of: ["orderId", "edges[0].sequenceId", "nodes[1].nodePosition.y"]))
    }
}
