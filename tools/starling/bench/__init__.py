"""`starling bench`: measure Starling against its peers and its targets.

Each benchmark is a module exposing `register(subparsers)`; `codec` times the CCSDS/PUS codec,
`flight` measures a running flight process over UDP loopback.
"""

import argparse

from tools.starling.bench import codec, flight

__all__ = ["register"]

BENCHMARKS = (codec, flight)


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add `bench` and its benchmarks to the `starling` command line."""
    parser = subparsers.add_parser(
        "bench",
        help="measure performance against peers and targets",
        description="Measure Starling's performance against its peers and its targets. "
        "Every benchmark prints a table and exits 0 when it ran, targets met or not.",
    )
    benchmarks = parser.add_subparsers(title="benchmarks", metavar="BENCHMARK", required=True)
    for module in BENCHMARKS:
        module.register(benchmarks)
