"""Service 20: parameter report and set; sets are range-checked, stored, then applied."""

import errno
import json
import struct
from pathlib import Path

from spacepackets.ecss.pus_1_verification import Service1Tm, UnpackParams
from spacepackets.ecss.tc import PusTc

from flight.apps import PARAMETER_STORE, build_flight
from flight.core import FailureCode, SimulatedClock, Store, load_mission

SAMPLE = 101
PAYLOAD = 102


def test_report_and_set_round_trip(bench) -> None:  # type: ignore[no-untyped-def]
    tms = bench.tc(SAMPLE, 20, 1, struct.pack(">BH", 1, 1))
    report = next(tm for tm in tms if tm.service == 20)
    assert report.subservice == 2
    assert report.source_data == struct.pack(">BHH", 1, 1, 900)
    tms = bench.tc(SAMPLE, 20, 3, struct.pack(">BHH", 1, 1, 250))
    assert bench.kinds(tms) == [(1, 1), (1, 3), (1, 7)]
    assert bench.flight.apps["sample"].param("threshold") == 250
    stored = Store(bench.flight.data_dir, PARAMETER_STORE).load()
    assert stored is not None
    assert json.loads(stored)["sample"] == {"threshold": 250}


def test_out_of_range_or_unknown_parameter_is_refused_and_nothing_changes(bench) -> None:  # type: ignore[no-untyped-def]
    (tm,) = bench.tc(SAMPLE, 20, 3, struct.pack(">BHH", 1, 1, 1001))
    assert bench.failure_code(tm) == FailureCode.ARGUMENT_OUT_OF_RANGE
    (tm,) = bench.tc(SAMPLE, 20, 3, struct.pack(">BHH", 1, 9, 5))
    assert bench.failure_code(tm) == FailureCode.UNKNOWN_PARAMETER
    (tm,) = bench.tc(SAMPLE, 20, 3, struct.pack(">BH", 1, 1))
    assert bench.failure_code(tm) == FailureCode.BAD_LENGTH
    (tm,) = bench.tc(SAMPLE, 20, 1, struct.pack(">BH", 2, 1))
    assert bench.failure_code(tm) == FailureCode.BAD_LENGTH
    assert bench.flight.apps["sample"].param("threshold") == 900
    assert Store(bench.flight.data_dir, PARAMETER_STORE).load() is None


def test_a_float32_parameter_takes_its_declared_limits(bench) -> None:  # type: ignore[no-untyped-def]
    """3.2 is no float32: the wire carries 3.2000000477, which must still count as the
    declared maximum 3.2 (the bounds are compared as the wire carries them)."""
    rail_current_max = 7  # payload, declared 0.0..3.2 A
    tms = bench.tc(PAYLOAD, 20, 3, struct.pack(">BHf", 1, rail_current_max, 3.2))
    assert bench.kinds(tms) == [(1, 1), (1, 3), (1, 7)]
    assert (
        bench.flight.apps["payload"].param("rail_current_max_a")
        == struct.unpack(">f", struct.pack(">f", 3.2))[0]
    )
    (tm,) = bench.tc(PAYLOAD, 20, 3, struct.pack(">BHf", 1, rail_current_max, 3.2001))
    assert bench.failure_code(tm) == FailureCode.ARGUMENT_OUT_OF_RANGE


def test_values_survive_a_restart(tmp_path: Path) -> None:
    def boot() -> object:
        return build_flight(
            load_mission("open-bench"), data_dir=tmp_path, links=(), clock=SimulatedClock()
        )

    first = boot()
    first.router.handle(_set(321))  # type: ignore[attr-defined]
    first.close()  # type: ignore[attr-defined]
    second = boot()
    assert second.apps["sample"].param("threshold") == 321  # type: ignore[attr-defined]
    second.close()  # type: ignore[attr-defined]


def _set(value: int) -> bytes:
    return PusTc(20, 3, apid=SAMPLE, app_data=struct.pack(">BHH", 1, 1, value)).pack()


def test_store_failure_fails_the_set_and_keeps_the_old_value(tmp_path: Path) -> None:
    def failing_fsync(fd: int) -> None:
        raise OSError(errno.EIO, "injected")

    flight = build_flight(
        load_mission("open-bench"),
        data_dir=tmp_path,
        links=(),
        clock=SimulatedClock(),
        fsync=failing_fsync,
    )
    sent: list[bytes] = []
    flight.downlink.add_sink(sent.append)
    flight.executive.start()
    flight.router.handle(_set(42))
    reports = [Service1Tm.unpack(p, UnpackParams(6, 1, 2)) for p in sent]
    assert [r.subservice for r in reports] == [1, 3, 8]
    assert reports[-1].error_code is not None
    assert reports[-1].error_code.val == FailureCode.PERSISTENCE_FAILED
    assert flight.apps["sample"].param("threshold") == 900
    assert flight.executive.is_available(flight.apps["sample"])  # a store failure is no crash
    flight.close()
