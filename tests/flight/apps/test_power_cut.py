"""kill -9 during continuous parameter sets never leaves a state but the old or the new value.

Runs 200 iterations by default (about a minute); for the long run:

    STARLING_KILL_ITERATIONS=10000 .venv/bin/python -m pytest -m slow \\
        tests/flight/apps/test_power_cut.py
"""

import json
import os
import random
import signal
import struct
import time
from pathlib import Path

import pytest

from flight.apps import PARAMETER_STORE
from flight.core import Store

SAMPLE = 101
ITERATIONS = int(os.environ.get("STARLING_KILL_ITERATIONS", "200"))


def _stored(data_dir: Path) -> int | None:
    payload = Store(data_dir, PARAMETER_STORE).load()
    return None if payload is None else int(json.loads(payload)["sample"]["threshold"])


def _done(tms: list) -> bool:  # type: ignore[type-arg]
    return any(tm.service == 1 and tm.subservice in {7, 8, 2} for tm in tms)


@pytest.mark.slow
def test_kill_9_during_parameter_sets_leaves_old_or_new(tmp_path: Path, launch) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(20260521)
    data_dir = tmp_path / "data"
    committed: int | None = None  # the value last acknowledged with 1,7
    value = 900
    for iteration in range(ITERATIONS):
        print(f"\riteration {iteration}", end="", flush=True)  # progress for the long run (-s)
        flight = launch(
            data_dir,
            *("--mission", "open-bench", "--link", "udp:127.0.0.1:0", "--log-level", "ERROR"),
            direct=True,  # the same command without the other subcommands' imports
        )
        # Boot took the newest valid copy: the flight reports what the store holds.
        flight.tc(SAMPLE, 20, 1, struct.pack(">BH", 1, 1))
        # Wait for the report's 1,7 too, so it cannot pass for a later set's completion.
        tms = flight.receive_until(_done)
        report = next(t for t in tms if t.service == 20)
        assert report.source_data == struct.pack(">BHH", 1, 1, committed or 900), iteration
        for _ in range(rng.randrange(3)):
            value = value % 1000 + 1
            flight.tc(SAMPLE, 20, 3, struct.pack(">BHH", 1, 1, value))
            tms = flight.receive_until(_done)
            assert (1, 7) in [(t.service, t.subservice) for t in tms]
            committed = value
            assert _stored(data_dir) == committed, (iteration, "acked but not stored", value)
        in_flight = value % 1000 + 1
        flight.tc(SAMPLE, 20, 3, struct.pack(">BHH", 1, 1, in_flight))
        time.sleep(rng.uniform(0.0, 0.004))
        flight.process.send_signal(signal.SIGKILL)
        flight.process.wait(5)
        flight.release()  # thousands of iterations must not run out of descriptors
        stored = _stored(data_dir)
        assert stored in {committed, in_flight}, (iteration, stored, committed, in_flight)
        if stored == in_flight:
            committed = value = in_flight
