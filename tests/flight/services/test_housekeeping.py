"""Service 3: periodic housekeeping per structure ID, its control, and one-shot reports."""

import struct

from flight.apps.core.messages import CORE_HK
from flight.apps.sample.messages import SAMPLE_HK
from flight.core import FailureCode

CORE, SAMPLE = 100, 101


def _hk(tms: list, apid: int) -> list[bytes]:  # type: ignore[type-arg]
    return [tm.source_data for tm in tms if (tm.service, tm.subservice, tm.apid) == (3, 25, apid)]


def test_periodic_reports_follow_the_declared_interval(bench) -> None:  # type: ignore[no-untyped-def]
    tms = bench.run(60.0)
    assert len(_hk(tms, SAMPLE)) == 12  # every 5 s
    assert len(_hk(tms, CORE)) == 6  # every 10 s
    data = _hk(tms, SAMPLE)[-1]
    assert struct.unpack(">H", data[:2]) == (1,)
    values = SAMPLE_HK.unpack(data[2:])
    assert values["samples"] == 601
    assert values["threshold"] == 900


def test_disable_enable_and_change_interval(bench) -> None:  # type: ignore[no-untyped-def]
    assert bench.kinds(bench.tc(SAMPLE, 3, 6, struct.pack(">BH", 1, 1)))[-1] == (1, 7)
    assert _hk(bench.run(20.0), SAMPLE) == []
    bench.tc(SAMPLE, 3, 31, struct.pack(">BHI", 1, 1, 500))
    bench.tc(SAMPLE, 3, 5, struct.pack(">BH", 1, 1))
    assert len(_hk(bench.run(10.0), SAMPLE)) == 20


def test_one_shot_report_carries_counters_first(bench) -> None:  # type: ignore[no-untyped-def]
    bench.tc(CORE, 17, 1)
    tms = bench.tc(CORE, 3, 27, struct.pack(">BH", 1, 1))
    (data,) = _hk(tms, CORE)
    values = CORE_HK.unpack(data[2:])
    assert values["cmd_count"] == 1  # the ping; the one-shot counts once it completes
    assert values["tc_received"] == 2


def test_bad_requests_are_refused(bench) -> None:  # type: ignore[no-untyped-def]
    (tm,) = bench.tc(SAMPLE, 3, 5, struct.pack(">BH", 1, 7))
    assert bench.failure_code(tm) == FailureCode.UNKNOWN_STRUCTURE
    (tm,) = bench.tc(SAMPLE, 3, 31, struct.pack(">BHI", 1, 1, 10))
    assert bench.failure_code(tm) == FailureCode.ARGUMENT_OUT_OF_RANGE
    (tm,) = bench.tc(SAMPLE, 3, 27, struct.pack(">B", 1))
    assert bench.failure_code(tm) == FailureCode.BAD_LENGTH
