"""COP-1 (CCSDS 232.1-B-2): FARM-1 on board, FOP-1 on the ground. Pure state machines.

No threads and no I/O: FARM-1 is fed decoded TC frames and reports a `Clcw`; FOP-1 is fed
directives, FDUs and CLCWs, reads time from an injectable clock, and hands out the frames
to transmit from `poll()`. Sequence numbers are modulo 256 throughout.

FARM-1 (section 6): states Open, Wait and Lockout; a Type-AD frame with N(S) = V(R) is
accepted when buffer space allows; one ahead inside the positive window asks for
retransmission, one behind inside the negative window is a duplicate, one outside both
locks the FARM out until an Unlock. Type-BD frames and the control commands bypass the
checks and count in the FARM-B counter.

FOP-1 (section 5): states Active, Retransmit without/with Wait, Initialising without/with
BC frame, and Initial. It sends up to `window` unacknowledged frames, removes them as CLCWs
acknowledge them, and retransmits every unacknowledged frame when a CLCW asks for it or
when timer T1 expires, up to `transmission_limit` transmissions; then, or on a CLCW it
cannot reconcile (lockout, an N(R) outside its window), it raises an alert and stops.
"""

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from flight.ccsds.frames import Clcw, TcFrame
from flight.core.errors import FlightError

__all__ = ["Cop1Error", "Farm1", "FarmEvent", "FarmState", "Fop1", "FopState"]

MOD = 256


class Cop1Error(FlightError):
    """A FOP-1 directive or request that its current state refuses."""


class FarmState(Enum):
    """FARM-1 states (232.1-B-2, 6.2)."""

    OPEN = 1
    WAIT = 2
    LOCKOUT = 3


class FarmEvent(Enum):
    """What FARM-1 made of a frame (the E-numbers of 232.1-B-2, table 6-1)."""

    ACCEPTED = 1  # E1
    NO_BUFFER = 2  # E2
    AHEAD = 3  # E3: in the positive window, retransmission asked for
    DUPLICATE = 4  # E4: in the negative window
    LOCKOUT = 5  # E5: outside both windows
    BYPASS = 6  # E6
    UNLOCK = 7  # E7
    SET_VR = 8  # E8
    IGNORED = 9  # another virtual channel
    INVALID = 10  # a control frame that holds neither Unlock nor Set V(R)


@dataclass
class Farm1:
    """The receiving end of COP-1 for one virtual channel.

    Args:
        vcid: the virtual channel this FARM serves; other frames are ignored.
        window: the FARM sliding window width W (even, 2..254); the positive and the
            negative window are each W/2.
        buffer_available: whether the next accepted frame has somewhere to go; the owner
            clears it when its buffer fills and calls `buffer_released()` when it drains.
    """

    vcid: int
    window: int = 20
    buffer_available: bool = True
    state: FarmState = FarmState.OPEN
    vr: int = 0
    retransmit: bool = False
    wait: bool = False
    farm_b_counter: int = 0
    counts: dict[FarmEvent, int] = field(default_factory=lambda: dict.fromkeys(FarmEvent, 0))

    def __post_init__(self) -> None:
        if self.window % 2 or not 2 <= self.window <= 254:
            raise ValueError(f"FARM window must be even and in 2..254, got {self.window}")

    @property
    def lockout(self) -> bool:
        """The CLCW lockout flag."""
        return self.state is FarmState.LOCKOUT

    def clcw(self) -> Clcw:
        """The CLCW this FARM reports now."""
        return Clcw(
            vcid=self.vcid,
            lockout=self.lockout,
            wait=self.wait,
            retransmit=self.retransmit,
            report_value=self.vr,
            farm_b_counter=self.farm_b_counter & 3,
        )

    def receive(self, frame: TcFrame) -> FarmEvent:
        """Apply one valid frame; `FarmEvent.ACCEPTED` and `BYPASS` mean deliver its data."""
        event = self.classify(frame)
        self.counts[event] += 1
        if event in {FarmEvent.BYPASS, FarmEvent.UNLOCK, FarmEvent.SET_VR}:
            self.farm_b_counter = (self.farm_b_counter + 1) % MOD
        if event is FarmEvent.ACCEPTED:
            self.vr = (self.vr + 1) % MOD
            self.retransmit = False
        elif event is FarmEvent.NO_BUFFER:
            self.retransmit = True
            self.wait = True
            self.state = FarmState.WAIT
        elif event is FarmEvent.AHEAD:
            self.retransmit = self.retransmit or self.state is FarmState.OPEN
        elif event is FarmEvent.LOCKOUT:
            self.state = FarmState.LOCKOUT
        elif event is FarmEvent.UNLOCK:
            self.retransmit = self.wait = False
            self.state = FarmState.OPEN
        elif event is FarmEvent.SET_VR and self.state is not FarmState.LOCKOUT:
            self.retransmit = self.wait = False
            self.vr = frame.data[2]
            self.state = FarmState.OPEN
        return event

    def buffer_released(self) -> None:
        """E10: the buffer has room again; leaves the Wait state."""
        self.buffer_available = True
        self.wait = False
        if self.state is FarmState.WAIT:
            self.state = FarmState.OPEN

    def classify(self, frame: TcFrame) -> FarmEvent:  # noqa: PLR0911 - one return per event
        """What `receive` would make of `frame` now, without applying it."""
        if frame.vcid != self.vcid:
            return FarmEvent.IGNORED
        if frame.control:
            command = frame.command
            if command is None:
                return FarmEvent.INVALID
            return FarmEvent.UNLOCK if command == 0 else FarmEvent.SET_VR
        if frame.bypass:
            return FarmEvent.BYPASS
        if self.state is FarmState.LOCKOUT:
            # every AD frame is discarded in Lockout; classify it for the counters only
            return FarmEvent.LOCKOUT
        ahead = (frame.seq - self.vr) % MOD
        half = self.window // 2
        if ahead == 0:
            if self.state is FarmState.OPEN and self.buffer_available:
                return FarmEvent.ACCEPTED
            return FarmEvent.NO_BUFFER
        if ahead < half:
            return FarmEvent.AHEAD
        if MOD - ahead <= half:
            return FarmEvent.DUPLICATE
        return FarmEvent.LOCKOUT


class FopState(Enum):
    """FOP-1 states (232.1-B-2, 5.2)."""

    ACTIVE = 1
    RETRANSMIT_WITHOUT_WAIT = 2
    RETRANSMIT_WITH_WAIT = 3
    INITIALISING_WITHOUT_BC = 4
    INITIALISING_WITH_BC = 5
    INITIAL = 6


@dataclass
class _Sent:
    frame: TcFrame
    resend: bool = False


@dataclass
class Fop1:
    """The sending end of COP-1 for one virtual channel.

    Args:
        scid: spacecraft identifier of the frames.
        vcid: the virtual channel.
        clock: seconds from any monotonic origin (a simulated clock in tests).
        window: the FOP sliding window width K: frames sent but not yet acknowledged.
            Keep it below the FARM's positive window.
        t1: timer T1 in seconds.
        transmission_limit: transmissions of a frame before the FOP gives up.
        suspend_on_timeout: at the limit, suspend (timeout type 1) instead of alerting.
    """

    scid: int
    vcid: int
    clock: Callable[[], float]
    window: int = 8
    t1: float = 2.0
    transmission_limit: int = 3
    suspend_on_timeout: bool = False
    state: FopState = FopState.INITIAL
    vs: int = 0
    nnr: int = 0
    transmission_count: int = 0
    alerts: list[str] = field(default_factory=list)
    suspended: FopState | None = None
    _queue: deque[bytes] = field(default_factory=deque)
    _sent: list[_Sent] = field(default_factory=list)
    _outbox: list[TcFrame] = field(default_factory=list)
    _deadline: float | None = None
    _bc: TcFrame | None = None
    _farm_b: int | None = None
    _acked: bool = False

    # ---- directives ----
    def initiate(self, clcw_check: bool = False) -> None:
        """Start the AD service, at once or once a CLCW confirms V(S) (with `clcw_check`)."""
        self._reset()
        if clcw_check:
            self.state = FopState.INITIALISING_WITHOUT_BC
            self._start_timer()
        else:
            self.state = FopState.ACTIVE

    def initiate_with_unlock(self, farm_b_counter: int) -> None:
        """Start the AD service by sending Unlock; `farm_b_counter` is the last one seen."""
        self._reset()
        self._send_bc(TcFrame.unlock(self.scid, self.vcid), farm_b_counter)

    def initiate_with_set_vr(self, value: int, farm_b_counter: int) -> None:
        """Start the AD service by sending Set V(R) := `value`, and set V(S) to it."""
        self._reset()
        self.vs = self.nnr = value % MOD
        self._send_bc(TcFrame.set_vr(self.scid, self.vcid, self.vs), farm_b_counter)

    def terminate(self) -> None:
        """Stop the AD service; queued and unacknowledged FDUs are given up."""
        self._reset()
        self.state = FopState.INITIAL

    def resume(self) -> None:
        """Resume a service suspended at the transmission limit."""
        if self.suspended is None:
            raise Cop1Error("nothing to resume")
        self.state, self.suspended = self.suspended, None
        self.transmission_count = 0
        self._start_timer()

    # ---- requests and reports ----
    def send(self, data: bytes) -> None:
        """Queue one FDU for sequence-controlled (Type-AD) delivery."""
        if self.state is FopState.INITIAL:
            raise Cop1Error("the AD service is not initiated")
        self._queue.append(bytes(data))

    def send_bypass(self, data: bytes) -> TcFrame:
        """Return a Type-BD frame for `data` (expedited, no sequence control)."""
        return TcFrame(self.scid, self.vcid, 0, bytes(data), bypass=True)

    @property
    def pending(self) -> int:
        """FDUs queued or sent and not yet acknowledged."""
        return len(self._queue) + len(self._sent)

    def on_clcw(self, clcw: Clcw) -> None:  # noqa: PLR0911 - one return per table row
        """Apply a CLCW of this virtual channel (232.1-B-2, table 5-1)."""
        if clcw.vcid != self.vcid or self.state is FopState.INITIAL:
            return
        nr = clcw.report_value
        if self.state is FopState.INITIALISING_WITH_BC:
            # until the FARM counts the BC frame, its CLCWs still show the old lockout or V(R)
            accepted = clcw.farm_b_counter != self._farm_b and not clcw.lockout
            if accepted and nr == self.vs and not clcw.retransmit and not clcw.wait:
                self._bc = None
                self._become_active()
            return
        if clcw.lockout:
            self._alert("lockout")
            return
        if (nr - self.nnr) % MOD > (self.vs - self.nnr) % MOD:
            self._alert("N(R) outside the sent window")
            return
        if self.state is FopState.INITIALISING_WITHOUT_BC:
            if nr == self.vs and not clcw.retransmit and not clcw.wait:
                self._become_active()
            return
        self._acknowledge(nr)
        if not clcw.retransmit:
            if clcw.wait:
                self._alert("wait without retransmit")
                return
            self.state = FopState.ACTIVE
            return
        if nr == self.vs:
            self._alert("retransmit with nothing outstanding")
            return
        if clcw.wait:
            self.state = FopState.RETRANSMIT_WITH_WAIT
        elif self.state is not FopState.RETRANSMIT_WITHOUT_WAIT or self._acked:
            self._retransmit()

    def poll(self) -> list[TcFrame]:
        """Check timer T1 and return the frames to transmit now, oldest first."""
        if self._deadline is not None and self.clock() >= self._deadline:
            self._timeout()
        if self.state in {FopState.ACTIVE, FopState.RETRANSMIT_WITHOUT_WAIT}:
            for entry in self._sent:
                if entry.resend:
                    entry.resend = False
                    self._outbox.append(entry.frame)
            while self._queue and len(self._sent) < self.window:
                if self.state is not FopState.ACTIVE:
                    break
                frame = TcFrame(self.scid, self.vcid, self.vs, self._queue.popleft())
                self.vs = (self.vs + 1) % MOD
                if not self._sent:
                    self.transmission_count = 1
                self._sent.append(_Sent(frame))
                self._outbox.append(frame)
                self._start_timer()
        out, self._outbox = self._outbox, []
        return out

    # ---- internals ----
    def _reset(self) -> None:
        self._queue.clear()
        self._sent.clear()
        self._outbox.clear()
        self._deadline = None
        self._bc = None
        self.suspended = None
        self.transmission_count = 0
        self.nnr = self.vs

    def _send_bc(self, frame: TcFrame, farm_b_counter: int) -> None:
        self.state = FopState.INITIALISING_WITH_BC
        self._bc = frame
        self._farm_b = farm_b_counter & 3
        self.transmission_count = 1
        self._outbox.append(frame)
        self._start_timer()

    def _become_active(self) -> None:
        self.state = FopState.ACTIVE
        self._deadline = None
        self.transmission_count = 0

    def _acknowledge(self, nr: int) -> None:
        count = (nr - self.nnr) % MOD
        self._acked = count > 0
        if not count:
            return
        del self._sent[:count]
        self.nnr = nr
        self.transmission_count = 1
        if self._sent:
            self._start_timer()
        else:
            self._deadline = None

    def _retransmit(self) -> None:
        if self.transmission_count >= self.transmission_limit:
            self._limit_reached()
            return
        self.transmission_count += 1
        for entry in self._sent:
            entry.resend = True
        self.state = FopState.RETRANSMIT_WITHOUT_WAIT
        self._start_timer()

    def _timeout(self) -> None:
        if self.transmission_count >= self.transmission_limit:
            self._limit_reached()
        elif self.state is FopState.INITIALISING_WITH_BC and self._bc is not None:
            self.transmission_count += 1
            self._outbox.append(self._bc)
            self._start_timer()
        elif self.state in {FopState.ACTIVE, FopState.RETRANSMIT_WITHOUT_WAIT} and self._sent:
            self._retransmit()
        else:
            self.transmission_count += 1
            self._start_timer()

    def _limit_reached(self) -> None:
        if self.suspend_on_timeout:
            self.suspended = self.state
            self.state = FopState.INITIAL
            self._deadline = None
            return
        self._alert("transmission limit reached")

    def _alert(self, reason: str) -> None:
        self.alerts.append(reason)
        self._reset()
        self.state = FopState.INITIAL

    def _start_timer(self) -> None:
        self._deadline = self.clock() + self.t1
