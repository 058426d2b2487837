"""Entry point of the `starling` command.

Each subcommand lives in its own module exposing `register(subparsers)`, which adds its parser
and sets `func` to the function that runs it and returns the exit status.
"""

import argparse
import sys
from collections.abc import Sequence

from tools.starling import bench, deploy, flight

SUBCOMMANDS = (bench, flight, deploy)


def build_parser() -> argparse.ArgumentParser:
    """Return the parser for the whole command line."""
    parser = argparse.ArgumentParser(
        prog="starling",
        description="Starling flight software: run, command, test and deploy payload apps.",
    )
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for module in SUBCOMMANDS:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    status: int = args.func(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
