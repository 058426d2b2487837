"""Authenticated commanding end to end: a real `starling flight --mission demo` process.

The demo makes its development key on first run; the ground signs with it through
`signer_for_mission`, over the same link classes the board uses. A plain telecommand is
refused before the router sees it, reported by event and counted in LINK_HK; a replay after
kill -9 is still refused, because the anti-replay window was stored before the command ran.
"""

import signal
import stat
import struct
from pathlib import Path

import pytest
from spacepackets.ecss.tc import PusTc
from spacepackets.ecss.tm import PusTm

from flight.apps.core.messages import CORE_HK, LINK_HK
from flight.core import Severity, load_mission
from flight.links import Signer, signer_for_mission
from flight.links.events import AUTH_REPLAY, AUTH_UNSECURED
from tests.flight.links.helpers import CORE, Ground, kinds, ping_done, start_flight

LINK = ("--link", "udp:127.0.0.1:0", "--log-level", "INFO")


def _signer(data_dir: Path) -> Signer:
    return signer_for_mission(load_mission("demo"), data_dir=data_dir)


def _hk(ground: Ground, signer: Signer, sid: int) -> dict[str, int | float | bool]:
    before = len(ground.received)
    request = PusTc(3, 27, apid=CORE, app_data=struct.pack(">BH", 1, sid)).pack()
    ground.link.send(signer.encode(request))

    def report(tms: list[PusTm]) -> PusTm | None:
        for tm in tms[before:]:
            if (tm.service, tm.subservice) == (3, 25) and tm.source_data[:2] == sid.to_bytes(
                2, "big"
            ):
                return tm
        return None

    tm = report(ground.until(lambda got: report(got) is not None))
    assert tm is not None
    structure = LINK_HK if sid == LINK_HK.sid else CORE_HK
    return structure.unpack(tm.source_data[2:])


def _events(tms: list[PusTm], eid: int) -> list[PusTm]:
    return [t for t in tms if t.service == 5 and int.from_bytes(t.source_data[:2], "big") == eid]


def test_demo_answers_a_signed_ping_and_refuses_a_plain_one(tmp_path: Path) -> None:
    flight = start_flight(tmp_path, *LINK)
    ground = Ground.open(flight.urls[0])
    try:
        key = tmp_path / "keys" / "1.key"
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
        assert f"DEVELOPMENT key at {key}" in flight.log.read_text()
        signer = _signer(tmp_path)

        ping = PusTc(17, 1, apid=CORE, seq_count=1).pack()
        ground.link.send(signer.encode(ping))
        tms = ground.until(ping_done)
        assert [k for k in kinds(tms) if k[0] in {1, 17}] == [(1, 1), (1, 3), (17, 2), (1, 7)]
        # the reports come from the core app (other apps' events may arrive alongside)
        assert {tm.apid for tm in tms if tm.service in {1, 17}} == {CORE}

        ground.link.send(PusTc(17, 1, apid=CORE, seq_count=2).pack())  # no security header
        tms = ground.until(lambda got: bool(_events(got, AUTH_UNSECURED.eid)))
        (event,) = _events(tms, AUTH_UNSECURED.eid)
        assert event.subservice == Severity.MEDIUM
        assert kinds(tms).count((17, 2)) == 1  # the plain ping never ran
        assert not [t for t in tms if (t.service, t.subservice) == (1, 2)]  # nor was answered

        links = _hk(ground, signer, LINK_HK.sid)
        assert links["authentication"] == 1
        assert (links["auth_accepted"], links["auth_unsecured"]) == (2, 1)
        assert links["auth_bad_mac"] == links["auth_replayed"] == 0
        assert links["auth_highest_sn"] == signer.next_sequence - 1
        assert links["packets_in"] == 3
        core = _hk(ground, signer, CORE_HK.sid)
        assert core["link_rejected"] == 1
        assert core["tc_received"] == 3  # the router saw the ping and two HK requests only
        assert flight.stop() == 0
    finally:
        ground.close()
        flight.stop(signal.SIGKILL)


def test_a_replay_after_kill_9_is_still_refused(tmp_path: Path) -> None:
    flight = start_flight(tmp_path, *LINK)
    ground = Ground.open(flight.urls[0])
    signer = _signer(tmp_path)
    ping = signer.encode(PusTc(17, 1, apid=CORE, seq_count=1).pack())
    ground.link.send(ping)
    ground.until(ping_done)
    flight.stop(signal.SIGKILL)
    ground.close()

    flight = start_flight(tmp_path, *LINK)  # same data directory, a new process and port
    ground = Ground.open(flight.urls[0])
    try:
        restarted = _signer(tmp_path)  # the ground restarts too, from its own stored number
        assert restarted.next_sequence > signer.next_sequence - 1
        links = _hk(ground, restarted, LINK_HK.sid)  # sets the downlink to this ground
        ground.link.send(ping)  # the captured unit, replayed
        tms = ground.until(lambda got: bool(_events(got, AUTH_REPLAY.eid)))
        (event,) = _events(tms, AUTH_REPLAY.eid)
        assert event.source_data[2:] == (1).to_bytes(2, "big") + (1).to_bytes(4, "big")
        assert (17, 2) not in kinds(tms)
        links = _hk(ground, restarted, LINK_HK.sid)
        assert (links["auth_replayed"], links["auth_accepted"]) == (1, 2)
        assert links["auth_highest_sn"] == restarted.next_sequence - 1
        assert flight.stop() == 0
    finally:
        ground.close()
        flight.stop(signal.SIGKILL)


def test_a_flight_with_a_loose_key_file_refuses_to_start(tmp_path: Path) -> None:
    (tmp_path / "keys").mkdir(mode=0o700)
    key = tmp_path / "keys" / "1.key"
    key.write_text("00" * 32 + "\n")
    key.chmod(0o644)
    with pytest.raises(AssertionError, match="chmod 600"):
        start_flight(tmp_path, *LINK, timeout=5)
