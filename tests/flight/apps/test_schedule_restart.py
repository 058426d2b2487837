"""Service 11 across a real restart: a time-tagged ping survives kill -9 and is released."""

import signal
import struct
import time
from pathlib import Path

from spacepackets.ecss.pus_1_verification import Service1Tm, UnpackParams
from spacepackets.ecss.tc import PusTc

from flight.apps.core.messages import CORE_HK
from flight.ccsds import CucTime
from flight.services import ARM_AHEAD_S

CORE = 100
VERIFICATION = UnpackParams(timestamp_len=6, bytes_err_code=2)
ARGS = ("--mission", "open-bench", "--link", "udp:127.0.0.1:0", "--log-level", "WARNING")


def _has(service: int, subtype: int):  # type: ignore[no-untyped-def]
    return lambda got: any((t.service, t.subservice) == (service, subtype) for t in got)


def test_scheduled_ping_survives_kill_9_and_is_released_after_the_restart(
    tmp_path: Path,
    launch,  # type: ignore[no-untyped-def]
) -> None:
    first = launch(tmp_path, *ARGS)
    first.tc(CORE, 9, 128)
    report = next(t for t in first.receive_until(_has(9, 2)) if t.service == 9)
    first.receive_until(_has(1, 7))  # the 9,128's own completion
    now = CucTime.unpack(report.source_data[1:], pfield=True).seconds
    ping = PusTc(17, 1, apid=CORE, seq_count=4242).pack()
    release = CucTime.from_seconds(now + 3.0)
    insert = first.tc(CORE, 11, 4, b"\x01" + release.pack() + ping)
    done = first.receive_until(_has(1, 7))
    completion = Service1Tm.unpack(done[-1].pack(), VERIFICATION)  # after its 1,1 and 1,3
    assert completion.subservice == 7
    assert completion.tc_req_id.as_u32() == int.from_bytes(insert[:4], "big")
    first.process.send_signal(signal.SIGKILL)
    first.process.wait(5)

    second = launch(tmp_path, *ARGS)
    second.tc(CORE, 11, 17)
    summary = next(t for t in second.receive_until(_has(11, 13)) if t.service == 11)
    assert summary.source_data == struct.pack(">H", 1) + release.pack() + ping[:4]
    released = second.receive_until(_has(17, 2), timeout=6.0)
    released += second.receive_until(_has(1, 7))
    reports = [Service1Tm.unpack(t.pack(), VERIFICATION) for t in released if t.service == 1]
    assert any(
        r.subservice == 7 and r.tc_req_id.as_u32() == int.from_bytes(ping[:4], "big")
        for r in reports
    )
    (pong,) = [t for t in released if t.service == 17]
    assert CucTime.unpack(pong.timestamp).seconds >= release.seconds
    assert second.stop() == 0


def test_kill_9_between_arming_and_release_never_runs_it_twice_and_reports_a_loss(
    tmp_path: Path,
    launch,  # type: ignore[no-untyped-def]
) -> None:
    """The board dies just before a release: the activity may be lost, never run twice, and a
    loss shows in CORE_HK. (Where the kill lands depends on the machine's timing; the
    guarantee must hold wherever it does.)"""
    first = launch(tmp_path, *ARGS)
    first.tc(CORE, 9, 128)
    report = next(t for t in first.receive_until(_has(9, 2)) if t.service == 9)
    first.receive_until(_has(1, 7))
    now = CucTime.unpack(report.source_data[1:], pfield=True).seconds
    lead = 1.5
    ping = PusTc(17, 1, apid=CORE, seq_count=777).pack()
    first.tc(CORE, 11, 4, b"\x01" + CucTime.from_seconds(now + lead).pack() + ping)
    pongs = [t for t in first.receive_until(_has(1, 7)) if t.service == 17]
    time.sleep(lead - ARM_AHEAD_S / 2)  # after arming, before the release, on a quiet machine
    first.process.send_signal(signal.SIGKILL)
    first.process.wait(5)
    pongs += [t for t in first.drain() if t.service == 17]

    second = launch(tmp_path, *ARGS)
    second.tc(CORE, 3, 27, b"\x01" + CORE_HK.sid.to_bytes(2, "big"))
    hk = next(t for t in second.receive_until(_has(3, 25)) if t.service == 3)
    dropped = CORE_HK.unpack(hk.source_data[2:])["scheduled_dropped"]
    time.sleep(lead)  # had it been kept, it would run by now
    pongs += [t for t in second.drain() if t.service == 17]
    assert len(pongs) <= 1, "a time-tagged command ran twice"
    assert len(pongs) + dropped >= 1, "the command neither ran nor was reported lost"
    assert second.stop() == 0
