"""`starling flight`: run the flight software for a mission.

    starling flight [--mission NAME|FILE] [--data-dir DIR] [--link URL ...]

The default mission is `demo`. Each opened link is announced on stdout as
``starling flight: listening on udp:HOST:PORT`` (handy with ``--link udp:127.0.0.1:0``).
SIGTERM or SIGINT stops the flight cleanly with exit status 0; a bad mission or link gives 2.
Under systemd (``Type=notify``, ``WatchdogSec=``) it sends ``READY=1``, ``STATUS=`` and
``WATCHDOG=1`` while every app checks in (`flight.core.health`).
"""

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from flight.apps import build_flight
from flight.core import ConfigError, LinkError, SystemdNotifier, load_mission

__all__ = ["main", "register", "run"]

log = logging.getLogger("starling.flight")


def register(subparsers: Any) -> None:
    """Add the `flight` subcommand to `subparsers`."""
    parser = subparsers.add_parser(
        "flight",
        help="run the flight software",
        description="Run the flight software for a mission until SIGTERM or SIGINT.",
    )
    parser.add_argument(
        "--mission",
        default="demo",
        metavar="NAME|FILE",
        help="shipped mission name (demo, open-bench) or a mission TOML file (default: demo)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="where persistent state lives (default: the mission's data_dir)",
    )
    parser.add_argument(
        "--link",
        action="append",
        metavar="URL",
        dest="links",
        help="link URL, e.g. udp:127.0.0.1:10015; repeat for several (default: the mission's)",
    )
    parser.add_argument(
        "--log-level",
        default="INFO",
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        help="log verbosity on stderr (default: INFO)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Assemble and fly the mission; return the exit status."""
    logging.basicConfig(
        level=args.log_level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)-8s %(name)s: %(message)s",
    )
    try:
        mission = load_mission(args.mission)
        flight = build_flight(
            mission,
            data_dir=args.data_dir,
            links=args.links,
            notifier=SystemdNotifier.from_environ(),
        )
    except (ConfigError, LinkError) as exc:
        print(f"starling flight: {exc}", file=sys.stderr)
        return 2
    try:
        flight.executive.install_signal_handlers()
        for link in flight.links:
            print(f"starling flight: listening on {link.url}", flush=True)
        flight.fly()
    finally:
        flight.close()
    log.info("mission %s stopped cleanly", mission.name)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run `starling flight` on its own (``python -m tools.starling.flight ...``)."""
    parser = argparse.ArgumentParser(prog="starling")
    register(parser.add_subparsers(required=True))
    args = parser.parse_args(["flight", *(sys.argv[1:] if argv is None else argv)])
    status: int = args.func(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
