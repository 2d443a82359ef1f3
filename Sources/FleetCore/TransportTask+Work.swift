extension TransportTask {
    /// The nodes the robot must visit, in order, to do the work of the task; the first is where the work starts
    /// (the pick station of a transport). Allocation policies cost a robot's trip as the route to the first node
    /// plus the route through the rest. `nil` when a station of the request is not on `layout`.
    public func workNodes(in layout: SiteLayout) -> [NodeID]? {
        guard let pick = layout.station(request.pick)?.node, let drop = layout.station(request.drop)?.node else {
            return nil
        }
        return [pick, drop]
    }
}
