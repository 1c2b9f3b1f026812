"""gRPC servicers: validation, protobuf <-> domain translation, status codes."""
