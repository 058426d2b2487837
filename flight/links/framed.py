"""The framed link layer: TC frames and FARM-1 up, TM frames with the CLCW down. No I/O.

Selected per link by URL options, e.g. ``udp:127.0.0.1:10030?framing=cop1&scid=0x1AB&vcid=0``
(`flight.links.framing`). Without ``framing=`` a link carries packets as they are.

Up: each received unit is a CLTU (231.0-B, BCH-checked) or, on a datagram link, a bare TC
frame (232.0-B); the frame's FECF is checked, its spacecraft ID must match, and FARM-1
(232.1-B-2) decides: an AD frame is accepted in sequence only, a BD frame bypasses the check,
Unlock and Set V(R) steer the FARM. An accepted frame's data field is one space packet and
goes to `deliver`, i.e. the router.

Down: packets are multiplexed into fixed-length TM frames (132.0-B) on the link's virtual
channel, each carrying the FARM's current CLCW in its OCF; with nothing to send an idle frame
goes out, so the ground always learns the FARM's state. On a stream every frame is prefixed
with the ASM.

On a mission that authenticates telecommands, every frame is secured (SDLS security header
and MAC in the frame, `flight.links.security.seal_frame`) and the mission's guard is the
`authenticator`: FARM-1 sees a frame only once its MAC matched, so a forged frame can neither
run a command nor move V(R) nor unlock the FARM. The frame's sequence number must be new to
the anti-replay window, and is recorded (persisted) only when FARM-1 takes the frame: a
frame FARM-1 discarded (ahead of V(R), in Lockout) can come again, as COP-1 retransmits it.
A retransmission of a frame FARM-1 already took is a duplicate, counted as such and answered
with the CLCW. A frame refused by authentication changes nothing, earns no answer and is
counted (`unauthenticated`, and by reason in the guard's counters and events). Without
authentication frames are taken as they come. Control commands never move a UDP link's
downlink peer.
"""

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Protocol

from flight.ccsds.errors import CodecError, TruncatedError
from flight.ccsds.frames import ASM, Clcw, TcFrame, TmMultiplexer, cltu_decode
from flight.links.base import Deliver, is_one_packet
from flight.links.cop1 import Farm1, FarmEvent
from flight.links.framing import FramingConfig
from flight.links.security import FRAME_HEADER_LENGTH, Unsealed

__all__ = [
    "FrameAuthenticator",
    "FramedCounters",
    "FramedEndpoint",
]

CLTU_START = b"\xeb\x90"
MAX_TC_FRAME = 1024  # the TC frame length field's range (232.0-B)
_FECF_LENGTH = 2
_MAX_STREAM_BACKLOG = 4 * 1024  # octets of a CLTU still incomplete before the stream resyncs
_DELIVERED = {FarmEvent.ACCEPTED, FarmEvent.BYPASS}
_APPLIED = _DELIVERED | {FarmEvent.UNLOCK, FarmEvent.SET_VR}


@dataclass
class FramedCounters:
    """What the framing layer made of the units it received and the frames it sent.

    Attributes:
        frames_in: TC frames that decoded (CLTU and FECF good).
        bad: units whose CLTU or frame did not decode (BCH, FECF, header, length), and
            control frames holding no control command.
        foreign: good frames for another spacecraft or virtual channel.
        accepted: AD frames FARM-1 accepted in sequence.
        bypass: BD frames passed on unchecked.
        control: Unlock and Set V(R) frames applied.
        duplicates: AD frames behind V(R) (already accepted; discarded).
        ahead: AD frames ahead of V(R) (a gap; retransmission asked for).
        lockouts: AD frames outside both windows, or discarded in Lockout.
        no_buffer: AD frames refused in Wait.
        not_one_packet: delivered data fields that were not exactly one packet.
        frames_out: TM frames sent (idle frames included).
        idle_frames: TM frames sent for their CLCW only.
        strangers_unanswered: idle-frame answers withheld from senders other than the peer
            (one per sender per read), over the link's rate limit.
        unauthenticated: frames refused by authentication (no or a bad MAC, an unknown key,
            a replayed sequence number, or one that could not be stored).
    """

    frames_in: int = 0
    bad: int = 0
    foreign: int = 0
    accepted: int = 0
    bypass: int = 0
    control: int = 0
    duplicates: int = 0
    ahead: int = 0
    lockouts: int = 0
    no_buffer: int = 0
    not_one_packet: int = 0
    frames_out: int = 0
    idle_frames: int = 0
    strangers_unanswered: int = 0
    unauthenticated: int = 0

    def as_dict(self) -> dict[str, int]:
        """The counters by name."""
        return asdict(self)


_COUNTER_OF = {
    FarmEvent.ACCEPTED: "accepted",
    FarmEvent.BYPASS: "bypass",
    FarmEvent.UNLOCK: "control",
    FarmEvent.SET_VR: "control",
    FarmEvent.DUPLICATE: "duplicates",
    FarmEvent.AHEAD: "ahead",
    FarmEvent.LOCKOUT: "lockouts",
    FarmEvent.NO_BUFFER: "no_buffer",
    FarmEvent.IGNORED: "foreign",
    FarmEvent.INVALID: "bad",
}


class FrameAuthenticator(Protocol):
    """The security layer of a framed link (the mission's `CommandGuard`)."""

    def open_frame(self, header: bytes, data: bytes) -> Unsealed | None:
        """The frame's content once its MAC matches, else None (counted and reported)."""
        ...

    def is_fresh(self, unsealed: Unsealed) -> bool:
        """Whether the anti-replay window takes the sequence number."""
        ...

    def refuse_replay(self, unsealed: Unsealed) -> None:
        """Count and report a replayed sequence number."""
        ...

    def record(self, unsealed: Unsealed) -> bool:
        """Persist the sequence number as taken; False (counted) if that failed."""
        ...


class FramedEndpoint:
    """The board's end of COP-1 on one link: FARM-1 up, the TM multiplexer down.

    Args:
        config: the link's framing.
        deliver: called with each packet FARM-1 lets through (authenticated already when
            there is an `authenticator`); returns whether it was accepted.
        stream: TM frames are ASM-prefixed (a byte stream) rather than one per datagram.
        clock: monotonic seconds (for the idle rate).
        authenticator: checks every frame's security header and MAC before FARM-1 sees it
            (the mission's guard); None takes frames as they come.
    """

    def __init__(
        self,
        config: FramingConfig,
        deliver: Deliver,
        *,
        stream: bool = False,
        clock: Callable[[], float] | None = None,
        authenticator: FrameAuthenticator | None = None,
    ) -> None:
        self.config = config
        self._authenticator = authenticator
        self.farm = Farm1(config.vcid, config.farm_window)
        self.mux = TmMultiplexer(config.scid, config.vcid, config.frame_length)
        self.counters = FramedCounters()
        self._deliver = deliver
        self._stream = stream
        self._clock = clock or time.monotonic
        self._backlog = bytearray()
        self._reported: Clcw | None = None
        self._last_out = -math.inf

    @property
    def clcw(self) -> Clcw:
        """The CLCW FARM-1 reports now."""
        return self.farm.clcw()

    # ---- up ----
    def take_unit(self, unit: bytes) -> tuple[bool, bool]:
        """One datagram: a CLTU (starts with EB 90) or a bare TC frame.

        Returns:
            (valid, accepted): whether it held a good frame for this link (its sender should
            hear the CLCW), and whether `deliver` accepted the unit inside.
        """
        if unit[:2] == CLTU_START:
            try:
                decoded = cltu_decode(unit)
            except CodecError:
                self.counters.bad += 1
                return False, False
            return self._take_frame(decoded.data)
        return self._take_frame(unit, exact=True)

    def take_stream(self, data: bytes) -> tuple[bool, bool]:
        """Octets from a stream: every complete CLTU in them (and before them) is taken.

        Returns:
            (valid, accepted), either true for any of the CLTUs.
        """
        self._backlog += data
        valid = accepted = False
        while self._backlog:
            try:
                decoded = cltu_decode(bytes(self._backlog))  # no export pins the buffer
            except TruncatedError:
                if len(self._backlog) <= _MAX_STREAM_BACKLOG:
                    break  # the rest of the CLTU is still on its way
                self.counters.bad += 1  # its tail was lost: resynchronise on the next start
                self._skip_start()
                continue
            except CodecError:
                if len(self._backlog) < len(CLTU_START):
                    break  # maybe the first octet of a start sequence
                self.counters.bad += 1  # junk, or a code block that cannot be read
                self._skip_start()
                continue
            del self._backlog[: decoded.end]
            one_valid, one_accepted = self._take_frame(decoded.data)
            valid, accepted = valid or one_valid, accepted or one_accepted
        return valid, accepted

    def reset_stream(self) -> None:
        """Forget a partial CLTU (the line went away)."""
        self._backlog.clear()

    def _skip_start(self) -> None:
        """Drop octets up to the next start sequence (keeping a last 0xEB that may begin one)."""
        start = self._backlog.find(CLTU_START, 1)
        if start < 0:
            start = len(self._backlog) - (self._backlog[-1:] == CLTU_START[:1])
        del self._backlog[:start]

    def _take_frame(self, raw: bytes, *, exact: bool = False) -> tuple[bool, bool]:
        frame = self._decode(raw, exact=exact)
        if frame is None:
            return False, False
        if frame.scid != self.config.scid:
            self.counters.foreign += 1  # as another virtual channel's frame is
            return False, False
        authenticator = self._authenticator
        if authenticator is not None:
            opened = self._open(authenticator, raw[:FRAME_HEADER_LENGTH], frame)
            if opened is None:
                return False, False  # unanswered: a forged frame earns no CLCW
            frame, taken = opened
            if taken is not None:
                return self._retransmitted(authenticator, frame, taken)
        return self._apply(frame)

    def _decode(self, raw: bytes, *, exact: bool) -> TcFrame | None:
        try:
            frame = TcFrame.unpack(raw)
        except CodecError:
            self.counters.bad += 1
            return None
        if exact and len(raw) != FRAME_HEADER_LENGTH + len(frame.data) + _FECF_LENGTH:
            self.counters.bad += 1  # a datagram holds one frame, nothing after it
            return None
        self.counters.frames_in += 1
        return frame

    def _apply(self, frame: TcFrame) -> tuple[bool, bool]:
        """FARM-1 takes `frame`; returns (valid, accepted) as `take_unit` does."""
        counters = self.counters
        event = self.farm.receive(frame)
        name = _COUNTER_OF[event]
        setattr(counters, name, getattr(counters, name) + 1)
        valid = event not in {FarmEvent.IGNORED, FarmEvent.INVALID}
        if event not in _DELIVERED:
            return valid, False
        if not is_one_packet(frame.data):
            counters.not_one_packet += 1
            return True, False
        return True, self._deliver(frame.data)

    def _open(
        self, authenticator: FrameAuthenticator, header: bytes, frame: TcFrame
    ) -> tuple[TcFrame, Unsealed | None] | None:
        """Authenticate `frame`: None if refused; else the frame with its content, and the
        security fields if its sequence number is not fresh (a retransmission, or a replay).
        A fresh number is recorded here when FARM-1 will apply the frame."""
        unsealed = authenticator.open_frame(header, frame.data)
        if unsealed is None:
            self.counters.unauthenticated += 1
            return None
        frame = replace(frame, data=unsealed.packet)
        if not authenticator.is_fresh(unsealed):
            return frame, unsealed
        if self.farm.classify(frame) in _APPLIED and not authenticator.record(unsealed):
            self.counters.unauthenticated += 1
            return None
        return frame, None

    def _retransmitted(
        self, authenticator: FrameAuthenticator, frame: TcFrame, unsealed: Unsealed
    ) -> tuple[bool, bool]:
        """An authentic frame whose sequence number was taken: a COP-1 retransmission of an
        AD frame FARM-1 already took is a duplicate (answered); anything else is a replay."""
        if self.farm.classify(frame) is FarmEvent.DUPLICATE:
            self.farm.receive(frame)
            self.counters.duplicates += 1
            return True, False
        authenticator.refuse_replay(unsealed)
        self.counters.unauthenticated += 1
        return False, False

    # ---- down ----
    def frames(self, packets: bytes = b"") -> list[bytes]:
        """`packets` (whole, back to back) in TM frames with the current CLCW; an idle frame
        when there are none. Every frame is complete: nothing is held back."""
        clcw = self.farm.clcw()
        self.mux.ocf = clcw.to_ocf()
        out = bytes(self.mux.frames(packets, flush=True))
        length = self.config.frame_length
        frames = [out[i : i + length] for i in range(0, len(out), length)]
        self._reported = clcw
        self._last_out = self._clock()
        self.counters.frames_out += len(frames)
        if not packets:
            self.counters.idle_frames += len(frames)
        if self._stream:
            return [ASM + frame for frame in frames]
        return frames

    def idle_due(self) -> bool:
        """Whether an idle frame should go out: the CLCW changed, or the line was quiet."""
        if self._reported != self.farm.clcw():
            return True
        return self._clock() - self._last_out >= self.config.idle_s
