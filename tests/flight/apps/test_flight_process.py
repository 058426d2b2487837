"""End to end: `starling flight --mission open-bench` as a real process, spacepackets as ground."""

import signal
import socket
import struct
from pathlib import Path

import pytest
from spacepackets.ecss.pus_1_verification import Service1Tm, UnpackParams
from spacepackets.ecss.tc import PusTc

from flight.apps.core.messages import CORE_HK

CORE = 100
VERIFICATION = UnpackParams(timestamp_len=6, bytes_err_code=2)


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _kinds(tms: list) -> list[tuple[int, int]]:  # type: ignore[type-arg]
    return [(tm.service, tm.subservice) for tm in tms]


def test_open_bench_answers_a_spacepackets_ping_on_apid_100(tmp_path: Path, launch) -> None:  # type: ignore[no-untyped-def]
    if not _port_free(10015):
        pytest.skip("udp:127.0.0.1:10015 is taken by another process")
    flight = launch(tmp_path, "--mission", "open-bench", log=tmp_path / "flight.log")
    assert flight.address == ("127.0.0.1", 10015)
    ping = PusTc(17, 1, apid=CORE, seq_count=7)
    flight.send(ping.pack())
    tms = flight.receive_until(lambda got: (1, 7) in _kinds(got))
    tms = [tm for tm in tms if tm.service in {1, 17}]
    assert _kinds(tms) == [(1, 1), (1, 3), (17, 2), (1, 7)]
    assert {tm.apid for tm in tms} == {CORE}
    for tm in (tms[0], tms[3]):
        report = Service1Tm.unpack(tm.pack(), VERIFICATION)
        assert report.tc_req_id.as_u32() == int.from_bytes(ping.pack()[:4], "big")
    assert flight.stop() == 0
    assert b"AUTHENTICATION IS OFF" in (tmp_path / "flight.log").read_bytes()


def test_malformed_datagrams_are_counted_and_the_process_keeps_flying(
    tmp_path: Path, launch
) -> None:  # type: ignore[no-untyped-def]
    flight = launch(tmp_path, "--mission", "open-bench", "--link", "udp:127.0.0.1:0")
    good = PusTc(17, 1, apid=CORE).pack()
    flight.send(b"\xff" * 3)  # not even a header: the link rejects it
    flight.send(good + b"junk")  # length field disagrees with the datagram
    bad_crc = bytearray(good)
    bad_crc[-1] ^= 0x55
    flight.send(bytes(bad_crc))  # framed right, refused by the codec: 1,2
    rejected = flight.receive_until(lambda got: (1, 2) in _kinds(got))
    report = Service1Tm.unpack(next(t for t in rejected if t.service == 1).pack(), VERIFICATION)
    assert report.error_code is not None
    assert report.error_code.val == 1  # MALFORMED_PACKET
    flight.tc(CORE, 3, 27, struct.pack(">BH", 1, 1))  # one-shot core housekeeping
    tms = flight.receive_until(lambda got: (3, 25) in _kinds(got))
    hk = next(tm for tm in tms if (tm.service, tm.subservice) == (3, 25))
    values = CORE_HK.unpack(hk.source_data[2:])
    assert values["link_rejected"] == 2
    assert values["tc_rejected"] == 1
    assert values["err_count"] == 1
    assert flight.process.poll() is None
    assert flight.stop(signal.SIGINT) == 0
