"""Entry point of the `starling` command.

Each subcommand lives in its own module exposing `register(subparsers)`, which adds its parser
and sets `func` to the function that runs it and returns the exit status. Only the module of
the subcommand being run is imported, so `starling flight` does not pay for the ground and
deploy tooling in start-up time and memory.
"""

import argparse
import importlib
import sys
from collections.abc import Sequence

SUBCOMMANDS = {
    "flight": "tools.starling.flight",
    "bench": "tools.starling.bench",
    "ground": "tools.starling.ground",
    "dict": "tools.starling.dict",
    "hil": "tools.starling.hil",
    "deploy": "tools.starling.deploy",
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Return the parser for the command line; with `only`, register just that subcommand."""
    parser = argparse.ArgumentParser(
        prog="starling",
        description="Starling flight software: run, command, test and deploy payload apps.",
    )
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for name, module in SUBCOMMANDS.items():
        if only is None or name == only:
            importlib.import_module(module).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    only = args_list[0] if args_list and args_list[0] in SUBCOMMANDS else None
    args = build_parser(only).parse_args(args_list)
    status: int = args.func(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
