"""Service 9: CUC time reports, their rate, and setting and correlating the mission time."""

import errno
import struct
from pathlib import Path

from spacepackets.ecss.pus_1_verification import Service1Tm, UnpackParams
from spacepackets.ecss.tc import PusTc

from flight.apps import TIME_STORE, build_flight
from flight.ccsds import CucTime
from flight.core import FailureCode, SimulatedClock, Store, load_mission

CORE = 100
EPOCH = 2_000_000_000.0  # the simulated clock's time stamp at its start


def _report_time(tm) -> float:  # type: ignore[no-untyped-def]
    """The mission time a 9,2 carries (after the rate exponent, a CUC with its P-field)."""
    assert (tm.service, tm.subservice) == (9, 2)
    assert tm.source_data[1] == 0x1E  # P-field: 0 001 11 10, CCSDS epoch, 4 coarse + 2 fine octets
    return CucTime.unpack(tm.source_data[1:], pfield=True).seconds


def _stamp(tm) -> float:  # type: ignore[no-untyped-def]
    return CucTime.unpack(tm.timestamp).seconds


def test_report_on_request_carries_the_onboard_time(bench) -> None:  # type: ignore[no-untyped-def]
    bench.run(1.25)
    tms = bench.tc(CORE, 9, 128)
    assert bench.kinds(tms) == [(1, 1), (1, 3), (9, 2), (1, 7)]
    report = tms[2]
    assert report.source_data[0] == 0xFF  # periodic reports are off by default
    assert _report_time(report) == EPOCH + 1.25 == _stamp(report)


def test_set_time_moves_every_time_stamp_and_survives_a_restart(bench) -> None:  # type: ignore[no-untyped-def]
    target = CucTime(1_700_000_000, 0x8000)
    tms = bench.tc(CORE, 9, 129, target.pack())
    assert (1, 7) in bench.kinds(tms)
    report = next(tm for tm in bench.tc(CORE, 9, 128) if tm.service == 9)
    assert _report_time(report) == 1_700_000_000.5
    bench.run(2.0)
    ping = next(tm for tm in bench.tc(CORE, 17, 1) if tm.service == 17)
    assert _stamp(ping) == 1_700_000_002.5  # telemetry time stamps follow the correlation
    restarted = build_flight(
        load_mission("open-bench"),
        data_dir=bench.flight.data_dir,
        links=(),
        clock=SimulatedClock(start=2.0, epoch=EPOCH + 2.0),  # the board clock ran on
    )
    try:
        assert restarted.time.timestamp() == 1_700_000_002.5
    finally:
        restarted.close()


def test_correlation_nudges_the_time_by_a_signed_fine_count(bench) -> None:  # type: ignore[no-untyped-def]
    back = struct.pack(">q", -3 * 65536 - 16384)  # -3.25 s
    assert (1, 7) in bench.kinds(bench.tc(CORE, 9, 130, back))
    report = next(tm for tm in bench.tc(CORE, 9, 128) if tm.service == 9)
    assert _report_time(report) == EPOCH - 3.25
    stored = Store(bench.flight.data_dir, TIME_STORE).load()
    assert stored == struct.pack(">q", -3 * 65536 - 16384)


def test_periodic_reports_follow_the_rate_exponent(bench) -> None:  # type: ignore[no-untyped-def]
    assert (1, 7) in bench.kinds(bench.tc(CORE, 9, 1, bytes([2])))  # every 2^2 s
    tms = [tm for tm in bench.run(16.05) if tm.service == 9]
    assert [_stamp(tm) - EPOCH for tm in tms] == [4.0, 8.0, 12.0, 16.0]
    assert {tm.source_data[0] for tm in tms} == {2}
    assert (1, 7) in bench.kinds(bench.tc(CORE, 9, 1, bytes([0xFF])))
    assert not [tm for tm in bench.run(10.0) if tm.service == 9]


def test_bad_requests_are_refused_at_acceptance(bench) -> None:  # type: ignore[no-untyped-def]
    (tm,) = bench.tc(CORE, 9, 1, bytes([17]))
    assert bench.failure_code(tm) == FailureCode.ARGUMENT_OUT_OF_RANGE
    (tm,) = bench.tc(CORE, 9, 129, b"\x00" * 5)
    assert bench.failure_code(tm) == FailureCode.BAD_LENGTH
    (tm,) = bench.tc(CORE, 9, 130, struct.pack(">q", -int(EPOCH + 1) * 65536))
    assert bench.failure_code(tm) == FailureCode.ARGUMENT_OUT_OF_RANGE  # before the epoch
    (tm,) = bench.tc(CORE, 9, 3)
    assert bench.failure_code(tm) == FailureCode.UNKNOWN_SERVICE
    assert bench.flight.time.offset == 0.0


def test_a_store_failure_fails_the_set_and_keeps_the_time(tmp_path: Path) -> None:
    def failing_fsync(fd: int) -> None:
        raise OSError(errno.EIO, "injected")

    clock = SimulatedClock()
    flight = build_flight(
        load_mission("open-bench"), data_dir=tmp_path, links=(), clock=clock, fsync=failing_fsync
    )
    sent: list[bytes] = []
    flight.downlink.add_sink(sent.append)
    try:
        flight.router.handle(PusTc(9, 129, apid=CORE, app_data=CucTime(5).pack()).pack())
        report = Service1Tm.unpack(sent[-1], UnpackParams(timestamp_len=6, bytes_err_code=2))
        assert report.subservice == 8
        assert report.error_code is not None
        assert report.error_code.val == FailureCode.PERSISTENCE_FAILED
        assert flight.time.timestamp() == EPOCH
    finally:
        flight.close()
