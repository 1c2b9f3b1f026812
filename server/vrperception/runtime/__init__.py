"""Worker pool, per-stream sessions and scheduling."""
