"""Frame and audio handling: pure functions on numpy arrays."""
