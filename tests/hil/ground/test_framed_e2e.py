"""A real `starling flight --mission radio` on a framed link, commanded by the ground's FOP-1.

Directly, then through a seeded UDP relay that loses, duplicates and reorders uplink
datagrams (the channel, not the thing under test): N commands each execute exactly once and in
order, which the sample app's command counter and the order of the completion reports show,
and FOP-1 counts the retransmissions it needed. Run with ``-s`` to see the figures.
"""

import random
import select
import signal
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from flight.ccsds.frames import TcFrame, cltu_encode
from flight.links import split_framing
from hil.ground import Session, open_session
from hil.ground import commands as tc
from hil.ground.decode import Decoded
from hil.ground.framed import FramedGroundLink
from tests.flight.links.helpers import FlightRun, socat_ptys, start_flight

BOARD_OPTIONS = "framing=cop1&scid=0x1AB&vcid=0&frame=256&idle=1"
N_COMMANDS = 16


@dataclass
class Relay:
    """Forwards ground → board datagrams with seeded loss, duplication and reordering."""

    board: tuple[str, int]
    seed: int
    loss: float
    duplicate: float = 0.1
    reorder: float = 0.1

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.ground_side = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.ground_side.bind(("127.0.0.1", 0))
        self.board_side = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.board_side.bind(("127.0.0.1", 0))
        self.ground: tuple[str, int] | None = None
        self.counts = {"up": 0, "lost": 0, "duplicated": 0, "reordered": 0}
        self._held: bytes | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self.ground_side.getsockname()[1])

    def _up(self, data: bytes) -> None:
        self.counts["up"] += 1
        roll = self.rng.random()
        if roll < self.loss:
            self.counts["lost"] += 1
            return
        copies = 2 if self.rng.random() < self.duplicate else 1
        self.counts["duplicated"] += copies - 1
        if self._held is None and self.rng.random() < self.reorder:
            self._held = data  # goes out after the next datagram
            self.counts["reordered"] += 1
            return
        for _ in range(copies):
            self.board_side.sendto(data, self.board)
        if self._held is not None:
            self.board_side.sendto(self._held, self.board)
            self._held = None

    def _run(self) -> None:
        while not self._stop.is_set():
            ready = select.select([self.ground_side, self.board_side], [], [], 0.05)[0]
            if not ready and self._held is not None:  # nothing followed it: let it go late
                self.board_side.sendto(self._held, self.board)
                self._held = None
            for sock in ready:
                data, sender = sock.recvfrom(65535)
                if sock is self.ground_side:
                    self.ground = sender
                    self._up(data)
                elif self.ground is not None:
                    self.ground_side.sendto(data, self.ground)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.ground_side.close()
        self.board_side.close()


@pytest.fixture(scope="module")
def flight(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlightRun]:
    data = tmp_path_factory.mktemp("radio")
    run = start_flight(data, "--mission", "radio", "--link", f"udp:127.0.0.1:0?{BOARD_OPTIONS}")
    yield run
    if run.process.poll() is None:
        run.stop()
    run.stop(signal.SIGKILL)


def _session(flight: FlightRun, url: str) -> Session:
    return open_session("radio", link_url=url, data_dir=flight.log.parent)


def _hk(session: Session, app_name: str, sid: int, item: str) -> int:
    app = tc.resolve_app(session.dictionary, app_name)
    outcome = session.client.execute(tc.hk_report_request(app, [sid]), timeout=5, reply=(3, 25))
    report = outcome.reply(3, 25)
    assert report is not None
    return int(report.values[item])


def _sample_cmd_count(session: Session) -> int:
    return _hk(session, "sample", 1, "cmd_count")


def _replays_refused(session: Session) -> int:
    return _hk(session, "core", 2, "auth_replayed")  # LINK_HK


def _farm(session: Session, item: str) -> int:
    return _hk(session, "core", 3, item)  # FRAME_HK


def test_ping_and_a_command_complete_over_the_framed_link(flight: FlightRun) -> None:
    assert split_framing(flight.urls[0])[1] is not None
    session = _session(flight, flight.urls[0])
    try:
        core = tc.resolve_app(session.dictionary, "core")
        ping = session.client.execute(tc.ping_request(core), timeout=5, reply=(17, 2))
        assert [r.tm.subtype for r in ping.reports] == [1, 3, 7]
        request = tc.function_request(session.dictionary, "sample.SET_GAIN", {"gain": "3"})
        assert session.client.execute(request, timeout=5).reports[-1].tm.subtype == 7
        assert isinstance(session.link, FramedGroundLink)
        assert session.link.counters.retransmissions == 0
    finally:
        session.close()


@pytest.mark.parametrize(("loss", "seed"), [(0.0, 1), (0.1, 2), (0.3, 3)])
def test_commands_execute_once_and_in_order_through_a_bad_channel(
    flight: FlightRun, loss: float, seed: int
) -> None:
    port = int(flight.urls[0].split("?")[0].rsplit(":", 1)[1])
    relay = Relay(("127.0.0.1", port), seed, loss)
    url = f"udp:127.0.0.1:{relay.port}?{BOARD_OPTIONS}&t1=0.3&limit=20"
    session = _session(flight, url)
    try:
        link = session.link
        assert isinstance(link, FramedGroundLink)
        before = _sample_cmd_count(session)
        replays_before = _replays_refused(session)
        refused_before = _farm(session, "farm_duplicates") + _farm(session, "farm_ahead")
        started = time.monotonic()
        packets = []
        for n in range(N_COMMANDS):
            gain = {"gain": str(n % 16 + 1)}
            request = tc.function_request(session.dictionary, "sample.SET_GAIN", gain)
            packets.append(session.client.pack(request))
            session.client.send_packet(packets[-1], request.label)
        wanted = [p[2:4] for p in packets]  # packet sequence words: the request IDs' tails
        completed: list[bytes] = []

        def done(received: list[Decoded]) -> bool:
            return len(completed) >= N_COMMANDS

        def on_tm(decoded: Decoded) -> None:
            if (decoded.tm.service, decoded.tm.subtype) == (1, 7):
                completed.append(bytes.fromhex(str(decoded.values["request_id"]))[2:4])

        session.client.listeners.append(on_tm)
        session.client.collect(30, until=done)
        elapsed = time.monotonic() - started
        assert completed == wanted  # every command completed, once, in the order sent
        # the housekeeping request that reads the counter counts itself too
        assert _sample_cmd_count(session) - before == N_COMMANDS + 1
        # duplicates stopped at FARM-1: none reached the guard's anti-replay check, and
        # FRAME_HK counts every copy it refused (a second copy is behind V(R) or ahead of it)
        assert _replays_refused(session) == replays_before
        refused = _farm(session, "farm_duplicates") + _farm(session, "farm_ahead")
        assert refused - refused_before >= relay.counts["duplicated"]
        c = link.counters
        print(
            f"\nloss {loss:.0%} dup 10% reorder 10%: {N_COMMANDS} commands in {elapsed:.2f} s, "
            f"{c.ad_frames} AD frames, {c.retransmissions} retransmissions, "
            f"{c.retransmit_flags} CLCWs asking for retransmission, relay {relay.counts}"
        )
        assert c.alerts == 0
        # every lost datagram had to go again (Unlock and Set V(R) each went once at least)
        assert c.frames_out - c.ad_frames - 2 >= relay.counts["lost"]
        assert not relay.counts["lost"] or c.retransmissions > 0
    finally:
        session.close()
        relay.close()


def test_a_lockout_is_reported_and_cleared_by_unlock(flight: FlightRun) -> None:
    session = _session(flight, flight.urls[0])
    try:
        link = session.link
        assert isinstance(link, FramedGroundLink)
        core = tc.resolve_app(session.dictionary, "core")
        session.client.execute(tc.ping_request(core), timeout=5, reply=(17, 2))
        outside = (link.fop.vs + 128) % 256  # outside both halves of the FARM window
        link.transmit_frame(TcFrame(0x1AB, 0, outside, b"\x00" * 16))
        deadline = time.monotonic() + 3
        while not link.counters.lockouts_seen and time.monotonic() < deadline:
            link.receive(time.monotonic() + 0.05)
        assert link.clcw is not None
        assert link.clcw.lockout
        assert link.counters.alerts == 1
        # a bare Unlock from anyone else is refused: the radio mission authenticates them
        board = ("127.0.0.1", int(flight.urls[0].split("?")[0].rsplit(":", 1)[1]))
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as forger:
            forger.sendto(cltu_encode(TcFrame.unlock(0x1AB, 0).pack()), board)
        deadline = time.monotonic() + 1.5  # an idle frame (idle=1 s) brings the CLCW again
        while time.monotonic() < deadline:
            link.receive(time.monotonic() + 0.05)
        assert link.clcw.lockout
        session.client.execute(tc.ping_request(core), timeout=5, reply=(17, 2))
        assert link.clcw is not None
        assert not link.clcw.lockout
        assert link.counters.initiations == 2
        # the board's own account: the lockout counted, the CLCW clear again
        assert _farm(session, "framed_links") == 1
        assert _farm(session, "farm_lockouts") >= 1
        assert _farm(session, "lockout") == 0
        assert _farm(session, "report_value") == link.clcw.report_value
        assert _farm(session, "unauthenticated") >= 1
    finally:
        session.close()


def test_the_framed_link_runs_on_a_serial_line_too(tmp_path: Path) -> None:
    """CLTUs and ASM-prefixed TM frames over a socat pty pair, authenticated, under COP-1."""
    data = tmp_path / "data"
    data.mkdir()
    with socat_ptys(tmp_path) as (board, ground):
        run = start_flight(data, "--mission", "radio", "--link", f"serial:{board}?{BOARD_OPTIONS}")
        session = open_session("radio", link_url=f"serial:{ground}?{BOARD_OPTIONS}", data_dir=data)
        try:
            (url,) = run.urls
            assert url.startswith(f"serial:{board}@115200?framing=cop1&scid=0x1ab&vcid=0")
            core = tc.resolve_app(session.dictionary, "core")
            ping = session.client.execute(tc.ping_request(core), timeout=5, reply=(17, 2))
            assert [r.tm.subtype for r in ping.reports] == [1, 3, 7]
            before = _sample_cmd_count(session)
            for gain in ("2", "3", "4"):
                request = tc.function_request(session.dictionary, "sample.SET_GAIN", {"gain": gain})
                assert session.client.execute(request, timeout=5).reports[-1].tm.subtype == 7
            assert _sample_cmd_count(session) - before == 3 + 1  # and the request that reads it
            link = session.link
            assert isinstance(link, FramedGroundLink)
            assert link.url == f"serial:{ground}@115200"
            assert (link.counters.alerts, link.counters.bad_frames) == (0, 0)
            assert _farm(session, "framed_links") == 1
            assert _farm(session, "unauthenticated") == 0
        finally:
            session.close()
            run.stop()
