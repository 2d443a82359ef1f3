extension Coordinator {
    /// Queued tasks the allocation policy may consider now: the ones whose earliest start has come and whose
    /// dependencies are complete.
    func readyQueue(now: FleetTime) -> [TransportTask] {
        tasks.values.filter { $0.state == .queued }
    }
}
