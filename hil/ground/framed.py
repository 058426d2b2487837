"""The ground's framed link: FOP-1 over CLTUs up, TM frames (CLCW, packets) down.

Each telecommand packet becomes the data field of a Type-AD TC frame, sent CLTU-encoded under
FOP-1 (`flight.links.cop1.Fop1`): up to K frames unacknowledged, retransmitted when timer T1
runs out or when a CLCW asks for it. Every frame goes out through the mission's `TcEncoder`,
which on an authenticating mission puts the SDLS security header and MAC into the frame (over
its header, N(S) included): once per AD frame, so a retransmission is the same octets under the
same sequence number, and afresh for each control (Unlock, Set V(R)) and bypass frame. Every TM
frame that comes back updates FOP-1 with its CLCW and is demultiplexed into packets for the
client.

The AD service is initiated on the first telecommand, and again after an alert (a lockout, the
transmission limit): Unlock goes out (which also tells a UDP board where the ground is), the
first CLCW that answers gives the FARM's V(R), and the FOP initiates with Set V(R) to that value,
becoming Active once a CLCW confirms it. FOP-1 runs inside `send` and `receive`, so a client
waiting for its verification reports keeps the window moving.
"""

import logging
import select
import socket
import time
from collections import deque
from dataclasses import dataclass
from typing import Protocol

import serial

from flight.ccsds import CodecError, split_packets
from flight.ccsds.frames import (
    Clcw,
    TcFrame,
    TmDemultiplexer,
    TmFrame,
    cltu_encode,
    sync_frames,
)
from flight.links.cop1 import Fop1, FopState
from flight.links.framing import FramingConfig
from hil.ground.errors import GroundLinkError
from hil.ground.link import PlainTcEncoder, TcEncoder

__all__ = ["FopCounters", "FrameLine", "FramedGroundLink", "SerialFrameLine", "UdpFrameLine"]

log = logging.getLogger(__name__)

_MAX_DATAGRAM = 65535
_ESTABLISH_TIMEOUT = 5.0  # seconds to get the AD service going before giving up
_WRITE_TIMEOUT_S = 5.0  # a CLTU of the longest frame takes ~0.1 s at 115200 baud


@dataclass
class FopCounters:
    """What the ground's FOP-1 did.

    Attributes:
        frames_out: TC frames transmitted (first transmissions and retransmissions).
        ad_frames: distinct AD frames (telecommand units) transmitted.
        retransmissions: AD frames transmitted again.
        control_frames: Unlock and Set V(R) frames transmitted.
        initiations: times the AD service was (re)initiated.
        alerts: FOP-1 alerts (lockout, transmission limit, an N(R) it could not reconcile).
        lockouts_seen: CLCWs received with the lockout flag set.
        retransmit_flags: CLCWs received with the retransmit flag set.
        tm_frames: TM frames received; bad_frames: those that did not decode.
        duplicate_frames: TM frames with the same virtual channel frame count as the one
            before (duplicated on the way): ignored, so no packet comes twice.
    """

    frames_out: int = 0
    ad_frames: int = 0
    retransmissions: int = 0
    control_frames: int = 0
    initiations: int = 0
    alerts: int = 0
    lockouts_seen: int = 0
    retransmit_flags: int = 0
    tm_frames: int = 0
    bad_frames: int = 0
    duplicate_frames: int = 0


class FrameLine(Protocol):
    """What carries the frames: CLTUs out, TM frames in."""

    url: str

    def send(self, cltu: bytes) -> None:
        """Send one CLTU; raises `GroundLinkError` if the line refuses it."""
        ...

    def fileno(self) -> int:
        """A descriptor that polls readable when TM octets wait."""
        ...

    def read(self) -> list[bytes]:
        """The whole TM frames that arrived (none if nothing did)."""
        ...

    def close(self) -> None:
        """Release the line."""
        ...


class UdpFrameLine:
    """One CLTU per datagram to the board; one TM frame per datagram back.

    Raises:
        GroundLinkError: the socket cannot be created.
    """

    def __init__(self, host: str, port: int) -> None:
        self.url = f"udp:{host}:{port}"
        self._address = (host, port)
        try:
            self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        except OSError as exc:
            raise GroundLinkError(f"cannot open {self.url}: {exc}") from exc

    def send(self, cltu: bytes) -> None:
        """Send one CLTU as a datagram."""
        try:
            self._sock.sendto(cltu, self._address)
        except OSError as exc:
            raise GroundLinkError(f"cannot send to {self.url}: {exc}") from exc

    def fileno(self) -> int:
        """The socket's descriptor."""
        return self._sock.fileno()

    def read(self) -> list[bytes]:
        """Every datagram waiting."""
        frames: list[bytes] = []
        while True:
            try:
                frames.append(self._sock.recv(_MAX_DATAGRAM, socket.MSG_DONTWAIT))
            except (BlockingIOError, InterruptedError):
                return frames
            except ConnectionRefusedError:
                continue  # ICMP from an earlier send: the flight is not up yet
            except OSError as exc:
                raise GroundLinkError(f"cannot receive from {self.url}: {exc}") from exc

    def close(self) -> None:
        """Close the socket."""
        self._sock.close()


class SerialFrameLine:
    """CLTUs written to a serial device; ASM-prefixed TM frames found in what it reads.

    Raises:
        GroundLinkError: the device cannot be opened, or a bad baud rate.
    """

    def __init__(self, device: str, baudrate: int, frame_length: int) -> None:
        self.url = f"serial:{device}@{baudrate}"
        self._frame_length = frame_length
        self._pending = bytearray()
        try:
            self._port = serial.Serial(
                device, baudrate, timeout=0, write_timeout=_WRITE_TIMEOUT_S, exclusive=True
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            raise GroundLinkError(f"cannot open {self.url}: {exc}") from exc

    def send(self, cltu: bytes) -> None:
        """Write one CLTU (waiting up to a few seconds for the line to take it)."""
        try:
            self._port.write(cltu)
        except (serial.SerialException, OSError) as exc:
            raise GroundLinkError(f"cannot write {self.url}: {exc}") from exc

    def fileno(self) -> int:
        """The device's descriptor."""
        return int(self._port.fileno())

    def read(self) -> list[bytes]:
        """The TM frames completed by what the device holds (junk between them is skipped)."""
        try:
            self._pending += self._port.read(_MAX_DATAGRAM)
        except (serial.SerialException, OSError) as exc:
            raise GroundLinkError(f"cannot read {self.url}: {exc}") from exc
        found = sync_frames(self._pending, self._frame_length, check_fecf=True)
        frames = [
            bytes(self._pending[start : start + self._frame_length]) for start in found.offsets
        ]
        del self._pending[: found.consumed]
        return frames

    def close(self) -> None:
        """Close the device."""
        self._port.close()


class FramedGroundLink:
    """The ground end of a ``?framing=cop1`` link (`udp` or `serial`).

    Args:
        line: what carries the frames (`UdpFrameLine`, `SerialFrameLine`).
        config: the link's framing (the same URL options as the board's).
        encoder: the telecommand encoder (the security layer).
    """

    def __init__(
        self, line: FrameLine, config: FramingConfig, encoder: TcEncoder | None = None
    ) -> None:
        self.url = line.url
        self.config = config
        self._line = line
        self._encoder = encoder or PlainTcEncoder()
        self.fop = Fop1(
            config.scid,
            config.vcid,
            time.monotonic,
            window=config.fop_window,
            t1=config.t1,
            transmission_limit=config.limit,
        )
        self.demux = TmDemultiplexer(config.vcid, config.frame_length)
        self.counters = FopCounters()
        self.clcw: Clcw | None = None  # the last CLCW received
        self.sent = 0
        self.received = 0
        self._packets: deque[bytes] = deque()
        self._sent_ad: dict[int, tuple[TcFrame, TcFrame]] = {}  # N(S): (frame, as sent)
        self._last_vc_count: int | None = None
        self._alerts_seen = 0

    # ---- the GroundLink protocol ----
    def send(self, packet: bytes) -> None:
        """Queue one telecommand for sequence-controlled delivery (initiating AD if needed).

        Raises:
            GroundLinkError: the AD service cannot be initiated, or a datagram cannot be sent.
        """
        if self.fop.state is FopState.INITIAL:
            self.establish(time.monotonic() + _ESTABLISH_TIMEOUT)
        self.fop.send(packet)
        self.sent += 1
        self._run_fop()

    def receive(self, deadline: float) -> bytes | None:
        """One telemetry packet, or None at `deadline`; FOP-1 runs meanwhile."""
        while not self._packets:
            if not self._step(deadline):
                return None
        self.received += 1
        return self._packets.popleft()

    def close(self) -> None:
        """Release the line."""
        self._line.close()

    # ---- COP-1 ----
    def establish(self, deadline: float) -> None:
        """Initiate the AD service: Unlock, learn V(R) from the CLCW, Set V(R), await Active.

        Raises:
            GroundLinkError: no CLCW confirms it before `deadline`.
        """
        self.counters.initiations += 1
        self._sent_ad.clear()
        clcw_before = self.clcw
        unlock = TcFrame.unlock(self.config.scid, self.config.vcid)
        next_unlock = 0.0
        answered = None
        while answered is None:
            now = time.monotonic()
            if now >= deadline:
                raise GroundLinkError(f"no CLCW from {self.url}: the AD service did not start")
            if now >= next_unlock:
                self._transmit(unlock)
                next_unlock = now + self.config.t1
            self._step(min(deadline, next_unlock))
            if self.clcw is not None and self.clcw is not clcw_before and not self.clcw.lockout:
                answered = self.clcw
        self.fop.initiate_with_set_vr(answered.report_value, answered.farm_b_counter)
        self._alerts_seen = len(self.fop.alerts)
        self._run_fop()
        while self.fop.state is FopState.INITIALISING_WITH_BC:
            if not self._step(deadline):
                raise GroundLinkError(f"{self.url}: Set V(R) was not confirmed by a CLCW")
        if self.fop.state is not FopState.ACTIVE:
            raise GroundLinkError(f"{self.url}: the AD service did not start: {self.fop.alerts}")

    def flush(self, deadline: float) -> bool:
        """Run FOP-1 until every queued telecommand is acknowledged; False at `deadline`."""
        while self.fop.pending:
            if self.fop.state is FopState.INITIAL or not self._step(deadline):
                return False
        return True

    def transmit_frame(self, frame: TcFrame) -> None:
        """Send one frame outside FOP-1, through the encoder (tests, expert commanding)."""
        self._send(self._encoder.encode_frame(frame))

    def transmit_raw(self, frame: bytes) -> None:
        """Send a frame's octets exactly as given, CLTU-encoded (forged or replayed frames)."""
        self._line.send(cltu_encode(frame))
        self.counters.frames_out += 1

    def _run_fop(self) -> None:
        for frame in self.fop.poll():
            self._transmit(frame)
        if len(self.fop.alerts) > self._alerts_seen:
            for reason in self.fop.alerts[self._alerts_seen :]:
                log.warning("FOP-1 alert on %s: %s", self.url, reason)
            self.counters.alerts += len(self.fop.alerts) - self._alerts_seen
            self._alerts_seen = len(self.fop.alerts)

    def _transmit(self, frame: TcFrame) -> None:
        counters = self.counters
        sent = self._sent_ad.get(frame.seq)
        if frame.bypass:
            counters.control_frames += frame.control
            wire = self._encoder.encode_frame(frame)
        elif sent is not None and sent[0] is frame:
            counters.retransmissions += 1
            wire = sent[1]
        else:
            wire = self._encoder.encode_frame(frame)
            self._sent_ad[frame.seq] = (frame, wire)
            counters.ad_frames += 1
        self._send(wire)

    def _send(self, frame: TcFrame) -> None:
        self.transmit_raw(frame.pack())

    def _step(self, deadline: float) -> bool:
        """Wait for TM frames until T1's next tick or `deadline`; False once it passed."""
        now = time.monotonic()
        if now >= deadline:
            self._run_fop()
            return False
        wait = min(deadline - now, self.config.t1 / 4)
        if select.select([self._line], [], [], wait)[0]:
            for frame in self._line.read():
                self._take(frame)
        self._run_fop()
        return True

    def _take(self, data: bytes) -> None:
        counters = self.counters
        counters.tm_frames += 1
        try:
            frame = TmFrame.unpack(data)
        except CodecError:
            counters.bad_frames += 1
            return
        if frame.vcid != self.config.vcid or frame.scid != self.config.scid:
            return
        if frame.vc_count == self._last_vc_count:
            counters.duplicate_frames += 1
            return
        self._last_vc_count = frame.vc_count
        clcw = frame.clcw
        if clcw is not None:
            self.clcw = clcw
            counters.lockouts_seen += clcw.lockout
            counters.retransmit_flags += clcw.retransmit
            self.fop.on_clcw(clcw)
        result = self.demux.feed(data)
        batch = split_packets(result.packets)
        self._packets.extend(bytes(packet) for packet in batch)
