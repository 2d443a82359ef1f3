print("ingest benchmark: not yet built")
