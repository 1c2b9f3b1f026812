"""`vrperception serve`: run the server until SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys

logger = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("serve", help="run the perception server")
    parser.add_argument("--host", help="interface to bind (default 127.0.0.1; 0.0.0.0 exposes it to the network)")
    parser.add_argument("--port", type=int, help="TCP port (default 50051; 0 picks a free port)")
    parser.add_argument("--workers", type=int, help="model worker threads (default 0: one per CPU core)")
    parser.add_argument("--log-level", dest="log_level", default=None, help="DEBUG, INFO, WARNING or ERROR (default INFO)")
    parser.add_argument("--config", help="YAML config file; flags override its values")
    parser.set_defaults(handler=run, command_needs_logging=False)


def run(args: argparse.Namespace) -> int:
    # Native libraries read this when they load, so set it before importing models.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from vrperception.cli.main import configure_logging
    from vrperception.config import ConfigError, load_config
    from vrperception.server import serve

    try:
        config = load_config(args.config, host=args.host, port=args.port, workers=args.workers, log_level=args.log_level)
    except ConfigError as error:
        print(f"vrperception serve: {error}", file=sys.stderr)
        return 2
    configure_logging(config.log_level)

    def announce(port: int) -> None:
        # Scripts and tests read this line to find a port chosen with --port 0.
        print(f"vrperception serving on {config.host}:{port}", flush=True)

    from vrperception.errors import PerceptionError

    try:
        asyncio.run(serve(config, on_ready=announce))
    except (OSError, RuntimeError, PerceptionError, ConfigError) as error:
        # grpcio raises RuntimeError when the port is taken; model loaders
        # raise PerceptionError for a missing or invalid model file.
        logger.error("server failed to start: %s", error)
        return 1
    return 0
