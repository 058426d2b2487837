"""`starling deploy`: build signed bundles and put them on boards (SSH fleet, SD-card images).

Subcommands: ``keygen``, ``build``, ``verify``, ``push``, ``status``, ``rollback``, ``trust``,
``image``. The work is done in `hil.deploy`; this module only maps arguments onto it. Fleet
commands exit 0 when every unit ended as asked, 1 when any did not, 2 on bad input.
"""

import argparse
import asyncio
import json
import shlex
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from hil.deploy import (
    DEFAULT_ENTRY,
    BuildSpec,
    DeployError,
    ProgressBoard,
    Unit,
    UnitResult,
    build_bundle,
    command_check,
    default_health,
    fleet,
    generate_keypair,
    load_inventory,
    load_private_key,
    parse_target,
    verify_bundle,
    write_unit_image,
)

__all__ = ["register"]

_ROOT = Path(__file__).resolve().parents[2]
Command = Callable[[argparse.Namespace], int]


def _keygen(args: argparse.Namespace) -> int:
    public = generate_keypair(args.output)
    print(f"private key {args.output} (0600), public key {public}")
    return 0


def _build(args: argparse.Namespace) -> int:
    spec = BuildSpec(
        project=args.project,
        mission=args.mission,
        version=args.version,
        wheels=args.wheel,
        with_deps=not args.no_deps,
        dictionary=args.dictionary,
        entry=shlex.split(args.entry) if args.entry else DEFAULT_ENTRY,
        include=args.include,
        ready=args.ready,
        watchdog_sec=args.watchdog_sec,
    )
    bundle = build_bundle(spec, load_private_key(args.key), args.output)
    print(bundle)
    return 0


def _verify(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        for index, key in enumerate(args.trusted_key):
            (Path(tmp) / f"{index}.pub").write_bytes(key.read_bytes())
        manifest = verify_bundle(args.bundle, Path(tmp))
    print(
        f"{args.bundle}: version {manifest['version']}, mission {manifest['mission']}, "
        f"{len(manifest['files'])} files, signed by key {manifest['key_id']}: OK"
    )
    return 0


def _units(args: argparse.Namespace) -> list[Unit]:
    if args.inventory is not None:
        units = load_inventory(args.inventory, args.unit or ())
    elif args.targets:
        template = Unit(serial="", host="", link=args.link or "udp:0.0.0.0:10015")
        units = [parse_target(target, template) for target in args.targets]
    else:
        raise DeployError("give TARGET... or --inventory FILE")
    overrides = {
        key: value
        for key, value in (
            ("ssh_key", args.ssh_key),
            ("known_hosts", args.known_hosts),
            ("prefix", args.prefix),
            ("python", args.python),
            ("service", args.service),
            ("link", args.link),
        )
        if value is not None
    }
    return [replace(unit, **overrides) for unit in units]


def _print_results(results: list[UnitResult], started: float) -> int:
    for result in results:
        where = f"{result.version} in slot {result.slot}" if result.slot else "-"
        print(
            f"{result.serial}: {result.outcome} [{where}] {result.seconds:.1f} s: {result.detail}"
        )
    ok = sum(result.ok for result in results)
    print(f"{ok}/{len(results)} units ok in {time.monotonic() - started:.1f} s")
    return 0 if ok == len(results) else 1


def _push(args: argparse.Namespace) -> int:
    units = _units(args)
    if args.health_command:
        health = command_check(shlex.split(args.health_command), args.health_timeout)
    elif args.health == "none":
        health = None
    else:
        health = default_health(args.health_timeout, require_housekeeping=not args.no_housekeeping)
    started = time.monotonic()
    results = asyncio.run(
        fleet.push(
            units,
            args.bundle,
            health=health,
            report=ProgressBoard([u.serial for u in units]),
            jobs=args.jobs,
            bwlimit=args.bwlimit,
            ready_timeout=args.ready_timeout,
        )
    )
    return _print_results(results, started)


def _status(args: argparse.Namespace) -> int:
    results = asyncio.run(fleet.status(_units(args)))
    for result in results:
        if not result.ok:
            print(f"{result.serial}: {result.detail}")
            continue
        info = json.loads(result.detail)
        slots = ", ".join(
            f"{name}{'*' if name == info['active'] else ''}={slot['version'] if slot else 'empty'}"
            for name, slot in sorted(info["slots"].items())
        )
        running = f"running (pid {info['launcher_pid']})" if info["launcher_pid"] else "stopped"
        print(f"{result.serial}: {slots}; {running}")
    return 0 if all(r.ok for r in results) else 1


def _rollback(args: argparse.Namespace) -> int:
    started = time.monotonic()
    return _print_results(asyncio.run(fleet.rollback(_units(args), args.ready_timeout)), started)


def _trust(args: argparse.Namespace) -> int:
    started = time.monotonic()
    results = asyncio.run(fleet.trust(_units(args), args.public_key, add=args.add))
    return _print_results(results, started)


def _image(args: argparse.Namespace) -> int:
    units = load_inventory(args.inventory, [args.unit])
    write_unit_image(
        args.base,
        args.output,
        unit=units[0],
        bundle=args.bundle,
        trusted_key=args.trusted_key,
        ssh_public_key=args.ssh_public_key,
    )
    print(args.output)
    return 0


def _targets(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("targets", nargs="*", metavar="TARGET", help="[user@]host[:port]")
    parser.add_argument("--inventory", type=Path, help="units.toml (see hil.deploy.inventory)")
    parser.add_argument("--unit", action="append", help="only this serial (repeatable)")
    parser.add_argument("--ssh-key", type=Path, help="SSH identity file")
    parser.add_argument("--known-hosts", type=Path, help="known_hosts file (strict checking)")
    parser.add_argument("--prefix", help="install prefix on the board (default /opt/starling)")
    parser.add_argument("--python", help="board interpreter (default python3)")
    parser.add_argument("--service", choices=["supervisor", "systemd"])
    parser.add_argument("--link", help="flight link URL on the board, e.g. udp:0.0.0.0:10015")
    parser.add_argument("--ready-timeout", type=float, default=30.0)


def _add_build(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    build = commands.add_parser("build", help="build and sign a bundle")
    build.add_argument("--key", type=Path, required=True, help="private signing key (0600)")
    build.add_argument("--mission", default="demo", help="shipped mission name or TOML file")
    build.add_argument("--version", help="version label (default: the wheel's version)")
    build.add_argument("--project", type=Path, default=_ROOT, help="source tree to build")
    build.add_argument(
        "--wheel",
        type=Path,
        action="append",
        default=[],
        help="prebuilt wheel or directory of wheels (skips pip wheel)",
    )
    build.add_argument("--no-deps", action="store_true", help="do not bundle dependency wheels")
    build.add_argument("--dictionary", type=Path, help="dictionary JSON (default: export it)")
    build.add_argument("--entry", help="flight command template (default: starling flight)")
    build.add_argument(
        "--include",
        type=Path,
        action="append",
        default=[],
        help="extra file placed under extra/ (repeatable)",
    )
    build.add_argument(
        "--ready",
        choices=["notify", "start"],
        default="notify",
        help="notify: wait for the app's READY=1 (default); start: ready once spawned",
    )
    build.add_argument(
        "--watchdog-sec",
        type=float,
        default=10.0,
        help="app heartbeat (WATCHDOG=1) period limit in seconds (default 10); 0: the app "
        "sends none and the launcher heartbeats for it",
    )
    build.add_argument("-o", "--output", type=Path, default=Path("dist"))
    build.set_defaults(func=_guard(_build))


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add `deploy` and its subcommands to the `starling` command line."""
    parser = subparsers.add_parser(
        "deploy",
        help="build signed bundles and deploy them to boards",
        description="Build signed bundles; deploy them over SSH with A/B slots and rollback; "
        "write per-unit SD-card images.",
    )
    commands = parser.add_subparsers(title="subcommands", metavar="SUBCOMMAND", required=True)

    keygen = commands.add_parser("keygen", help="create an Ed25519 signing key pair")
    keygen.add_argument("-o", "--output", type=Path, required=True, help="private key file")
    keygen.set_defaults(func=_guard(_keygen))

    _add_build(commands)

    verify = commands.add_parser("verify", help="verify a bundle as a board would")
    verify.add_argument("bundle", type=Path)
    verify.add_argument("--trusted-key", type=Path, action="append", required=True)
    verify.set_defaults(func=_guard(_verify))

    push = commands.add_parser("push", help="install a bundle on boards, health-check, roll back")
    _targets(push)
    push.add_argument("--bundle", type=Path, required=True)
    push.add_argument("--jobs", type=int, default=8, help="units deployed at once")
    push.add_argument("--bwlimit", type=int, default=0, help="upload bytes/s per unit")
    push.add_argument("--health", choices=["ping", "none"], default="ping")
    push.add_argument("--health-command", help="local program deciding health (exit 0)")
    push.add_argument("--health-timeout", type=float, default=15.0)
    push.add_argument(
        "--no-housekeeping",
        action="store_true",
        help="a ping reply is enough; do not wait for TM 3,25",
    )
    push.set_defaults(func=_guard(_push))

    for name, func, text in (
        ("status", _status, "show which version is in which slot"),
        ("rollback", _rollback, "switch back to the other slot"),
    ):
        sub = commands.add_parser(name, help=text)
        _targets(sub)
        sub.set_defaults(func=_guard(func))

    trust = commands.add_parser("trust", help="install the bundle public key on boards")
    _targets(trust)
    trust.add_argument("--public-key", type=Path, required=True)
    trust.add_argument("--add", action="store_true", help="add to already trusted keys")
    trust.set_defaults(func=_guard(_trust))

    image = commands.add_parser("image", help="write a per-unit SD-card image")
    image.add_argument("--base", type=Path, required=True, help="Raspberry Pi OS image")
    image.add_argument("--unit", required=True, help="serial number in the inventory")
    image.add_argument("--inventory", type=Path, required=True)
    image.add_argument("--bundle", type=Path, required=True)
    image.add_argument("--trusted-key", type=Path, required=True, help="bundle public key")
    image.add_argument("--ssh-public-key", type=Path, help="authorized key for the board")
    image.add_argument("-o", "--output", type=Path, required=True)
    image.set_defaults(func=_guard(_image))


def _guard(func: Command) -> Command:
    """Turn a `DeployError` into a message and exit status 2 instead of a traceback."""

    def run(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except DeployError as exc:
            print(f"starling deploy: {exc}", file=sys.stderr)
            return 2

    return run


def main(argv: Sequence[str] | None = None) -> int:
    """Run `starling deploy ...` on its own (the `starling` entry point is the usual way)."""
    parser = argparse.ArgumentParser(prog="starling")
    register(parser.add_subparsers(required=True))
    args = parser.parse_args(["deploy", *(argv if argv is not None else sys.argv[1:])])
    status: int = args.func(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
