"""COP-1: FARM-1 by the table of 232.1-B-2, FOP-1 against it over a hostile channel.

The state machine test drives FOP-1 and FARM-1 through a channel that loses, duplicates and
reorders TC frames within each transmission and loses CLCWs, on a simulated clock, and
checks that FARM-1 delivers every FDU exactly once and in order, all of them once the
channel calms down.
"""

import random

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from flight.ccsds.frames import Clcw, TcFrame
from flight.links.cop1 import Farm1, FarmEvent, FarmState, Fop1, FopState


def ad(seq: int, vcid: int = 1) -> TcFrame:
    return TcFrame(scid=7, vcid=vcid, seq=seq % 256, data=bytes([seq % 256]))


def test_farm_accepts_in_sequence_and_sorts_the_rest():
    farm = Farm1(vcid=1, window=10)
    assert farm.receive(ad(0)) is FarmEvent.ACCEPTED
    assert farm.vr == 1
    assert farm.receive(ad(3)) is FarmEvent.AHEAD
    assert farm.clcw().retransmit
    assert farm.receive(ad(0)) is FarmEvent.DUPLICATE
    assert farm.receive(ad(1)) is FarmEvent.ACCEPTED
    assert not farm.clcw().retransmit
    assert farm.receive(ad(2 + 5)) is FarmEvent.LOCKOUT  # beyond the positive window of 5
    assert farm.clcw().lockout
    assert farm.state is FarmState.LOCKOUT
    assert farm.receive(ad(2)) is FarmEvent.LOCKOUT  # everything AD is discarded now
    assert farm.receive(TcFrame.set_vr(7, 1, 9)) is FarmEvent.SET_VR
    assert farm.vr == 2  # Set V(R) is ignored in Lockout
    assert farm.receive(TcFrame.unlock(7, 1)) is FarmEvent.UNLOCK
    assert farm.state is FarmState.OPEN
    assert farm.clcw().farm_b_counter == 2
    assert farm.receive(TcFrame.set_vr(7, 1, 200)) is FarmEvent.SET_VR
    assert farm.clcw() == Clcw(vcid=1, report_value=200, farm_b_counter=3)
    assert farm.receive(ad(1, vcid=2)) is FarmEvent.IGNORED


def test_farm_wait_and_buffer_release():
    farm = Farm1(vcid=1)
    farm.buffer_available = False
    assert farm.receive(ad(0)) is FarmEvent.NO_BUFFER
    clcw = farm.clcw()
    assert clcw.wait
    assert clcw.retransmit
    assert farm.state is FarmState.WAIT
    farm.buffer_released()
    assert farm.state is FarmState.OPEN
    assert not farm.clcw().wait
    assert farm.receive(ad(0)) is FarmEvent.ACCEPTED


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_fop_retransmits_on_timer_then_alerts_at_the_limit():
    clock = Clock()
    fop = Fop1(scid=7, vcid=1, clock=clock, t1=1.0, transmission_limit=3)
    fop.initiate()
    fop.send(b"a")
    assert [f.seq for f in fop.poll()] == [0]
    assert fop.poll() == []
    clock.now = 1.0
    assert [f.seq for f in fop.poll()] == [0]  # second transmission
    clock.now = 2.0
    assert [f.seq for f in fop.poll()] == [0]  # third
    clock.now = 3.0
    assert fop.poll() == []
    assert fop.alerts == ["transmission limit reached"]
    assert fop.state is FopState.INITIAL


def test_fop_retransmits_when_the_clcw_asks_and_stops_on_lockout():
    clock = Clock()
    fop = Fop1(scid=7, vcid=1, clock=clock, transmission_limit=5)
    fop.initiate()
    for data in (b"a", b"b", b"c"):
        fop.send(data)
    assert [f.seq for f in fop.poll()] == [0, 1, 2]
    fop.on_clcw(Clcw(vcid=1, retransmit=True, report_value=1))
    assert fop.state is FopState.RETRANSMIT_WITHOUT_WAIT
    assert [f.seq for f in fop.poll()] == [1, 2]
    fop.on_clcw(Clcw(vcid=1, report_value=3))
    assert fop.state is FopState.ACTIVE
    assert fop.pending == 0
    fop.on_clcw(Clcw(vcid=1, lockout=True, report_value=3))
    assert fop.alerts == ["lockout"]


def test_fop_initiation_with_clcw_check_unlock_and_set_vr():
    clock = Clock()
    farm = Farm1(vcid=1)
    farm.receive(ad(100))  # lockout: V(R) is 0
    fop = Fop1(scid=7, vcid=1, clock=clock)
    fop.initiate_with_unlock(farm.clcw().farm_b_counter)
    (unlock,) = fop.poll()
    fop.on_clcw(farm.clcw())  # still locked out: the FOP waits
    assert fop.state is FopState.INITIALISING_WITH_BC
    farm.receive(TcFrame.unpack(unlock.pack()))
    fop.on_clcw(farm.clcw())
    assert fop.state is FopState.ACTIVE
    assert not fop.alerts
    fop.initiate_with_set_vr(250, farm.clcw().farm_b_counter)
    (set_vr,) = fop.poll()
    farm.receive(set_vr)
    fop.on_clcw(farm.clcw())
    assert fop.state is FopState.ACTIVE
    assert fop.vs == farm.vr == 250
    fop.initiate(clcw_check=True)
    assert fop.state is FopState.INITIALISING_WITHOUT_BC
    fop.on_clcw(farm.clcw())
    assert fop.state is FopState.ACTIVE


class Cop1Machine(RuleBasedStateMachine):
    """FOP-1 and FARM-1 over a lossy, duplicating, reordering uplink and a lossy downlink."""

    def __init__(self) -> None:
        super().__init__()
        self.clock = Clock()
        self.fop = Fop1(scid=7, vcid=1, clock=self.clock, window=8, t1=1.0,
                        transmission_limit=10**6)  # fmt: skip
        self.farm = Farm1(vcid=1, window=20)
        self.fop.initiate()
        self.sent: list[bytes] = []
        self.delivered: list[bytes] = []
        self.rng = random.Random(0)

    def _uplink(self, frames: list[TcFrame], loss: float, dup: float, shuffle: bool) -> None:
        wire = []
        for frame in frames:
            if self.rng.random() >= loss:
                wire.append(frame)
            if self.rng.random() < dup:
                wire.append(frame)
        if shuffle:
            self.rng.shuffle(wire)
        for frame in wire:
            decoded = TcFrame.unpack(frame.pack())
            if self.farm.receive(decoded) is FarmEvent.ACCEPTED:
                self.delivered.append(decoded.data)

    @rule(data=st.binary(min_size=1, max_size=4))
    def send(self, data: bytes) -> None:
        self.fop.send(data)
        self.sent.append(data)

    @rule(seed=st.integers(0, 2**32 - 1), loss=st.sampled_from([0.0, 0.2, 0.5, 1.0]),
          dup=st.sampled_from([0.0, 0.3]), shuffle=st.booleans(),
          clcw_lost=st.booleans(), advance=st.sampled_from([0.0, 0.5, 1.0]))  # fmt: skip
    def step(self, seed, loss, dup, shuffle, clcw_lost, advance) -> None:  # noqa: PLR0917
        self.rng.seed(seed)
        self.clock.now += advance
        self._uplink(self.fop.poll(), loss, dup, shuffle)
        if not clcw_lost:
            self.fop.on_clcw(Clcw.unpack(self.farm.clcw().pack()))

    @precondition(lambda self: self.fop.pending > 0)
    @rule()
    def calm_channel_drains_everything(self) -> None:
        for _ in range(200):
            if not self.fop.pending:
                break
            self.clock.now += 1.0
            self._uplink(self.fop.poll(), 0.0, 0.0, False)
            self.fop.on_clcw(self.farm.clcw())
        assert self.fop.pending == 0
        assert self.delivered == self.sent

    @invariant()
    def in_order_exactly_once(self) -> None:
        assert self.delivered == self.sent[: len(self.delivered)]
        assert not self.fop.alerts
        assert self.farm.state is not FarmState.LOCKOUT


Cop1Machine.TestCase.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)
TestCop1 = Cop1Machine.TestCase
