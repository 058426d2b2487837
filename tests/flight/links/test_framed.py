"""The framed link layer: URL options, FARM-1 on decoded CLTUs, TM frames with the CLCW.

Ends with FOP-1 and the board's endpoint talking over a seeded lossy, duplicating and
reordering channel on a simulated clock: every unit arrives exactly once, in order.
"""

import contextlib
import os
import random
import select
import socket
import tempfile
import termios
import time
import tty
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flight.ccsds import split_packets
from flight.ccsds.frames import ASM, TcFrame, TmFrame, cltu_encode, sync_frames
from flight.core import load_mission
from flight.core.errors import LinkError
from flight.links import (
    FramedSerialLink,
    FramedUdpLink,
    FramingConfig,
    Signer,
    open_link,
    pump,
    split_framing,
)
from flight.links.cop1 import Fop1
from flight.links.framed_udp import STRANGER_ANSWERS_PER_S, STRANGER_BURST
from tests.flight.links.framed_helpers import (
    CONFIG,
    KEY,
    SCID,
    VCID,
    Board,
    SecuredBoard,
    cltu,
    ping,
)


# ---- options ----
def test_url_options_select_the_framing_and_plain_urls_stay_plain() -> None:
    base, config = split_framing("udp:127.0.0.1:10030?framing=cop1&scid=0x1AB&vcid=2&frame=512")
    assert base == "udp:127.0.0.1:10030"
    assert config == FramingConfig(scid=0x1AB, vcid=2, frame_length=512)
    assert split_framing("udp:127.0.0.1:10015") == ("udp:127.0.0.1:10015", None)


@pytest.mark.parametrize(
    "query",
    [
        "framing=cobs",
        "scid=1",  # no framing named
        "framing=cop1&scid=0x400",
        "framing=cop1&vcid=8",
        "framing=cop1&window=21",
        "framing=cop1&bogus=1",
        "framing=cop1&scid=abc",
        "framing=cop1&fop_window=11",  # not inside the FARM's half window of 10
        "framing",
    ],
)
def test_bad_options_are_refused_with_a_link_error(query: str) -> None:
    with pytest.raises(LinkError):
        split_framing(f"udp:127.0.0.1:1?{query}")


@pytest.mark.parametrize(
    ("url", "ground", "reason"),
    [
        ("tcp:127.0.0.1:1?framing=cop1", False, "offered on serial and udp links"),
        ("udp:127.0.0.1:1?framing=cop1", True, "runs FOP-1: open it with hil.ground"),
        ("serial:/dev/ttyUSB0?framing=cop1", True, "runs FOP-1: open it with hil.ground"),
    ],
)
def test_framing_where_this_end_cannot_run_it_is_refused(
    url: str, ground: bool, reason: str
) -> None:
    with pytest.raises(LinkError, match=reason):
        open_link(url, lambda packet: True, ground=ground)


def test_radio_mission_flies_a_framed_authenticated_link() -> None:
    mission = load_mission("radio")
    assert mission.authentication
    assert split_framing(mission.links[0])[1] == FramingConfig(scid=0x1AB, vcid=0, idle_s=1.0)


# ---- up: CLTUs through FARM-1 ----
def test_ad_frames_are_delivered_in_sequence_once() -> None:
    board = Board()
    ep = board.endpoint
    assert ep.take_unit(cltu(0, ping(0))) == (True, True)
    assert ep.take_unit(cltu(0, ping(0))) == (True, False)  # duplicate: discarded
    assert ep.take_unit(cltu(2, ping(2))) == (True, False)  # a gap: retransmit asked for
    assert ep.clcw.retransmit
    assert ep.clcw.report_value == 1
    assert ep.take_unit(cltu(1, ping(1))) == (True, True)
    assert not ep.clcw.retransmit
    assert board.delivered == [ping(0), ping(1)]
    c = ep.counters
    assert (c.frames_in, c.accepted, c.duplicates, c.ahead) == (4, 2, 1, 1)


def test_a_frame_outside_the_window_locks_out_until_unlock() -> None:
    board = Board()
    ep = board.endpoint
    assert ep.take_unit(cltu(100, ping(0))) == (True, False)
    assert ep.clcw.lockout
    assert ep.take_unit(cltu(0, ping(0))) == (True, False)  # discarded in Lockout
    assert ep.take_unit(cltu_encode(TcFrame.unlock(SCID, VCID).pack()))[0]
    assert not ep.clcw.lockout
    assert ep.clcw.farm_b_counter == 1
    assert ep.take_unit(cltu_encode(TcFrame.set_vr(SCID, VCID, 42).pack()))[0]
    assert ep.take_unit(cltu(42, ping(42))) == (True, True)
    assert board.delivered == [ping(42)]
    assert (ep.counters.lockouts, ep.counters.control) == (2, 2)


def test_bd_frames_bypass_and_bare_frames_are_taken_on_datagrams() -> None:
    board = Board()
    ep = board.endpoint
    assert ep.take_unit(cltu(77, ping(7), bypass=True)) == (True, True)
    assert ep.take_unit(TcFrame(SCID, VCID, 0, ping(0)).pack()) == (True, True)
    assert board.delivered == [ping(7), ping(0)]
    assert ep.counters.bypass == 1


def test_damaged_foreign_and_malformed_units_are_counted_and_go_nowhere() -> None:
    board = Board()
    ep = board.endpoint
    frame = bytearray(TcFrame(SCID, VCID, 0, ping(0)).pack())
    frame[8] ^= 0x01  # the FECF no longer matches
    assert ep.take_unit(bytes(frame)) == (False, False)
    assert ep.take_unit(TcFrame(SCID, VCID, 0, ping(0)).pack() + b"\x00") == (False, False)
    assert ep.take_unit(b"\xeb\x90" + bytes(20)) == (False, False)  # no code block decodes
    assert ep.take_unit(cltu(0, ping(0), scid=0x2AA)) == (False, False)
    assert ep.take_unit(cltu(0, b"not a packet")) == (True, False)  # consumed, not delivered
    assert board.delivered == []
    c = ep.counters
    assert (c.bad, c.foreign, c.not_one_packet, ep.clcw.report_value) == (3, 1, 1, 1)


def test_a_stream_of_cltus_is_taken_across_reads_and_resyncs_after_junk() -> None:
    board = Board(stream=True)
    stream = b"\x55junk" + cltu(0, ping(0)) + b"\xeb\x90\x00" + cltu(1, ping(1))
    stream += cltu(2, ping(2))
    for i in range(0, len(stream), 7):
        board.endpoint.take_stream(stream[i : i + 7])
    assert board.delivered == [ping(0), ping(1), ping(2)]
    assert board.endpoint.counters.bad >= 1


# ---- down: TM frames ----
def test_packets_go_down_in_fixed_frames_with_the_clcw_and_idle_frames_otherwise() -> None:
    board = Board()
    ep = board.endpoint
    ep.take_unit(cltu(0, ping(0)))
    packets = b"".join(ping(n) for n in range(12))  # 12 x 13 octets: spans frames
    frames = ep.frames(packets)
    assert all(len(f) == CONFIG.frame_length for f in frames)
    assert len(frames) == 2
    decoded = [TmFrame.unpack(f) for f in frames]
    assert all(d.clcw is not None and d.clcw.report_value == 1 for d in decoded)
    assert [d.vcid for d in decoded] == [VCID, VCID]
    (idle,) = ep.frames()
    assert TmFrame.unpack(idle).first_header_pointer == 0x7FE
    assert ep.counters.idle_frames == 1


def test_an_idle_frame_is_due_when_the_clcw_changes_or_the_line_is_quiet() -> None:
    board = Board()
    ep = board.endpoint
    ep.frames()
    assert not ep.idle_due()
    ep.take_unit(cltu(5, ping(5)))  # ahead: the retransmit flag rises
    assert ep.idle_due()
    ep.frames()
    board.now += CONFIG.idle_s - 0.01
    assert not ep.idle_due()
    board.now += 0.02
    assert ep.idle_due()


def test_stream_frames_carry_the_asm() -> None:
    frames = Board(stream=True).endpoint.frames(ping(0))
    assert [f[:4] for f in frames] == [ASM]
    assert len(frames[0]) == 4 + CONFIG.frame_length


# ---- FOP-1 and FARM-1 over a bad channel ----
@given(
    seed=st.integers(0, 2**32 - 1),
    loss=st.sampled_from([0.0, 0.1, 0.3]),
    reorder=st.sampled_from([0.0, 0.2]),
    secured=st.booleans(),
)
@settings(max_examples=25, deadline=None)
def test_fop_and_farm_deliver_every_unit_once_in_order_over_a_bad_channel(
    seed: int, loss: float, reorder: float, secured: bool
) -> None:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as directory:
        board = SecuredBoard(Path(directory)) if secured else Board()
        _run_cop1_over_a_bad_channel(board, rng, loss, reorder, secured)


def _run_cop1_over_a_bad_channel(
    board: Board, rng: random.Random, loss: float, reorder: float, secured: bool
) -> None:
    fop = Fop1(SCID, VCID, lambda: board.now, window=6, t1=1.0, transmission_limit=40)
    fop.initiate()
    signer = Signer(1, KEY, None)
    sent: dict[int, tuple[TcFrame, bytes]] = {}  # as the ground does: sealed once per AD frame

    def wire(frame: TcFrame) -> bytes:
        if not secured:
            return frame.pack()
        kept = sent.get(frame.seq)
        if kept is None or kept[0] is not frame:
            kept = sent[frame.seq] = (frame, signer.encode_frame(frame).pack())
        return kept[1]

    units = [ping(n) for n in range(25)]
    for unit in units:
        fop.send(unit)
    up: list[bytes] = []
    for _ in range(2000):
        for frame in fop.poll():
            copies = 0 if rng.random() < loss else 1 + (rng.random() < 0.1)
            up += [cltu_encode(wire(frame))] * copies
        if len(up) > 1 and rng.random() < reorder:
            i = rng.randrange(len(up) - 1)
            up[i], up[i + 1] = up[i + 1], up[i]
        for unit in up:
            board.endpoint.take_unit(unit)
            if rng.random() >= loss:  # the downlink loses CLCWs too
                (tm,) = board.endpoint.frames()
                clcw = TmFrame.unpack(tm).clcw
                assert clcw is not None
                fop.on_clcw(clcw)
        up.clear()
        if not fop.pending:
            break
        board.now += 0.25
    assert not fop.alerts
    assert board.delivered == units
    assert [split_packets(u).count for u in board.delivered] == [1] * len(units)


# ---- the framed UDP link ----
def test_a_flood_from_strangers_gets_few_idle_frames_back() -> None:
    """Good frames from a sender that is not the peer earn an idle frame each, within a
    rate limit: a forged source address cannot turn the board into a reflector."""
    link = FramedUdpLink("127.0.0.1", 0, lambda unit: False, CONFIG)  # nobody authenticates
    stranger = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    stranger.bind(("127.0.0.1", 0))
    stranger.setblocking(False)
    sent = 200
    try:
        started = time.monotonic()
        for n in range(sent):  # one frame per read: each would earn its own idle frame
            stranger.sendto(cltu(n % 256, ping(n)), link.address)
            assert select.select([link.fileno()], [], [], 5)[0]
            link.on_readable()
        elapsed = time.monotonic() - started
        time.sleep(0.05)  # let the last answers reach the stranger's socket
        answers = 0
        with contextlib.suppress(BlockingIOError):
            while stranger.recv(65536):
                answers += 1
    finally:
        stranger.close()
        link.close()
    allowed = STRANGER_BURST + STRANGER_ANSWERS_PER_S * elapsed
    assert 1 <= answers <= allowed
    assert link.peer is None
    assert link.framing.strangers_unanswered == sent - answers
    assert link.framing.idle_frames == answers


# ---- on a serial line ----
def test_a_framed_serial_link_takes_cltus_among_junk_and_answers_with_the_clcw() -> None:
    master, slave = os.openpty()
    tty.setraw(slave, termios.TCSANOW)
    delivered: list[bytes] = []
    link = FramedSerialLink(os.ttyname(slave), 115200, _collect(delivered), CONFIG)
    try:
        line = b"junk" + cltu(0, ping(0)) + b"\x00\xff\xeb" + cltu(1, ping(1))
        os.write(master, line[:50])  # a CLTU split across reads
        os.write(master, line[50:])
        deadline = time.monotonic() + 5
        while len(delivered) < 2 and time.monotonic() < deadline:
            pump(link, 0.1)
        assert delivered == [ping(0), ping(1)]  # the junk around them skipped
        os.write(master, cltu(1, ping(1)))  # again: a duplicate, answered with the CLCW
        down = b""
        while not (found := sync_frames(down, CONFIG.frame_length, check_fecf=True)).count:
            pump(link, 0.1)
            assert select.select([master], [], [], 2)[0]
            down += os.read(master, 4096)
        start = found.offsets[found.count - 1]
        clcw = TmFrame.unpack(down[start : start + CONFIG.frame_length]).clcw
        assert clcw is not None
        assert clcw.report_value == 2
        assert link.framing.duplicates == 1
        assert link.counters.packets_in == link.framing.frames_in + link.framing.bad
    finally:
        link.close()
        os.close(master)
        os.close(slave)


def _collect(into: list[bytes]) -> Callable[[bytes], bool]:
    def deliver(packet: bytes) -> bool:
        into.append(packet)
        return True

    return deliver
