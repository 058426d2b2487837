"""`starling hil`: the acceptance suite against one unit or a factory line of them.

    starling hil run --dut DUT [--mission NAME|FILE] [--serial SN] [--junit DIR] [--out DIR]
    starling hil run --inventory units.toml [-j N] [--junit DIR] [--out DIR]
    starling hil replay ARCHIVE [--session N] [--mission NAME|FILE]

``run`` writes one JUnit file per unit into DIR (``<serial>.xml``) and ``summary.md`` with
plots into the output directory; exit status 0 when every unit passed, 1 when any failed,
2 for a bad inventory or ``--dut``. ``replay`` sends a recorded session's telecommands to a
fresh simulated unit with their original spacing and compares the verification outcomes:
0 when they match, 1 when they differ (the differences are printed), 2 when it cannot.
``-k EXPR`` passes a test selection to pytest.
"""

import argparse
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["main", "register", "replay", "run"]


def register(subparsers: Any) -> None:
    """Add the `hil` subcommand to `subparsers`."""
    parser = subparsers.add_parser(
        "hil",
        help="run the HIL acceptance suite (one unit, or many in parallel)",
        description="The acceptance suite against simulated units, bench boards or a line.",
    )
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    run_parser = actions.add_parser("run", help="run the acceptance suite")
    which = run_parser.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--dut",
        help="sim, pty, udp:HOST:PORT or serial:DEVICE[@BAUD], each real unit's URL with its "
        "?framing=cop1&... options if it flies transfer frames; a sim unit frames its link "
        "when its --mission does (radio)",
    )
    which.add_argument("--inventory", type=Path, metavar="FILE", help="units.toml")
    run_parser.add_argument(
        "--mission",
        default=None,
        metavar="NAME|FILE",
        help="the mission (--dut only; default demo, authenticated)",
    )
    run_parser.add_argument("--serial", default=None, help="serial number (--dut only)")
    run_parser.add_argument("-j", "--jobs", type=int, default=1, help="units at once")
    run_parser.add_argument(
        "--junit",
        type=Path,
        default=None,
        metavar="DIR",
        help="JUnit XML directory (default: OUT/junit)",
    )
    run_parser.add_argument(
        "--out",
        type=Path,
        default=Path("hil-run"),
        metavar="DIR",
        help="rig directories and summary (default: ./hil-run)",
    )
    run_parser.add_argument(
        "-k",
        dest="select",
        default=None,
        metavar="EXPR",
        help="only the tests pytest -k EXPR selects",
    )
    run_parser.add_argument(
        "--timeout", type=float, default=600.0, help="seconds per unit (default 600)"
    )
    run_parser.set_defaults(func=run)
    replay_parser = actions.add_parser("replay", help="replay a recorded session on the sim")
    replay_parser.add_argument("archive", type=Path, metavar="ARCHIVE")
    replay_parser.add_argument(
        "--session",
        type=int,
        default=None,
        help="session ID (default: the last with a failure, else last)",
    )
    replay_parser.add_argument(
        "--mission", default=None, metavar="NAME|FILE", help="override the recorded mission"
    )
    replay_parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="the replay unit's directory (default: a temporary one)",
    )
    replay_parser.set_defaults(func=replay)


def _toml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run(args: argparse.Namespace) -> int:
    """Run the suite; return 0 (all passed), 1 (a unit failed) or 2 (bad input)."""
    from hil.rig import RigError, load_inventory, parse_dut  # noqa: PLC0415 -- lazy CLI
    from hil.rig.factory import run_units  # noqa: PLC0415
    from hil.rig.report import write_summary  # noqa: PLC0415
    from hil.rig.units import DEFAULT_MISSION  # noqa: PLC0415

    out: Path = args.out.resolve()
    junit: Path = (args.junit or out / "junit").resolve()
    try:
        if args.inventory is not None:
            inventory = args.inventory.resolve()
            units = load_inventory(inventory)
        else:
            unit = parse_dut(args.dut, mission=args.mission or DEFAULT_MISSION, serial=args.serial)
            out.mkdir(parents=True, exist_ok=True)
            inventory = out / "units.toml"
            mission = unit.mission
            if mission.endswith(".toml"):
                mission = str(Path(mission).resolve())
            inventory.write_text(
                f"[[unit]]\nserial = {_toml_text(unit.serial)}\ndut = {_toml_text(unit.text)}\n"
                f"mission = {_toml_text(mission)}\n"
            )
            units = load_inventory(inventory)
    except RigError as exc:
        print(f"starling hil: {exc}", file=sys.stderr)
        return 2
    extra = ["-k", args.select] if args.select else []
    started = time.monotonic()
    print(f"starling hil: {len(units)} unit(s), {args.jobs} at a time", flush=True)
    results = run_units(
        units, inventory, out, junit, jobs=args.jobs, extra=extra, timeout=args.timeout
    )
    wall = time.monotonic() - started
    summary = write_summary(results, out, wall=wall)
    for r in results:
        verdict = "PASS" if r.passed else "FAIL"
        print(
            f"{verdict} {r.unit.serial:<16} {r.tests:>3} tests {r.failures} failed "
            f"{r.errors} errors {r.skipped} skipped {r.duration:6.1f} s"
        )
        for problem in r.problems:
            print(f"     {problem}")
    failed = sum(not r.passed for r in results)
    print(
        f"starling hil: {len(results) - failed} passed, {failed} failed in {wall:.1f} s; "
        f"JUnit in {junit}, summary {summary}"
    )
    return 1 if failed else 0


def replay(args: argparse.Namespace) -> int:
    """Replay a recorded session; return 0 (same outcomes), 1 (different) or 2 (cannot)."""
    from hil.rig import RigError  # noqa: PLC0415 -- lazy CLI
    from hil.rig.replay import replay_session  # noqa: PLC0415

    try:
        report = replay_session(
            args.archive, session=args.session, mission=args.mission, workdir=args.out
        )
    except RigError as exc:
        print(f"starling hil replay: {exc}", file=sys.stderr)
        return 2
    print(report.text())
    return 0 if report.same else 1


def main(argv: list[str] | None = None) -> int:
    """Run `starling hil` on its own (``python -m tools.starling.hil ...``)."""
    parser = argparse.ArgumentParser(prog="starling")
    register(parser.add_subparsers(required=True))
    args = parser.parse_args(["hil", *(sys.argv[1:] if argv is None else argv)])
    status: int = args.func(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
