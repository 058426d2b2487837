"""The ground's FOP-1 link against the board's framed UDP link, both in this process.

The board's `FramedUdpLink` is pumped from a thread as the executive would; what it delivers
is collected and answered with one packet, so the test sees the full round trip.
"""

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from flight.ccsds import PusTc, PusTm
from flight.ccsds.frames import TcFrame, TmFrame, TmMultiplexer, cltu_encode
from flight.links import FramedUdpLink, FramingConfig, open_link, pump
from hil.ground import GroundLinkError, open_ground_link
from hil.ground.framed import FramedGroundLink, UdpFrameLine

CONFIG = FramingConfig(scid=0x1AB, vcid=1, frame_length=128, t1=0.2)
OPTIONS = "framing=cop1&scid=0x1AB&vcid=1&frame=128&t1=0.2"


class PumpedBoard:
    """A framed board link in a thread; each delivered unit is echoed back as a TM packet."""

    def __init__(self) -> None:
        self.delivered: list[bytes] = []
        link = open_link(f"udp:127.0.0.1:0?{OPTIONS}", self._deliver)
        assert isinstance(link, FramedUdpLink)
        self.link = link
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"udp:127.0.0.1:{self.link.address[1]}?{OPTIONS}"

    def _deliver(self, unit: bytes) -> bool:
        self.delivered.append(unit)
        tc = PusTc.unpack(unit)
        self.link.send(PusTm(apid=tc.apid, service=17, subtype=2, seq_count=tc.seq_count).pack())
        return True

    def _run(self) -> None:
        while not self._stop.is_set():
            pump(self.link, 0.02)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.link.close()


@pytest.fixture
def board() -> Iterator[PumpedBoard]:
    running = PumpedBoard()
    yield running
    running.close()


def _tc(n: int) -> bytes:
    return PusTc(apid=101, service=17, subtype=1, seq_count=n).pack()


def test_the_ground_initiates_ad_sends_in_order_and_reads_packets_back(
    board: PumpedBoard,
) -> None:
    link = open_ground_link(board.url)
    assert isinstance(link, FramedGroundLink)
    try:
        for n in range(12):  # more than the FOP window: the queue drains as CLCWs come back
            link.send(_tc(n))
        assert link.flush(time.monotonic() + 5)
        replies = []
        while len(replies) < 12:
            packet = link.receive(time.monotonic() + 2)
            assert packet is not None
            replies.append(PusTm.unpack(packet).seq_count)
        assert board.delivered == [_tc(n) for n in range(12)]
        assert replies == list(range(12))
        c = link.counters
        assert (c.initiations, c.ad_frames, c.retransmissions, c.alerts) == (1, 12, 0, 0)
        assert c.control_frames == 2  # Unlock, then Set V(R)
        assert board.link.framing.accepted == 12
    finally:
        link.close()


def test_control_frames_are_answered_to_their_sender_without_moving_the_peer(
    board: PumpedBoard,
) -> None:
    stranger = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    stranger.settimeout(2)
    try:
        stranger.sendto(cltu_encode(TcFrame.unlock(0x1AB, 1).pack()), board.link.address)
        frame = TmFrame.unpack(stranger.recv(4096))
        assert frame.clcw is not None
        assert frame.clcw.farm_b_counter == 1
        assert board.link.peer is None  # an unauthenticated frame never takes the downlink
        board.link.send(_tc(0))
        assert board.link.counters.no_peer >= 1
    finally:
        stranger.close()


def test_a_lockout_is_seen_in_the_clcw_and_cleared_by_initiating_again(
    board: PumpedBoard,
) -> None:
    link = FramedGroundLink(UdpFrameLine("127.0.0.1", board.link.address[1]), CONFIG)
    try:
        link.send(_tc(0))
        assert link.flush(time.monotonic() + 5)
        link.transmit_frame(TcFrame(0x1AB, 1, (link.fop.vs + 100) % 256, _tc(99)))
        deadline = time.monotonic() + 3
        while not link.counters.lockouts_seen and time.monotonic() < deadline:
            link.receive(time.monotonic() + 0.05)
        assert link.counters.lockouts_seen
        assert link.counters.alerts == 1
        assert board.link.endpoint.clcw.lockout
        link.send(_tc(1))  # initiates again: Unlock, Set V(R)
        assert link.flush(time.monotonic() + 5)
        assert not board.link.endpoint.clcw.lockout
        assert board.delivered == [_tc(0), _tc(1)]
        assert link.counters.initiations == 2
    finally:
        link.close()


def test_no_board_means_a_clear_error_within_the_bound() -> None:
    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    silent.bind(("127.0.0.1", 0))
    link = FramedGroundLink(UdpFrameLine("127.0.0.1", silent.getsockname()[1]), CONFIG)
    try:
        started = time.monotonic()
        with pytest.raises(GroundLinkError, match="no CLCW"):
            link.establish(started + 0.5)
        assert time.monotonic() - started < 1.5
        assert link.counters.control_frames >= 2  # Unlock repeated every T1
    finally:
        link.close()
        silent.close()


def test_framing_on_other_schemes_is_refused() -> None:
    with pytest.raises(GroundLinkError):
        open_ground_link(f"tcp:127.0.0.1:9?{OPTIONS}")
    with pytest.raises(GroundLinkError):
        open_ground_link("udp:127.0.0.1:9?framing=cop2")


def test_a_duplicated_tm_frame_is_taken_once() -> None:
    """A channel that repeats a TM frame must not repeat its packets (or its CLCW)."""
    board = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    board.bind(("127.0.0.1", 0))
    link = FramedGroundLink(UdpFrameLine("127.0.0.1", board.getsockname()[1]), CONFIG)
    try:
        link.transmit_frame(TcFrame.unlock(CONFIG.scid, CONFIG.vcid))  # the board learns us
        _, ground = board.recvfrom(4096)
        mux = TmMultiplexer(CONFIG.scid, CONFIG.vcid, CONFIG.frame_length)
        pongs = [PusTm(apid=100, service=17, subtype=2, seq_count=n).pack() for n in (1, 2)]
        first = bytes(mux.frames(pongs[0], flush=True))
        second = bytes(mux.frames(pongs[1], flush=True))
        for frame in (first, first, second):
            board.sendto(frame, ground)
        got = [link.receive(time.monotonic() + 2) for _ in range(2)]
        assert got == pongs
        assert link.receive(time.monotonic() + 0.2) is None
        assert link.counters.duplicate_frames == 1
        assert link.counters.tm_frames == 3
    finally:
        link.close()
        board.close()
