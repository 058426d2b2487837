"""`starling bench codec`: time the CCSDS/PUS codec against spacepackets and plain Python.

The workload and the timed modules are imported only when the benchmark runs, so that the
rest of the `starling` command starts quickly and does not load the codec.
"""

import argparse
import importlib
import json
import platform
import sys
import time
import warnings
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

__all__ = ["register", "run"]

# what the bench calls on a backend module directly
C_FUNCTIONS = ("split", "crc16", "packetize", "pus_tc_unpack", "pus_tm_pack")

DESCRIPTION = """\
Time the CCSDS/PUS codec on one deterministic workload (fixed seed) and compare it with the
spacepackets 0.28 library and with plain struct/binascii code. In one run it measures:

  split        split_packets() on a stream of mixed PUS TM/TC packets (8..256-octet payloads)
               vs spacepackets.parse_space_packets                           target >= 20x
  iterate      iterating the batch to per-packet memoryviews
               vs a struct loop that slices each packet out as bytes        target >= 1.5x
  headers      split to APID / sequence-count arrays
               vs parse_space_packets + SpacePacketHeader.unpack per packet  target >= 50x
  tc_unpack    PusTc.unpack per packet vs spacepackets PusTc.unpack          target >= 10x
  tm_pack      PusTm(...).pack() per packet vs spacepackets PusTm.pack       target >= 5x
  crc          crc16() over 1 MiB vs binascii.crc_hqx(data, 0xFFFF)          target >= 5x
  packetize    Packetizer.packetize() over 16 MiB, in GB/s                   target >= 1 GB/s

Columns: "API" is the public flight.ccsds API on the backend it chose (flight.ccsds.backend;
STARLING_CODEC=python forces the twin); "C" and "pure twin" call flight.ccsds.cbackend and
flight.ccsds.pure directly, which shows how much of the API's time is the codec itself. The
pure twin does a subset of the slow workloads and its time is scaled (marked *). Each figure
is the median of --repeat interleaved rounds; targets compare the API with the peer. Every
contender's result is checked before it is timed. The exit status is 0 whether or not the
targets are met; it is 1 when something that should run fails.
"""


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add `codec` to `starling bench`."""
    parser = subparsers.add_parser(
        "codec",
        help="time the CCSDS/PUS codec against spacepackets and struct/binascii",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--quick", action="store_true", help="a small workload, for smoke tests and CI"
    )
    parser.add_argument(
        "--repeat",
        type=_positive,
        metavar="N",
        help="timed rounds per measurement; the median is reported (default 5, quick 3)",
    )
    parser.add_argument("--seed", type=int, default=1, help="workload seed (default 1)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    parser.set_defaults(func=run)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _load_codec() -> tuple[ModuleType, ModuleType | None, str | None]:
    """Import the API and the C backend; say why the C backend is missing, if it is."""
    with warnings.catch_warnings():
        # the API warns when it falls back to the twin; the report says so itself
        warnings.simplefilter("ignore", RuntimeWarning)
        api = importlib.import_module("flight.ccsds")
    try:
        c = importlib.import_module("flight.ccsds.cbackend")
    except Exception as exc:  # a backend being written may fail in any way; report it
        return api, None, f"not available ({type(exc).__name__}: {exc}); C column skipped"
    missing = [name for name in C_FUNCTIONS if not hasattr(c, name)]
    if missing:
        return api, None, f"incomplete (no {', '.join(missing)}); C column skipped"
    return api, c, None


def run(args: argparse.Namespace) -> int:
    """Run the codec benchmark; return the exit status."""
    api, c, c_note = _load_codec()
    from tools.starling.bench import (  # noqa: PLC0415 - loaded only when the bench runs
        pus_cases,
        report,
        stream_cases,
        timing,
        workload,
    )

    pure = importlib.import_module("flight.ccsds.pure")
    sizes = workload.QUICK if args.quick else workload.STANDARD
    rounds = args.repeat or (3 if args.quick else 5)
    started = time.perf_counter()
    print(
        f"starling bench codec: API backend {api.backend}, peer spacepackets "
        f"{metadata.version('spacepackets')}, seed {args.seed}, {rounds} rounds, "
        f"{'quick' if args.quick else 'full'} workload",
        flush=True,
    )
    work = workload.build_workload(sizes, args.seed)
    cases = stream_cases.stream_cases(work, c, pure) + pus_cases.pus_cases(work, c, pure)
    min_sample = 0.002 if args.quick else 0.02
    results = []
    for case in cases:
        timings = timing.measure(case.contenders, rounds=rounds, min_sample=min_sample)
        results.append(report.result_of(case, timings))
    elapsed = time.perf_counter() - started
    print()
    print(report.render(results, api_backend=api.backend, c_note=c_note))
    print(f"\n{elapsed:.1f} s in all")
    if args.json is not None:
        figures = report.to_json(results, **_header(args, api.backend, c_note, rounds, elapsed))
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    failed = [r for r in results if r.status == "ERROR" or "peer" in r.errors]
    return 1 if failed or _c_broke(results, c) else 0


def _c_broke(results: list[Any], c: ModuleType | None) -> bool:
    """A built C backend that fails is an error; one not built yet is only a note."""
    return c is not None and any("c" in r.errors for r in results)


def _header(
    args: argparse.Namespace, backend: str, c_note: str | None, rounds: int, elapsed: float
) -> dict[str, Any]:
    return {
        "benchmark": "codec",
        "quick": args.quick,
        "seed": args.seed,
        "rounds": rounds,
        "api_backend": backend,
        "c_backend": {"available": c_note is None, "note": c_note},
        "peer": {"spacepackets": metadata.version("spacepackets")},
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "seconds_in_all": elapsed,
    }
