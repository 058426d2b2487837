"""Flood: 10,000 telecommands over UDP to a real flight process, half of them malformed.

Every valid one must be verified (1,1 and 1,7 matched by request ID), every malformed one
rejected (1,2 matched by request ID, or counted by the link when the datagram is not one
space packet), the housekeeping counters must match exactly, RSS must grow by less than
5 MB, and the process must keep flying.

Pacing: the ground sends in windows of `WINDOW` telecommands and waits for every outcome of
a window before sending the next (flow control, as a ground station's command queue does),
so the test measures the application, not the kernel dropping datagrams from a full socket
buffer. The ground's own receive buffer is raised to 4 MB so it keeps all the telemetry.
"""

import socket
import struct
import time
from collections import defaultdict
from pathlib import Path

import pytest
from spacepackets.ecss.tc import PusTc
from spacepackets.ecss.tm import PusTm

from flight.apps.core.messages import CORE_HK
from flight.apps.sample.messages import SAMPLE_HK
from flight.core import FailureCode

CORE, SAMPLE, NOBODY = 100, 101, 300
TOTAL = 10_000
WINDOW = 100
MB = 1024 * 1024


def _tc(service: int, subtype: int, apid: int, seq: int, data: bytes = b"") -> bytes:
    return bytes(PusTc(service, subtype, apid=apid, app_data=data, seq_count=seq).pack())


def _bad_crc(seq: int) -> bytes:
    bad = bytearray(_tc(17, 1, CORE, seq))
    bad[-1] ^= 0xA5
    return bytes(bad)


# What the i-th telecommand is, by i % 10: five valid kinds, then five malformed ones.
_KINDS = (
    ("valid", lambda seq: _tc(17, 1, CORE, seq)),
    ("valid", lambda seq: _tc(8, 1, SAMPLE, seq, b"\x00\x00")),  # NOOP
    ("valid", lambda seq: _tc(8, 1, SAMPLE, seq, struct.pack(">HB", 2, 1 + seq % 16))),
    ("valid", lambda seq: _tc(20, 1, SAMPLE, seq, struct.pack(">BH", 1, 1))),
    ("valid", lambda seq: _tc(17, 1, SAMPLE, seq)),
    ("bad_crc", _bad_crc),
    ("truncated", lambda seq: _tc(17, 1, CORE, seq)[:-3]),
    ("wrong_apid", lambda seq: _tc(17, 1, NOBODY, seq)),
    ("unknown_service", lambda seq: _tc(99, 1, CORE, seq)),
    ("out_of_range", lambda seq: _tc(8, 1, SAMPLE, seq, struct.pack(">HB", 2, 0))),  # gain 0
)


def _packet(i: int) -> tuple[str, bytes]:
    """The i-th telecommand and its kind; its sequence count is i, so request IDs are unique."""
    kind, build = _KINDS[i % 10]
    return kind, build(i)


EXPECTED_CODE = {
    "bad_crc": FailureCode.MALFORMED_PACKET,
    "wrong_apid": FailureCode.UNKNOWN_APID,
    "unknown_service": FailureCode.UNKNOWN_SERVICE,
    "out_of_range": FailureCode.ARGUMENT_OUT_OF_RANGE,
}


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.mark.slow
def test_ten_thousand_telecommands_half_malformed(tmp_path: Path, launch) -> None:  # type: ignore[no-untyped-def]
    flight = launch(
        tmp_path, "--mission", "open-bench", "--link", "udp:127.0.0.1:0", "--log-level", "ERROR"
    )
    ground = flight.ground
    ground.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * MB)
    pid = flight.process.pid
    outcomes: dict[bytes, dict[int, int]] = defaultdict(dict)  # req ID -> {subtype: code}
    kinds: dict[bytes, str] = {}
    rss_start = 0

    def absorb(data: bytes) -> None:
        tm = PusTm.unpack(data, timestamp_len=6)
        if tm.service != 1:
            return  # housekeeping and events during the flood
        req = tm.source_data[:4]
        code = int.from_bytes(tm.source_data[4:6], "big") if tm.subservice == 2 else 0
        outcomes[req][tm.subservice] = code

    def settled(req: bytes) -> bool:
        kind = kinds[req]
        return kind == "truncated" or (2 if kind in EXPECTED_CODE else 7) in outcomes[req]

    started = time.monotonic()
    for window_start in range(0, TOTAL, WINDOW):
        if window_start == 1000:
            rss_start = _rss_kb(pid)  # after warm-up: caches, counters, first allocations
        batch = [_packet(i) for i in range(window_start, window_start + WINDOW)]
        for kind, packet in batch:
            kinds[packet[:4]] = kind
            ground.sendto(packet, flight.address)
        pending = {packet[:4] for _, packet in batch}
        deadline = time.monotonic() + 10.0
        while pending := {req for req in pending if not settled(req)}:
            left = deadline - time.monotonic()
            assert left > 0, f"window {window_start}: {len(pending)} outcomes missing"
            ground.settimeout(left)
            try:
                absorb(ground.recv(65536))
            except TimeoutError:
                continue
    flood_s = time.monotonic() - started

    # Housekeeping, one-shot, after the flood (its own 3,27 counts as received too). Only
    # reports that arrive now count: a periodic one from the middle of a long flood is stale.
    flight.tc(CORE, 3, 27, struct.pack(">BH", 1, 1))
    flight.tc(SAMPLE, 3, 27, struct.pack(">BH", 1, 1))

    def reports(got: list[PusTm]) -> dict[int, PusTm]:
        return {t.apid: t for t in got if (t.service, t.subservice) == (3, 25)}

    more = flight.receive_until(lambda got: {CORE, SAMPLE} <= reports(got).keys(), timeout=10)
    hk = reports(more)
    rss_end = _rss_kb(pid)

    counts: dict[str, int] = defaultdict(int)
    for req, kind in kinds.items():
        counts[kind] += 1
        got = outcomes.get(req, {})
        if kind == "valid":
            assert 1 in got, (req.hex(), got)
            assert 7 in got, (req.hex(), got)
            assert 2 not in got, (req.hex(), got)
        elif kind == "truncated":
            assert not got, (req.hex(), got)
        else:
            assert got.get(2) == EXPECTED_CODE[kind], (kind, req.hex(), got)
            assert 7 not in got
    assert counts["valid"] == TOTAL // 2
    malformed = TOTAL - counts["valid"]

    core = CORE_HK.unpack(hk[CORE].source_data[2:])
    sample = SAMPLE_HK.unpack(hk[SAMPLE].source_data[2:])
    assert core["link_rejected"] == counts["truncated"]
    assert core["link_in"] == TOTAL + 1
    assert core["tc_received"] == TOTAL - counts["truncated"] + 1
    assert core["tc_rejected"] == malformed - counts["truncated"]
    assert core["tc_failed"] == 0
    assert core["err_count"] == counts["bad_crc"] + counts["wrong_apid"] + counts["unknown_service"]
    assert core["cmd_count"] == TOTAL // 10  # the pings on APID 100
    assert sample["err_count"] == counts["out_of_range"]
    assert sample["cmd_count"] == 4 * TOTAL // 10
    assert rss_end - rss_start < 5 * 1024, f"RSS grew {rss_end - rss_start} kB"
    assert flight.process.poll() is None
    assert flight.stop() == 0
    print(f"flood: {TOTAL} TCs in {flood_s:.1f} s, RSS {rss_start} -> {rss_end} kB")
