"""`starling dict`: the mission dictionary, generated from the apps' declarations.

    starling dict export --format json|xtce|md -o FILE [--mission NAME|FILE]

``-o -`` writes to stdout. Exit status 0 on success, 2 when the mission cannot be loaded or
its declarations do not make a consistent dictionary (duplicate IDs are listed).
"""

import argparse
import sys
from pathlib import Path
from typing import Any

from flight.core import ConfigError, load_mission
from flight.dictionary import DictionaryError, build_dictionary, to_json, to_markdown, to_xtce

__all__ = ["EXPORTERS", "main", "register", "run_export"]

EXPORTERS = {"json": to_json, "xtce": to_xtce, "md": to_markdown}


def register(subparsers: Any) -> None:
    """Add the `dict` subcommand to `subparsers`."""
    parser = subparsers.add_parser(
        "dict",
        help="export the mission dictionary (JSON, XTCE 1.2, Markdown)",
        description="The mission dictionary, collected from every app the mission runs.",
    )
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        help="write the dictionary as JSON, XTCE 1.2 or Markdown",
        description="Write the dictionary of a mission's apps: commands, housekeeping, "
        "events and parameters, with IDs, types, ranges and units.",
    )
    export.add_argument("--format", required=True, choices=sorted(EXPORTERS), dest="fmt")
    export.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="output file, - for stdout"
    )
    export.add_argument(
        "--mission",
        default="demo",
        metavar="NAME|FILE",
        help="shipped mission name or mission TOML file (default: demo)",
    )
    export.set_defaults(func=run_export)


def run_export(args: argparse.Namespace) -> int:
    """Build and write the dictionary; return the exit status."""
    try:
        dictionary = build_dictionary(load_mission(args.mission))
    except (ConfigError, DictionaryError) as exc:
        print(f"starling dict: {exc}", file=sys.stderr)
        return 2
    text = EXPORTERS[args.fmt](dictionary)
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    try:
        Path(args.output).write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"starling dict: cannot write {args.output}: {exc}", file=sys.stderr)
        return 2
    print(f"starling dict: wrote {args.fmt} dictionary of {dictionary.mission} to {args.output}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run `starling dict` on its own (``python -m tools.starling.dict ...``)."""
    parser = argparse.ArgumentParser(prog="starling")
    register(parser.add_subparsers(required=True))
    args = parser.parse_args(["dict", *(sys.argv[1:] if argv is None else argv)])
    status: int = args.func(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
