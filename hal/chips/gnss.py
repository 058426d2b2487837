"""UART GNSS receiver: NMEA 0183 GGA/RMC and u-blox UBX (NAV-PVT), with checksums.

NMEA sentences are ``$<fields>*<hh>\\r\\n`` with an XOR checksum over the characters between
``$`` and ``*`` (NMEA 0183, u-blox M8 receiver description section 31.2). UBX frames are
``B5 62 class id length(le16) payload ck_a ck_b`` with the 8-bit Fletcher checksum over class
to payload (section 32.4). NAV-PVT (0x01 0x07) is 92 bytes (section 32.17.15).

The stream parser keeps a bounded buffer: junk and over-long lines are dropped and counted,
never grown without limit; a message whose checksum fails is consumed and reported as
DataError by :meth:`Gnss.read_message`, so the next call continues with the next message.
"""

import struct

from hal.deadline import Deadline
from hal.errors import BusTimeout, DataError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Protocol

    class Uart(Protocol):
        """The part of the UART interface the driver uses."""

        def write(self, data: bytes) -> int:
            """Send bytes."""

        def read(self, size: int, timeout_s: float) -> bytes:
            """Up to ``size`` bytes, fewer when the timeout passes."""


__all__ = [
    "Gnss",
    "NavPvt",
    "NmeaGga",
    "NmeaRmc",
    "decode_nav_pvt",
    "nmea_checksum",
    "parse_nmea",
    "ubx_checksum",
    "ubx_frame",
]

UBX_SYNC = b"\xb5\x62"
UBX_HEADER = 6
UBX_MAX_PAYLOAD = 512
NAV_PVT = (0x01, 0x07)
NAV_PVT_LENGTH = 92
CFG_MSG = (0x06, 0x01)
ACK_ACK = (0x05, 0x01)
ACK_NAK = (0x05, 0x00)
NMEA_MAX_LINE = 82  # NMEA 0183: at most 82 characters including $ and CR LF
BUFFER_LIMIT = 1024
_READ_CHUNK = 256
_NAV_PVT_FORMAT = "<IHBBBBBBIiBBBBiiiiIIiiiiiIIH"
_GNSS_FIX_OK = 0x01


def nmea_checksum(body: bytes) -> int:
    """XOR of the characters between ``$`` and ``*``."""
    value = 0
    for byte in body:
        value ^= byte
    return value


def ubx_checksum(data: bytes) -> "tuple[int, int]":
    """8-bit Fletcher checksum (CK_A, CK_B) over class, id, length and payload."""
    ck_a = ck_b = 0
    for byte in data:
        ck_a = (ck_a + byte) & 0xFF
        ck_b = (ck_b + ck_a) & 0xFF
    return ck_a, ck_b


def ubx_frame(msg_class: int, msg_id: int, payload: bytes = b"") -> bytes:
    """Build a complete UBX frame."""
    body = bytes((msg_class, msg_id)) + struct.pack("<H", len(payload)) + bytes(payload)
    return UBX_SYNC + body + bytes(ubx_checksum(body))


def _coordinate(value: str, hemisphere: str) -> float | None:
    """ddmm.mmmm / dddmm.mmmm plus N/S/E/W -> signed degrees."""
    if not value:
        return None
    dot = value.find(".")
    degree_digits = (dot if dot >= 0 else len(value)) - 2
    degrees = float(value[:degree_digits]) + float(value[degree_digits:]) / 60.0
    return -degrees if hemisphere in ("S", "W") else degrees


def _float(value: str) -> float | None:
    return float(value) if value else None


class NmeaGga:
    """GGA: time, position, fix quality, satellites, HDOP, altitude above mean sea level."""

    def __init__(self, fields: "list[str]") -> None:
        self.talker = fields[0][:2]
        self.time_utc = fields[1]
        self.lat_deg = _coordinate(fields[2], fields[3])
        self.lon_deg = _coordinate(fields[4], fields[5])
        self.quality = int(fields[6] or 0)
        self.sats = int(fields[7] or 0)
        self.hdop = _float(fields[8])
        self.alt_m = _float(fields[9])
        self.valid = self.quality > 0


class NmeaRmc:
    """RMC: time, status, position, speed over ground, course, date."""

    def __init__(self, fields: "list[str]") -> None:
        self.talker = fields[0][:2]
        self.time_utc = fields[1]
        self.valid = fields[2] == "A"
        self.lat_deg = _coordinate(fields[3], fields[4])
        self.lon_deg = _coordinate(fields[5], fields[6])
        self.speed_knots = _float(fields[7])
        self.course_deg = _float(fields[8])
        self.date = fields[9]


_NMEA_TYPES: "dict[str, tuple[type[NmeaGga] | type[NmeaRmc], int]]" = {
    "GGA": (NmeaGga, 15),
    "RMC": (NmeaRmc, 12),
}


def parse_nmea(line: bytes) -> "NmeaGga | NmeaRmc | None":
    """Parse one sentence (with or without CR LF); None for sentence types not handled.

    Raises:
        DataError: Missing or wrong checksum, or fields that do not parse.
    """
    line = bytes(line).rstrip(b"\r\n")
    star = line.rfind(b"*")
    if not line.startswith(b"$") or star < 0 or len(line) - star != 3:
        raise DataError("NMEA sentence without checksum", reason="format")
    body = line[1:star]
    try:
        expected = int(line[star + 1 :].decode(), 16)
    except ValueError:
        raise DataError("NMEA checksum is not hex", reason="format") from None
    if nmea_checksum(body) != expected:
        raise DataError("NMEA checksum mismatch", reason="checksum")
    fields = body.decode().split(",")
    kind = _NMEA_TYPES.get(fields[0][2:])
    if kind is None:
        return None
    cls, count = kind
    if len(fields) < count:
        raise DataError("NMEA " + fields[0] + " has too few fields", reason="format")
    try:
        return cls(fields)
    except ValueError:
        raise DataError("NMEA " + fields[0] + " field does not parse", reason="format") from None


class NavPvt:
    """Decoded UBX-NAV-PVT: UTC time, fix type and flags, position in degrees and metres."""

    def __init__(self, values: "tuple[int, ...]") -> None:
        (
            self.itow_ms, self.year, self.month, self.day, self.hour, self.minute, self.second,
            self.valid_flags, self.t_acc_ns, self.nano_ns, self.fix_type, self.flags,
            self.flags2, self.num_sv, lon, lat, height, hmsl, self.h_acc_mm, self.v_acc_mm,
            self.vel_n_mm_s, self.vel_e_mm_s, self.vel_d_mm_s, self.ground_speed_mm_s,
            self.heading_1e5_deg, self.s_acc_mm_s, self.head_acc_1e5_deg, self.p_dop_001,
        ) = values  # fmt: skip
        self.lon_deg = lon * 1e-7
        self.lat_deg = lat * 1e-7
        self.height_m = height / 1000.0
        self.alt_m = hmsl / 1000.0
        self.sats = self.num_sv
        self.valid = bool(self.flags & _GNSS_FIX_OK) and self.fix_type >= 2


def decode_nav_pvt(payload: bytes) -> NavPvt:
    """Decode a NAV-PVT payload.

    Raises:
        DataError: The payload is not 92 bytes.
    """
    if len(payload) != NAV_PVT_LENGTH:
        raise DataError(f"NAV-PVT payload is {len(payload)} bytes, not 92", reason="length")
    return NavPvt(
        struct.unpack(_NAV_PVT_FORMAT, bytes(payload[: struct.calcsize(_NAV_PVT_FORMAT)]))
    )


class UbxMessage:
    """A UBX frame with a valid checksum that is not decoded further (e.g. ACK-ACK)."""

    def __init__(self, msg_class: int, msg_id: int, payload: bytes) -> None:
        self.msg_class = msg_class
        self.msg_id = msg_id
        self.payload = payload


class Gnss:
    """GNSS receiver on a UART.

    Args:
        uart: Serial port (``write``, ``read(size, timeout_s)``).
        clock: Monotonic clock for deadlines (the UART's own reads use theirs).

    Attributes:
        skipped_bytes: Junk bytes dropped between messages.
        rejected: Messages dropped for bad checksums or malformed content.
    """

    def __init__(self, uart: "Uart", *, clock: "Callable[[], float] | None" = None) -> None:
        self.uart = uart
        self._clock = clock
        self._buffer = bytearray()
        self.skipped_bytes = 0
        self.rejected = 0

    def _next_from_buffer(self) -> "object | None":
        """Take one message out of the buffer; None when more bytes are needed."""
        while self._buffer:
            if self._buffer[0] == ord("$"):
                return self._next_nmea()
            if self._buffer[:2] == UBX_SYNC:
                return self._next_ubx()
            if self._buffer[0] == UBX_SYNC[0] and len(self._buffer) == 1:
                return None  # maybe the first half of a UBX sync
            self._drop(1)
        return None

    def _next_nmea(self) -> "object | None":
        end = self._buffer.find(b"\n")
        if end < 0:
            if len(self._buffer) > NMEA_MAX_LINE:
                self._drop(1)  # no line end in reach: the '$' was junk
                return self._next_from_buffer()
            return None
        line = bytes(self._buffer[: end + 1])
        self._buffer = self._buffer[end + 1 :]
        if len(line) > NMEA_MAX_LINE:
            self.rejected += 1
            raise DataError("NMEA sentence longer than 82 characters", reason="length")
        return self._checked(parse_nmea, line)

    def _next_ubx(self) -> "object | None":
        buf = self._buffer
        if len(buf) < UBX_HEADER:
            return None
        length = buf[4] | (buf[5] << 8)
        if length > UBX_MAX_PAYLOAD:
            self._drop(2)  # not a plausible frame: resynchronise after the sync bytes
            return self._next_from_buffer()
        total = UBX_HEADER + length + 2
        if len(buf) < total:
            return None
        frame = bytes(buf[:total])
        self._buffer = buf[total:]
        return self._checked(self._decode_ubx, frame)

    def _drop(self, count: int) -> None:
        self._buffer = self._buffer[count:]
        self.skipped_bytes += count

    def _checked(self, decode: "Callable[[bytes], object]", data: bytes) -> object:
        try:
            message = decode(data)
        except DataError:
            self.rejected += 1
            raise
        # Sentence types we do not decode are consumed silently.
        return message if message is not None else self._next_from_buffer()

    @staticmethod
    def _decode_ubx(frame: bytes) -> object:
        if bytes(ubx_checksum(frame[2:-2])) != frame[-2:]:
            raise DataError("UBX checksum mismatch", reason="checksum")
        msg_class, msg_id, payload = frame[2], frame[3], frame[UBX_HEADER:-2]
        if (msg_class, msg_id) == NAV_PVT:
            return decode_nav_pvt(payload)
        return UbxMessage(msg_class, msg_id, payload)

    def read_message(self, timeout_s: float) -> object:
        """Return the next NmeaGga, NmeaRmc, NavPvt or UbxMessage.

        Raises:
            DataError: The next message had a bad checksum or was malformed (it is consumed).
            BusTimeout: No complete message before the deadline.
        """
        deadline = Deadline(timeout_s, clock=self._clock)
        message = self._next_from_buffer()
        while message is None and not deadline.expired():
            data = self.uart.read(1, deadline.remaining())
            if data:
                data += self.uart.read(_READ_CHUNK, 0.0)
            self._buffer.extend(data)
            if len(self._buffer) > BUFFER_LIMIT:
                self._drop(len(self._buffer) - BUFFER_LIMIT)
            message = self._next_from_buffer()
        if message is None:
            raise BusTimeout("no GNSS message before the deadline")
        return message

    def read_fix(self, timeout_s: float) -> "NmeaGga | NavPvt":
        """Return the next GGA or NAV-PVT, skipping other and corrupted messages (counted).

        Raises:
            BusTimeout: None arrived before the deadline.
        """
        deadline = Deadline(timeout_s, clock=self._clock)
        while not deadline.expired():
            try:
                message = self.read_message(deadline.remaining())
            except DataError:
                continue
            if isinstance(message, (NmeaGga, NavPvt)):
                return message
        raise BusTimeout("no GNSS fix message before the deadline")

    def enable_nav_pvt(self, *, rate: int = 1, timeout_s: float = 1.0) -> None:
        """Enable NAV-PVT on this port with UBX-CFG-MSG and wait for ACK-ACK.

        Raises:
            DataError: The receiver answered ACK-NAK.
            BusTimeout: No acknowledgement before the deadline.
        """
        self.uart.write(ubx_frame(CFG_MSG[0], CFG_MSG[1], bytes((NAV_PVT[0], NAV_PVT[1], rate))))
        deadline = Deadline(timeout_s, clock=self._clock)
        while not deadline.expired():
            try:
                message = self.read_message(deadline.remaining())
            except DataError:
                continue
            if isinstance(message, UbxMessage) and message.payload[:2] == bytes(CFG_MSG):
                if (message.msg_class, message.msg_id) == ACK_ACK:
                    return
                if (message.msg_class, message.msg_id) == ACK_NAK:
                    raise DataError("receiver rejected CFG-MSG", reason="nak")
        raise BusTimeout("no acknowledgement of CFG-MSG before the deadline")
