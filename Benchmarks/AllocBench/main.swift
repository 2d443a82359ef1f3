import FleetCore

// Placeholder entry point; the allocation benchmark is being written (issue 4).
print("fleet-bench-alloc: not yet implemented")
