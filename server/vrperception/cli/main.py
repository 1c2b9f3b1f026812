"""Entry point of the `vrperception` command."""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
from typing import Any

from vrperception import __version__

# Modules that add a subcommand with ``register(subparsers)``, in help order.
COMMAND_MODULES = (
    "vrperception.cli.serve",
    "vrperception.cli.info",
    "vrperception.cli.hands",
    "vrperception.cli.objects",
    "vrperception.cli.voice",
    "vrperception.cli.gestures",
)

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vrperception",
        description="Offline perception server for VR and AR games, and clients for it.",
    )
    parser.add_argument("--version", action="version", version=f"vrperception {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name == name:
                continue
            raise
        module.register(subparsers)
    return parser


def add_address_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--address",
        default="127.0.0.1:50051",
        help="server address as HOST:PORT (default: 127.0.0.1:50051)",
    )


def print_json(message: Any, **extra: Any) -> None:
    """Print a protobuf message as one JSON line, with ``extra`` keys added."""
    from google.protobuf import json_format

    payload = json_format.MessageToDict(message, preserving_proto_field_name=True)
    payload.update(extra)
    print(json.dumps(payload), flush=True)


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level.upper(), format=LOG_FORMAT, stream=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "command_needs_logging", True):
        configure_logging(getattr(args, "log_level", "WARNING"))
    try:
        return int(args.handler(args) or 0)
    except BrokenPipeError:
        # The reader of our output went away (for example `| head`); stop quietly.
        sys.stdout = open(os.devnull, "w")
        return 0


if __name__ == "__main__":
    sys.exit(main())
