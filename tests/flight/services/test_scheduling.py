"""Service 11: time-tagged telecommands inserted, listed, deleted, stored and released on time."""

import dataclasses
import errno
import os
import struct
from pathlib import Path

from spacepackets.ecss.pus_1_verification import Service1Tm, UnpackParams
from spacepackets.ecss.tc import PusTc
from spacepackets.ecss.tm import PusTm

from flight.apps import SCHEDULE_STORE, Flight, build_flight
from flight.apps.core.events import SCHEDULED_DROPPED
from flight.ccsds import CucTime
from flight.core import FailureCode, SimulatedClock, Store, load_mission
from flight.services import (
    ARM_AHEAD_S,
    Activity,
    StoredSchedule,
    decode_schedule,
    encode_schedule,
)

CORE, SAMPLE = 100, 101
EPOCH = 2_000_000_000  # the simulated clock's time stamp at its start
VERIFICATION = UnpackParams(timestamp_len=6, bytes_err_code=2)


def _at(seconds: float) -> bytes:
    """CUC 4+2 of `seconds` after the simulated epoch."""
    return CucTime.from_seconds(EPOCH + seconds).pack()


def _insert(*entries: tuple[float, bytes]) -> bytes:
    return bytes([len(entries)]) + b"".join(_at(t) + packet for t, packet in entries)


def _ping(seq: int, apid: int = CORE) -> bytes:
    return PusTc(17, 1, apid=apid, seq_count=seq).pack()


def _stamp(tm) -> float:  # type: ignore[no-untyped-def]
    return CucTime.unpack(tm.timestamp).seconds - EPOCH


def _req(tm) -> bytes:  # type: ignore[no-untyped-def]
    return struct.pack(">I", Service1Tm.unpack(tm.pack(), VERIFICATION).tc_req_id.as_u32())


def test_inserted_ping_is_released_at_the_first_tick_at_or_after_its_time(bench) -> None:  # type: ignore[no-untyped-def]
    early, late = _ping(1000), _ping(1001)
    tms = bench.tc(CORE, 11, 4, _insert((5.0, early), (7.05, late)))
    assert bench.kinds(tms) == [(1, 1), (1, 3), (1, 7)]
    assert not [tm for tm in bench.run(4.95) if tm.service == 17]
    released = bench.run(3.0)
    pings = [tm for tm in released if tm.service == 17]
    reports = [tm for tm in released if tm.service == 1]
    # Exactly on the fastest (50 Hz) grid: 5.0 is a tick, 7.05 waits for the 7.06 tick.
    assert [_stamp(tm) for tm in pings] == [
        5.0,
        CucTime.from_seconds(EPOCH + 7.06).seconds - EPOCH,
    ]
    assert [(tm.subservice, _req(tm)) for tm in reports] == [
        (1, early[:4]),
        (3, early[:4]),
        (7, early[:4]),
        (1, late[:4]),
        (3, late[:4]),
        (7, late[:4]),
    ]
    assert bench.flight.schedule.activities == []
    assert bench.flight.schedule.released == 2


def test_a_released_command_gets_its_own_failure_report(bench) -> None:  # type: ignore[no-untyped-def]
    bad_gain = PusTc(8, 1, apid=SAMPLE, app_data=struct.pack(">HB", 2, 0), seq_count=9).pack()
    assert (1, 7) in bench.kinds(bench.tc(CORE, 11, 4, _insert((1.0, bad_gain))))
    (failure,) = [tm for tm in bench.run(1.5) if tm.service == 1]
    assert (failure.apid, failure.subservice, _req(failure)) == (SAMPLE, 2, bad_gain[:4])
    assert bench.failure_code(failure) == FailureCode.ARGUMENT_OUT_OF_RANGE


def test_summary_and_detail_reports_list_activities_in_release_order(bench) -> None:  # type: ignore[no-untyped-def]
    first, second = _ping(11), _ping(12, SAMPLE)
    bench.tc(CORE, 11, 4, _insert((30.0, second), (20.0, first)))
    summary = next(tm for tm in bench.tc(CORE, 11, 17) if tm.service == 11)
    assert summary.subservice == 13
    assert summary.source_data == b"\x00\x02" + _at(20) + first[:4] + _at(30) + second[:4]
    detail = next(tm for tm in bench.tc(CORE, 11, 16) if tm.service == 11)
    assert detail.subservice == 10
    assert detail.source_data == b"\x00\x02" + _at(20) + first + _at(30) + second


def test_delete_by_request_id_and_reset(bench) -> None:  # type: ignore[no-untyped-def]
    a, b, c = _ping(21), _ping(22), _ping(23)
    bench.tc(CORE, 11, 4, _insert((10.0, a), (11.0, b), (12.0, c)))
    assert (1, 7) in bench.kinds(bench.tc(CORE, 11, 5, b"\x01" + b[:4]))
    assert [x.packet for x in bench.flight.schedule.activities] == [a, c]
    (tm,) = bench.tc(CORE, 11, 5, b"\x02" + a[:4] + b[:4])  # b is gone: nothing is deleted
    assert bench.failure_code(tm) == FailureCode.UNKNOWN_REQUEST
    assert len(bench.flight.schedule.activities) == 2
    assert (1, 7) in bench.kinds(bench.tc(CORE, 11, 3))
    assert bench.flight.schedule.activities == []
    assert not [tm for tm in bench.run(15.0) if tm.service == 17]


def test_disabled_release_holds_activities_until_enabled(bench) -> None:  # type: ignore[no-untyped-def]
    bench.tc(CORE, 11, 4, _insert((1.0, _ping(31))))
    assert (1, 7) in bench.kinds(bench.tc(CORE, 11, 2))
    assert not [tm for tm in bench.run(3.0) if tm.service == 17]
    bench.tc(CORE, 11, 1)
    (ping,) = [tm for tm in bench.run(0.15) if tm.service == 17]
    # released on the first 50 Hz schedule tick after re-enabling at 3.0 s
    assert _stamp(ping) == CucTime.from_seconds(EPOCH + 3.02).seconds - EPOCH


def test_bad_inserts_are_refused_whole(bench) -> None:  # type: ignore[no-untyped-def]
    bench.run(2.0)
    good = _ping(41)
    (tm,) = bench.tc(CORE, 11, 4, _insert((5.0, good), (1.0, _ping(42))))
    assert bench.failure_code(tm) == FailureCode.RELEASE_TIME_PASSED
    corrupt = bytearray(_ping(43))
    corrupt[-1] ^= 1
    (tm,) = bench.tc(CORE, 11, 4, _insert((5.0, good), (6.0, bytes(corrupt))))
    assert bench.failure_code(tm) == FailureCode.MALFORMED_PACKET
    (tm,) = bench.tc(CORE, 11, 4, _insert((5.0, good), (6.0, good)))
    assert bench.failure_code(tm) == FailureCode.DUPLICATE_REQUEST
    (tm,) = bench.tc(CORE, 11, 4, _insert((5.0, good))[:-3])
    assert bench.failure_code(tm) == FailureCode.BAD_LENGTH
    assert bench.flight.schedule.activities == []
    assert Store(bench.flight.data_dir, SCHEDULE_STORE).load() is None


def test_a_full_schedule_refuses_with_schedule_full(tmp_path: Path) -> None:
    mission = dataclasses.replace(load_mission("open-bench"), schedule_capacity=2)
    flight = build_flight(mission, data_dir=tmp_path, links=(), clock=SimulatedClock())
    sent: list[bytes] = []
    flight.downlink.add_sink(sent.append)
    try:
        flight.router.handle(PusTc(11, 4, apid=CORE, app_data=_insert((9.0, _ping(51)))).pack())
        three = _insert((9.0, _ping(52)), (9.0, _ping(53)))
        flight.router.handle(PusTc(11, 4, apid=CORE, app_data=three, seq_count=1).pack())
        report = Service1Tm.unpack(sent[-1], VERIFICATION)
        assert report.subservice == 2
        assert report.error_code is not None
        assert report.error_code.val == FailureCode.SCHEDULE_FULL
        assert len(flight.schedule.activities) == 1
    finally:
        flight.close()


def test_the_schedule_survives_a_restart_and_a_failed_store_changes_nothing(
    tmp_path: Path,
) -> None:
    fail = False

    def fsync(fd: int) -> None:
        if fail:
            raise OSError(errno.EIO, "injected")

    def boot(start: float) -> object:
        clock = SimulatedClock(start=start, epoch=EPOCH + start)
        return build_flight(
            load_mission("open-bench"), data_dir=tmp_path, links=(), clock=clock, fsync=fsync
        )

    first = boot(0.0)
    ping = _ping(61)
    first.router.handle(PusTc(11, 4, apid=CORE, app_data=_insert((60.0, ping))).pack())  # type: ignore[attr-defined]
    first.close()  # type: ignore[attr-defined]
    second = boot(30.0)  # the board rebooted half a minute later
    sent: list[bytes] = []
    second.downlink.add_sink(sent.append)  # type: ignore[attr-defined]
    assert [a.packet for a in second.schedule.activities] == [ping]  # type: ignore[attr-defined]
    fail = True
    second.router.handle(PusTc(11, 3, apid=CORE).pack())  # type: ignore[attr-defined]
    assert Service1Tm.unpack(sent[-1], VERIFICATION).subservice == 8
    assert [a.packet for a in second.schedule.activities] == [ping]  # type: ignore[attr-defined]
    second.executive.start()  # type: ignore[attr-defined]
    second.run(31.0)  # type: ignore[attr-defined]
    assert [a.packet for a in second.schedule.activities] == [ping]  # type: ignore[attr-defined]
    fail = False
    second.run(0.1)  # type: ignore[attr-defined]
    assert second.schedule.activities == []  # type: ignore[attr-defined]
    assert second.schedule.store_failures >= 2  # type: ignore[attr-defined]
    second.close()  # type: ignore[attr-defined]


def _schedule_writes(tmp_path: Path, clock: SimulatedClock) -> tuple[list[float], object]:
    """The simulated times at which the schedule's store is written, and the fsync that logs
    them (it looks the file up by descriptor, so the real `Store` does every step)."""
    writes: list[float] = []

    def fsync(fd: int) -> None:
        name = os.readlink(f"/proc/self/fd/{fd}")
        if f".{SCHEDULE_STORE}." in name:
            writes.append(round(clock.now(), 2))
        os.fsync(fd)

    return writes, fsync


def test_the_release_tick_waits_on_no_store_write(tmp_path: Path) -> None:
    clock = SimulatedClock(epoch=EPOCH)
    writes, fsync = _schedule_writes(tmp_path, clock)
    flight = build_flight(
        load_mission("open-bench"), data_dir=tmp_path, links=(), clock=clock, fsync=fsync
    )
    flight.executive.start()
    try:
        flight.router.handle(PusTc(11, 4, apid=CORE, app_data=_insert((5.0, _ping(71)))).pack())
        assert writes == [0.0]
        flight.run(6.0)
        assert flight.schedule.released == 1
        _, arm, clean = writes
        # armed ARM_AHEAD_S ahead, released at 5.0 with no write, taken off the record after
        assert 5.0 - ARM_AHEAD_S - 0.02 <= arm < 5.0 - ARM_AHEAD_S + 0.02
        assert 5.0 < clean <= 5.02
    finally:
        flight.close()


def _boot(tmp_path: Path, start: float) -> Flight:
    clock = SimulatedClock(start=start, epoch=EPOCH + start)
    flight = build_flight(load_mission("open-bench"), data_dir=tmp_path, links=(), clock=clock)
    flight.executive.start()
    return flight


def _dropped_events(flight: Flight) -> list[bytes]:
    sent: list[bytes] = []
    flight.downlink.add_sink(sent.append)
    flight.run(0.1)
    return [
        tm.source_data[2:]
        for tm in (PusTm.unpack(p, timestamp_len=6) for p in sent)
        if tm.service == 5 and tm.source_data[:2] == struct.pack(">H", SCHEDULED_DROPPED.eid)
    ]


def test_a_stop_after_arming_drops_the_activity_and_reports_it(tmp_path: Path) -> None:
    first = _boot(tmp_path, 0.0)
    armed, later = _ping(81), _ping(82)
    first.router.handle(
        PusTc(11, 4, apid=CORE, app_data=_insert((10.0, armed), (20.0, later))).pack()
    )
    first.run(9.8)  # armed at 9.5, not yet released: the board stops here
    assert first.schedule.released == 0
    first.close()

    second = _boot(tmp_path, 9.9)
    assert [a.packet for a in second.schedule.lost] == [armed]
    assert [a.packet for a in second.schedule.activities] == [later]
    assert _dropped_events(second) == [struct.pack(">H", 1)]
    second.close()
    third = _boot(tmp_path, 10.0)  # the drop was stored: it is reported once
    assert third.schedule.lost == []
    assert [a.packet for a in third.schedule.activities] == [later]
    third.close()


def test_a_restart_after_a_release_reports_nothing_dropped(tmp_path: Path) -> None:
    first = _boot(tmp_path, 0.0)
    first.router.handle(PusTc(11, 4, apid=CORE, app_data=_insert((1.0, _ping(91)))).pack())
    first.run(1.5)
    assert first.schedule.released == 1
    first.close()
    second = _boot(tmp_path, 2.0)
    assert (second.schedule.lost, second.schedule.activities) == ([], [])
    assert _dropped_events(second) == []
    second.close()


def test_a_record_from_before_arming_reads_as_all_waiting() -> None:
    ping = _ping(95)
    old = struct.pack(">BH", 1, 1) + struct.pack(">QH", 7 << 16, len(ping)) + ping
    assert decode_schedule(old) == StoredSchedule(True, [Activity(7 << 16, ping)], [])
    new = encode_schedule(False, [Activity(7 << 16, ping), Activity(9 << 16, ping)], 8 << 16)
    assert decode_schedule(new) == StoredSchedule(
        False, [Activity(9 << 16, ping)], [Activity(7 << 16, ping)]
    )
