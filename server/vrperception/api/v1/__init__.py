"""Generated protobuf and gRPC code for vrperception.v1. Do not edit."""
