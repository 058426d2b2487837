"""`starling ground`: command a flight, watch it, and work with the telemetry archive.

    starling ground [--mission M] [--link URL] [--timeout S] [--archive PATH | --no-archive] ...
        ping [APP]                       17,1 -> 17,2
        send APP.COMMAND [NAME=VALUE...] 8,1, encoded from the dictionary; waits for PUS 1
        watch [--once | --duration S]    live housekeeping table and events
        events [--duration S]            events as they arrive
        params get APP [NAME...] | params set APP NAME=VALUE...
        schedule add (--at T | --in S) APP.COMMAND [NAME=VALUE...] | list | delete REQID...
        time sync | time show            PUS 9: set the mission time to the ground's clock
        decode FILE [--format F] [--port N]
        archive query | export -o CSV | plot APP.ITEM -o PNG   [--apid --service --since ...]

Exit status: 0 success; 1 the flight reported a failure (the failure code's name is printed)
or did not answer in time; 2 a usage error, found before anything was sent.
Every telemetry packet any of these commands receives goes into the archive.
"""

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from hil.ground import commands as tc
from hil.ground.archive import Archive, Selection, default_archive_path
from hil.ground.capture import read_capture
from hil.ground.client import Outcome
from hil.ground.decode import Decoded, describe
from hil.ground.errors import CommandError, GroundError, ReplyTimeoutError
from hil.ground.plot import plot_series
from hil.ground.session import Session, load_dictionary, open_session, parse_time
from hil.ground.watch import WatchView

__all__ = ["main", "register", "run"]


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mission", default="demo", metavar="NAME|FILE")
    parser.add_argument(
        "--link",
        metavar="URL",
        help="override the mission's link: udp:HOST:PORT[?framing=cop1&...], "
        "serial:DEVICE[@BAUD] or tcp:HOST:PORT",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="where the mission's keys live: the flight's data directory (default: the mission's)",
    )
    parser.add_argument("--timeout", type=float, default=5.0, metavar="S")
    parser.add_argument("--archive", type=Path, metavar="PATH", default=None)
    parser.add_argument("--no-archive", action="store_true", help="archive nothing")
    parser.add_argument(
        "--linger",
        type=float,
        default=0.3,
        metavar="S",
        help="after a command completes, keep listening S seconds for the events it raised",
    )


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--apid", type=int)
    parser.add_argument("--service", type=int)
    parser.add_argument("--subtype", type=int)
    parser.add_argument(
        "--since", metavar="TIME", help="now, -10m (write --since=-10m), Unix seconds or ISO 8601"
    )
    parser.add_argument("--until", metavar="TIME")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--parameter", metavar="APP.ITEM", help="a housekeeping item")


def register(subparsers: Any) -> None:
    """Add the `ground` subcommand to `subparsers`."""
    parser = subparsers.add_parser(
        "ground",
        help="command and watch a flight; query the archive",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(parser)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("ping", help="are you alive (17,1)").add_argument("app", nargs="?")
    send = actions.add_parser("send", help="send APP.COMMAND NAME=VALUE ... (8,1)")
    send.add_argument("command")
    send.add_argument("assignments", nargs="*", metavar="NAME=VALUE")
    watch = actions.add_parser("watch", help="live housekeeping and events")
    watch.add_argument("--once", action="store_true", help="one report of each structure")
    watch.add_argument("--duration", type=float, metavar="S")
    watch.add_argument("--plain", action="store_true", help="lines instead of a live view")
    actions.add_parser("events", help="print events").add_argument("--duration", type=float)
    params = actions.add_parser("params", help="parameters (PUS 20)")
    verbs = params.add_subparsers(dest="verb", metavar="VERB", required=True)
    get = verbs.add_parser("get", help="report parameters (20,1 -> 20,2)")
    get.add_argument("app")
    get.add_argument("items", nargs="*", metavar="NAME")
    put = verbs.add_parser("set", help="set parameters (20,3)")
    put.add_argument("app")
    put.add_argument("items", nargs="+", metavar="NAME=VALUE")
    schedule = actions.add_parser("schedule", help="time-based schedule (PUS 11)")
    verbs = schedule.add_subparsers(dest="verb", metavar="VERB", required=True)
    add = verbs.add_parser("add", help="schedule APP.COMMAND (11,4)")
    when = add.add_mutually_exclusive_group(required=True)
    when.add_argument("--at", metavar="TIME", help="release time (ISO 8601, Unix seconds, +S)")
    when.add_argument("--in", dest="delay", type=float, metavar="S", help="release in S seconds")
    add.add_argument("command", metavar="APP.COMMAND")
    add.add_argument("assignments", nargs="*", metavar="NAME=VALUE")
    verbs.add_parser("list", help="the scheduled activities (11,16 -> 11,10)")
    delete = verbs.add_parser("delete", help="delete activities by request ID (11,5)")
    delete.add_argument("ids", nargs="+", metavar="REQID", help="8 hex digits")
    timing = actions.add_parser("time", help="mission time (PUS 9)")
    timing.add_argument("verb", choices=("sync", "show"))
    decode = actions.add_parser("decode", help="raw stream or pcap/pcapng -> packets")
    decode.add_argument("file", type=Path)
    decode.add_argument("--format", default="auto", choices=("auto", "raw", "pcap", "pcapng"))
    decode.add_argument("--port", type=int, help="only UDP datagrams to or from this port")
    archive = actions.add_parser("archive", help="query, export or plot archived telemetry")
    archive.add_argument("verb", choices=("query", "export", "plot"))
    archive.add_argument("item", nargs="?", metavar="APP.ITEM", help="for plot")
    archive.add_argument("-o", "--output", type=Path)
    _filters(archive)
    parser.set_defaults(func=run)


def _archive_path(args: argparse.Namespace) -> Path | None:
    if args.no_archive:
        return None
    return Path(args.archive) if args.archive is not None else default_archive_path()


def _print_outcome(session: Session, args: argparse.Namespace, outcome: Outcome) -> None:
    stages = ", ".join(r.name for r in outcome.reports)
    print(f"{outcome.request.label}: completed in {outcome.elapsed * 1000:.0f} ms ({stages})")
    # Events reach the downlink on the next service tick, after the completion report.
    later = session.client.collect(args.linger) if args.linger > 0 else []
    for decoded in [*outcome.replies, *later]:
        if decoded.kind == "event":
            print(f"  event {decoded.app}: {decoded.text}")


def _ping(session: Session, args: argparse.Namespace) -> int:
    app = tc.resolve_app(session.dictionary, args.app or session.dictionary.apps[0].name)
    outcome = session.client.execute(tc.ping_request(app), timeout=args.timeout, reply=(17, 2))
    print(f"pong from {app.name} (APID {app.apid}) in {outcome.elapsed * 1000:.1f} ms")
    return 0


def _send(session: Session, args: argparse.Namespace) -> int:
    request = tc.function_request(
        session.dictionary, args.command, tc.parse_assignments(args.assignments)
    )
    _print_outcome(session, args, session.client.execute(request, timeout=args.timeout))
    return 0


def _watch(session: Session, args: argparse.Namespace, *, events_only: bool = False) -> int:
    client = session.client
    plain = args.plain if not events_only else True
    view = WatchView(plain=plain or not sys.stdout.isatty())
    wanted = {(a.name, s.name) for a in session.dictionary.apps for s in a.structures}
    with view:
        client.listeners.append(_print_event if events_only else view.update)
        # The flight answers to the sender of the last telecommand: announce ourselves first.
        first = session.dictionary.apps[0]
        client.execute(tc.ping_request(first), timeout=args.timeout, reply=(17, 2))
        for app in session.dictionary.apps:
            if app.structures and not events_only:
                client.execute(tc.hk_report_request(app), timeout=args.timeout)
        if getattr(args, "once", False):
            client.collect(args.timeout, lambda _: wanted <= set(view.tables))
            missing = wanted - set(view.tables)
            if missing:
                raise ReplyTimeoutError(f"housekeeping of {sorted(missing)}", args.timeout)
        else:
            _run_for(session, args.duration)
    return 0


def _print_event(decoded: Decoded) -> None:
    if decoded.kind == "event":
        stamp = time.strftime("%H:%M:%S", time.gmtime(decoded.unix_time))
        print(f"{stamp} {decoded.app}: {decoded.text}", flush=True)


def _run_for(session: Session, duration: float | None) -> None:
    try:
        if duration is not None:
            session.client.collect(duration)
            return
        while True:
            session.client.collect(3600.0)
    except KeyboardInterrupt:
        return


def _params(session: Session, args: argparse.Namespace) -> int:
    app = tc.resolve_app(session.dictionary, args.app)
    if args.verb == "set":
        request = tc.params_set_request(app, tc.parse_assignments(args.items))
        _print_outcome(session, args, session.client.execute(request, timeout=args.timeout))
        return 0
    request = tc.params_get_request(app, args.items)
    reply = session.client.execute(request, timeout=args.timeout, reply=(20, 2)).reply(20, 2)
    assert reply is not None
    for name, value in reply.values.items():
        spec = app.parameter(name)
        unit = f" {spec.value.unit}" if spec and spec.value.unit else ""
        print(f"{app.name}.{name} = {value}{unit}")
    return 0


def _schedule(session: Session, args: argparse.Namespace) -> int:
    client, core = session.client, session.core_apid
    if args.verb == "add":
        inner = tc.function_request(
            session.dictionary, args.command, tc.parse_assignments(args.assignments)
        )
        release = parse_time(args.at) if args.at is not None else time.time() + args.delay
        packet = client.pack(inner)
        request = tc.schedule_insert_request(core, release, packet)
        client.execute(request, timeout=args.timeout)
        print(f"scheduled {inner.label} as request {packet[:4].hex()} at {release:.3f}")
        return 0
    if args.verb == "delete":
        try:
            ids = [bytes.fromhex(word) for word in args.ids]
        except ValueError as exc:
            raise CommandError(f"request IDs are hex: {exc}") from exc
        client.execute(tc.schedule_delete_request(core, ids), timeout=args.timeout)
        print(f"deleted {len(ids)} activities")
        return 0
    request = tc.schedule_report_request(core)
    reply = client.execute(request, timeout=args.timeout, reply=(11, 10)).reply(11, 10)
    assert reply is not None
    count = int(reply.values["count"])
    print(f"{count} scheduled activities")
    for index in range(count):
        print(f"  {reply.values[f'{index}.request_id']} at {reply.values[f'{index}.release']}")
    return 0


def _time(session: Session, args: argparse.Namespace) -> int:
    client, core = session.client, session.core_apid
    if args.verb == "sync":
        client.execute(tc.time_set_request(core, time.time()), timeout=args.timeout)
    reply = client.execute(tc.time_report_request(core), timeout=args.timeout, reply=(9, 2))
    report = reply.reply(9, 2)
    assert report is not None
    mission_time = float(report.values["time"])
    print(
        f"mission time {mission_time:.3f} (ground minus flight {time.time() - mission_time:+.3f} s)"
    )
    return 0


def _decode(args: argparse.Namespace) -> int:
    _, dictionary = load_dictionary(args.mission)
    packets = read_capture(args.file, args.format, args.port)
    for packet in packets:
        where = f"{packet.source} " if packet.source else ""
        print(f"{where}{describe(dictionary, packet.data)}")
    print(f"{len(packets)} packets", file=sys.stderr)
    return 0


def _selection(args: argparse.Namespace) -> Selection:
    since = parse_time(args.since) if args.since else None
    until = parse_time(args.until) if args.until else None
    return Selection(args.apid, args.service, args.subtype, since, until, args.limit)


def _archive(args: argparse.Namespace) -> int:
    path = _archive_path(args)
    if path is None or not path.exists():
        raise GroundError(f"no archive at {path}")
    archive, selection = Archive(path), _selection(args)
    try:
        item = args.item or args.parameter
        if args.verb == "plot":
            if not item or args.output is None:
                raise CommandError("archive plot needs APP.ITEM and -o FILE.png")
            app, _, name = item.partition(".")
            plot_series(archive.series(app, name, selection), item, args.output)
            print(f"plotted {item} to {args.output}")
            return 0
        out = sys.stdout if args.output is None else args.output.open("w", newline="")
        try:
            if item and args.verb == "export":
                app, _, name = item.partition(".")
                count = archive.export_series_csv(out, app, name, selection)
            elif args.verb == "export":
                count = archive.export_csv(out, selection)
            elif item:
                app, _, name = item.partition(".")
                rows = archive.series(app, name, selection)
                for stamp, value in rows:
                    print(f"{stamp:.3f} {item} = {value:g}", file=out)
                count = len(rows)
            else:
                rows_tm = archive.query(selection)
                for row in rows_tm:
                    print(
                        f"{row.time:.3f} {row.app} {row.service},{row.subtype} {row.summary}",
                        file=out,
                    )
                count = len(rows_tm)
        finally:
            if out is not sys.stdout:
                out.close()
        print(f"{count} rows", file=sys.stderr)
        return 0
    finally:
        archive.close()


_LINKED = {"ping": _ping, "send": _send, "params": _params, "schedule": _schedule, "time": _time}


def run(args: argparse.Namespace) -> int:
    """Run one `starling ground` action; return the exit status."""
    session: Session | None = None
    try:
        if args.action == "decode":
            return _decode(args)
        if args.action == "archive":
            return _archive(args)
        session = open_session(
            args.mission,
            link_url=args.link,
            archive_path=_archive_path(args),
            data_dir=args.data_dir,
        )
        if args.action == "watch":
            return _watch(session, args)
        if args.action == "events":
            return _watch(session, args, events_only=True)
        return _LINKED[args.action](session, args)
    except GroundError as exc:
        # Refusals found on the ground are usage errors; what the flight said is a failure.
        status = 2 if isinstance(exc, CommandError) else 1
        print(f"starling ground: {exc}", file=sys.stderr)
        return status
    finally:
        if session is not None:
            session.close()


def main(argv: list[str] | None = None) -> int:
    """Run `starling ground` on its own (``python -m tools.starling.ground ...``)."""
    parser = argparse.ArgumentParser(prog="starling")
    register(parser.add_subparsers(required=True))
    args = parser.parse_args(["ground", *(sys.argv[1:] if argv is None else argv)])
    status: int = args.func(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
