"""The local collector: serves the bundle and demo, accepts the Segment HTTP API, keeps events in SQLite."""
