"""SDLS-style authentication of telecommands (CCSDS 355.0-B baseline): format, window, signer.

On packet links (UDP, TCP, serial) each telecommand travels inside a *secured packet*, itself
a space packet so every link frames it unchanged::

    primary header (6)   version 0, type TC, no secondary header, APID `SECURED_APID`
    security header (6)  SPI u16 (the key ID) | sequence number u32
    telecommand          the PUS-C packet, untouched
    trailer (16)         HMAC-SHA-256 over everything before it, first 16 octets

The MAC covers the primary header too, so the length and APID are bound. `unseal` checks,
in order: APID, length, SPI, MAC (`hmac.compare_digest`), and only then hands out the
sequence number and the telecommand; nothing inside is parsed before the MAC matches.

On framed links (TC transfer frames under COP-1) the security header and trailer sit in the
frame itself, as 355.0-B lays them out: the frame's data field is

    security header (6)  SPI u16 | sequence number u32
    content              a telecommand packet, or a COP-1 control command (Unlock, Set V(R))
    trailer (16)         HMAC-SHA-256 over the frame's primary header (5), the security
                         header and the content, first 16 octets

so the frame's spacecraft and channel IDs, bypass and control flags, length and sequence
number N(S) are bound as well (`seal_frame`, `unseal_frame`). FARM-1 only ever sees frames
whose MAC matched.

`ReplayWindow` is the anti-replay check on the sequence number; the flight side
(`CommandGuard`) persists it before the command runs. `Signer` is the ground's end.
"""

import hashlib
import hmac
import struct
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import IntEnum
from typing import TYPE_CHECKING

from flight.core.persistence import Store

if TYPE_CHECKING:  # frames are imported by the links that use them (see flight.links._LAZY)
    from flight.ccsds.frames import TcFrame

__all__ = [
    "FRAME_HEADER_LENGTH",
    "FRAME_SECURITY_OVERHEAD",
    "MAC_LENGTH",
    "MAX_SEQUENCE",
    "MAX_WINDOW",
    "SECURED_APID",
    "SECURITY_HEADER_LENGTH",
    "SECURITY_OVERHEAD",
    "Rejection",
    "ReplayWindow",
    "Signer",
    "Unsealed",
    "compute_mac",
    "seal",
    "seal_frame",
    "unseal",
    "unseal_frame",
]

SECURED_APID = 0x7FD  # reserved: no app may use it (the mission loader refuses it)
MAC_LENGTH = 16
SECURITY_HEADER_LENGTH = 6
SECURITY_OVERHEAD = 6 + SECURITY_HEADER_LENGTH + MAC_LENGTH
FRAME_SECURITY_OVERHEAD = SECURITY_HEADER_LENGTH + MAC_LENGTH
FRAME_HEADER_LENGTH = 5
MAX_SEQUENCE = 0xFFFFFFFF
MAX_WINDOW = 64
# The shortest sealed content: a COP-1 Unlock is one octet (a telecommand's own checks follow)
_MIN_CONTENT = 1
_PRIMARY = struct.Struct(">HHH")
_SECURITY = struct.Struct(">HI")
_SECURED_ID = 0x1000 | SECURED_APID  # version 0, type TC, no secondary header
_MAX_TC = 0x10000 + 1 - SECURITY_HEADER_LENGTH - MAC_LENGTH  # the envelope's data field limit


class Rejection(IntEnum):
    """Why a unit was refused before reaching the router."""

    TRUNCATED = 1  # shorter than a header, the shortest packet and a MAC
    UNSECURED = 2  # not a secured packet (a plain telecommand, or another APID)
    UNKNOWN_SPI = 3  # no key with that ID
    BAD_MAC = 4  # the MAC does not match
    REPLAY = 5  # sequence number seen before, or below the window
    NOT_DURABLE = 6  # the anti-replay state could not be stored; not executed


@dataclass(frozen=True)
class Unsealed:
    """An authenticated unit: its key ID, sequence number and the telecommand inside."""

    spi: int
    sequence: int
    packet: bytes


def compute_mac(key: bytes, data: bytes | memoryview) -> bytes:
    """HMAC-SHA-256 of `data`, truncated to `MAC_LENGTH` octets."""
    return hmac.new(key, data, hashlib.sha256).digest()[:MAC_LENGTH]


def seal(key: bytes, spi: int, sequence: int, packet: bytes) -> bytes:
    """Wrap `packet` in a secured packet under key `spi` with `sequence`.

    >>> unit = seal(bytes(32), 1, 7, bytes.fromhex("1864c0000006" "2f110100000000"))
    >>> len(unit), unseal(unit, {1: bytes(32)}).sequence
    (41, 7)

    Raises:
        ValueError: SPI, sequence number or packet length out of range.
    """
    _check_ids(spi, sequence)
    if not 1 <= len(packet) <= _MAX_TC:
        raise ValueError(f"a {len(packet)}-octet packet does not fit a secured packet")
    length = SECURITY_HEADER_LENGTH + len(packet) + MAC_LENGTH - 1
    head = _PRIMARY.pack(_SECURED_ID, 0xC000 | (sequence & 0x3FFF), length)
    body = head + _SECURITY.pack(spi, sequence) + packet
    return body + compute_mac(key, body)


def unseal(unit: bytes, keys: Mapping[int, bytes]) -> Unsealed | Rejection:
    """Authenticate one secured packet; return what it carries, or why it is refused.

    `unit` is one whole space packet as the link framed it. Never raises on its content.
    """
    if len(unit) >= 2 and int.from_bytes(unit[0:2], "big") != _SECURED_ID:
        return Rejection.UNSECURED
    if len(unit) < SECURITY_OVERHEAD + _MIN_CONTENT:
        return Rejection.TRUNCATED
    spi, sequence = _SECURITY.unpack_from(unit, 6)
    key = keys.get(spi)
    if key is None:
        return Rejection.UNKNOWN_SPI
    view = memoryview(unit)
    if not hmac.compare_digest(compute_mac(key, view[:-MAC_LENGTH]), view[-MAC_LENGTH:]):
        return Rejection.BAD_MAC
    return Unsealed(spi, sequence, bytes(view[6 + SECURITY_HEADER_LENGTH : -MAC_LENGTH]))


def _check_ids(spi: int, sequence: int) -> None:
    if not 0 <= spi <= 0xFFFF:
        raise ValueError(f"SPI {spi} outside 0..65535")
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise ValueError(f"sequence number {sequence} outside 1..{MAX_SEQUENCE}")


def seal_frame(key: bytes, spi: int, sequence: int, frame: "TcFrame") -> "TcFrame":
    """`frame` with its data field secured under key `spi` with `sequence`.

    >>> from flight.ccsds.frames import TcFrame
    >>> plain = TcFrame(0x1AB, 0, 5, bytes.fromhex("1864c0000006" "2f110100000000"))
    >>> sealed = seal_frame(bytes(32), 1, 9, plain)
    >>> raw = sealed.pack()
    >>> unseal_frame(raw[:5], TcFrame.unpack(raw).data, {1: bytes(32)}).sequence
    9

    Raises:
        ValueError: SPI or sequence number out of range, or a frame too long to secure.
    """
    _check_ids(spi, sequence)
    if not frame.data:
        raise ValueError("an empty frame data field cannot be secured")
    blank = replace(frame, data=bytes(len(frame.data) + FRAME_SECURITY_OVERHEAD))
    header = blank.pack()[:FRAME_HEADER_LENGTH]  # raises ValueError past the frame length
    body = _SECURITY.pack(spi, sequence) + frame.data
    return replace(frame, data=body + compute_mac(key, header + body))


def unseal_frame(header: bytes, data: bytes, keys: Mapping[int, bytes]) -> Unsealed | Rejection:
    """Authenticate a secured TC frame's data field against the frame's primary `header`.

    Returns the SPI, sequence number and content (a telecommand or control command), or why
    the frame is refused. Never raises on its content.
    """
    if len(data) < FRAME_SECURITY_OVERHEAD + _MIN_CONTENT:
        return Rejection.TRUNCATED
    spi, sequence = _SECURITY.unpack_from(data)
    key = keys.get(spi)
    if key is None:
        return Rejection.UNKNOWN_SPI
    view = memoryview(data)
    mac = compute_mac(key, bytes(header[:FRAME_HEADER_LENGTH]) + view[:-MAC_LENGTH])
    if not hmac.compare_digest(mac, view[-MAC_LENGTH:]):
        return Rejection.BAD_MAC
    return Unsealed(spi, sequence, bytes(view[SECURITY_HEADER_LENGTH:-MAC_LENGTH]))


@dataclass(frozen=True)
class ReplayWindow:
    """The anti-replay state of one key: the highest accepted number and which below it were.

    A number is taken when it is above the highest, or inside the window below it and not
    seen yet (telecommands sent on two links may arrive out of order). Bit *i* of `seen`
    stands for ``highest - i``; 0 counts as seen, so numbering starts at 1.

    >>> w = ReplayWindow(4).accept(5)
    >>> [w.allows(n) for n in (1, 2, 4, 5, 6)]
    [False, True, True, False, True]
    """

    size: int = MAX_WINDOW
    highest: int = 0
    seen: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.size <= MAX_WINDOW:
            raise ValueError(f"window size {self.size} outside 1..{MAX_WINDOW}")

    def allows(self, sequence: int) -> bool:
        """Whether `sequence` is new and not below the window."""
        if sequence > self.highest:
            return True
        behind = self.highest - sequence
        return behind < self.size and not (self.seen >> behind) & 1

    def accept(self, sequence: int) -> "ReplayWindow":
        """The state once `sequence` (which `allows`) is taken."""
        mask = (1 << self.size) - 1
        if sequence > self.highest:
            shift = sequence - self.highest
            seen = ((self.seen << shift) | 1) & mask if shift < self.size else 1
            return ReplayWindow(self.size, sequence, seen)
        return ReplayWindow(self.size, self.highest, self.seen | 1 << (self.highest - sequence))


class Signer:
    """The ground's end: seals telecommands under one key with its own sequence numbers.

    The next number is kept in a power-safe store *before* any number is used, a block of
    `reserve` at a time, so a ground that crashes or loses power never signs two commands
    with one number (it skips at most `reserve - 1` after a restart, which the window allows).
    Implements the ground client's `TcEncoder` (`encode`).

    Args:
        spi: the key ID the flight knows this key by.
        key: the key (from a file; see `load_key`).
        store: where the sequence number lives; None keeps it in memory (tests only).
        reserve: numbers reserved per store write.

    >>> signer = Signer(1, bytes(32), None)
    >>> unseal(signer.encode(bytes(7)), {1: bytes(32)}).sequence
    1
    """

    def __init__(self, spi: int, key: bytes, store: Store | None, *, reserve: int = 16) -> None:
        if not 0 <= spi <= 0xFFFF:
            raise ValueError(f"SPI {spi} outside 0..65535")
        self.spi = spi
        self._key = key
        self._store = store
        self._reserve = max(1, reserve)
        saved = store.load() if store is not None else None
        self.next_sequence = int.from_bytes(saved, "big") if saved and len(saved) == 8 else 1
        self._reserved_to = self.next_sequence - 1

    def encode(self, packet: bytes) -> bytes:
        """Seal `packet` with the next sequence number.

        Raises:
            DurabilityError: the sequence number could not be stored; nothing was signed.
            ValueError: the packet does not fit, or the numbers are used up (re-key).
        """
        unit = seal(self._key, self.spi, self._take_sequence(), packet)
        self.next_sequence += 1
        return unit

    def encode_frame(self, frame: "TcFrame") -> "TcFrame":
        """`frame` with its data field secured with the next sequence number.

        Raises:
            DurabilityError: the sequence number could not be stored; nothing was signed.
            ValueError: the frame does not fit, or the numbers are used up (re-key).
        """
        sealed = seal_frame(self._key, self.spi, self._take_sequence(), frame)
        self.next_sequence += 1
        return sealed

    def _take_sequence(self) -> int:
        sequence = self.next_sequence
        if sequence > MAX_SEQUENCE:
            raise ValueError(f"SPI {self.spi} has used every sequence number; install a new key")
        if sequence > self._reserved_to:
            upto = min(sequence + self._reserve - 1, MAX_SEQUENCE)
            if self._store is not None:
                self._store.save((upto + 1).to_bytes(8, "big"))
            self._reserved_to = upto
        return sequence
