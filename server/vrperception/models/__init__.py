"""Model runtimes. Each module has a small typed interface and no protobuf."""
