"""`vrperception info`: handshake and health of a running server."""

from __future__ import annotations

import argparse
import sys

import grpc
from grpc_health.v1 import health_pb2

from vrperception.api.v1 import handshake_pb2
from vrperception.cli.main import add_address_argument, print_json

SERVICES = (
    "vrperception.v1.HandTracking",
    "vrperception.v1.ObjectRecognition",
    "vrperception.v1.VoiceCommands",
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("info", help="show a running server's version, models, capabilities and limits")
    add_address_argument(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for the server (default 10)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from vrperception.client import PerceptionClient

    try:
        with PerceptionClient(args.address, timeout_s=args.timeout) as client:
            response = client.handshake(client_name="vrperception-cli")
            health = {name: health_pb2.HealthCheckResponse.ServingStatus.Name(client.health_status(name)) for name in SERVICES}
    except grpc.RpcError as error:
        print(f"vrperception info: {args.address}: {error.code().name}: {error.details()}", file=sys.stderr)
        return 1
    if args.json:
        print_json(response, health=health)
        return 0
    print(f"server {response.server_version}, protocol {response.protocol_version} at {args.address}")
    print("capabilities: " + ", ".join(handshake_pb2.Capability.Name(c).removeprefix("CAPABILITY_") for c in response.capabilities))
    for name, status in health.items():
        print(f"  {name}: {status}")
    print("models:")
    for model in response.models:
        print(f"  {model.name} {model.version} ({model.task}) from {model.source}")
    limits = response.limits
    print(f"limits: frame {limits.max_frame_bytes} bytes, {limits.max_width}x{limits.max_height} px, "
          f"{limits.max_streams} streams, {limits.max_hands} hands")
    return 0
