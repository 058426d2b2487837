"""Model of a u-blox M8-class GNSS receiver on a UART (NMEA 0183 and UBX).

As ``advance(dt_s)`` moves time, the receiver emits one navigation epoch per output period:
``$GPGGA`` and ``$GPRMC`` sentences, plus UBX-NAV-PVT once the host enables it with
UBX-CFG-MSG (answered with ACK-ACK; other CFG messages get ACK-NAK). Formats follow the u-blox
M8 receiver description (sections 31 and 32); the code is written independently of the
driver's parser.

Quantities: ``fix`` = {lat_deg, lon_deg, alt_m, sats, utc: (year, month, day, hour, minute,
second)}; time of day moves on with model time.
Faults: ``no_fix`` (empty position, quality 0, RMC status V, NAV-PVT fixType 0),
``bad_checksum`` (every message goes out with a wrong checksum).
"""

import struct

from hal.backends.sim.models.base import SimModel

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["GnssModel"]

SECONDS_PER_DAY = 86400
GEOID_SEPARATION_M = 48.0
DEFAULT_FIX = {
    "lat_deg": 47.285233,
    "lon_deg": 8.565265,
    "alt_m": 499.6,
    "sats": 8,
    "utc": (2024, 6, 1, 12, 0, 0),
}


def _fletcher(data: bytes) -> bytes:
    a = b = 0
    for byte in data:
        a = (a + byte) & 0xFF
        b = (b + a) & 0xFF
    return bytes((a, b))


def _ubx(msg_class: int, msg_id: int, payload: bytes, corrupt: bool) -> bytes:
    body = bytes((msg_class, msg_id, len(payload) & 0xFF, len(payload) >> 8)) + payload
    checksum = _fletcher(body)
    if corrupt:
        checksum = bytes((checksum[0] ^ 0xFF, checksum[1]))
    return b"\xb5\x62" + body + checksum


def _nmea(body: str, corrupt: bool) -> bytes:
    checksum = 0
    for char in body.encode():
        checksum ^= char
    if corrupt:
        checksum ^= 0x5A
    return ("$" + body + "*" + f"{checksum:02X}" + "\r\n").encode()


def _ddmm(value: float, degree_digits: int) -> str:
    value = abs(value)
    degrees = int(value)
    minutes = (value - degrees) * 60.0
    text = f"{minutes:08.5f}"
    return "0" * (degree_digits - len(str(degrees))) + str(degrees) + text


class GnssModel(SimModel):
    """Simulated GNSS receiver.

    Args:
        rate_hz: Navigation output rate.
        clock: See SimModel.
    """

    name = "gnss"
    QUANTITIES = (("fix", None),)
    FAULTS = ("no_fix", "bad_checksum")

    def __init__(self, *, rate_hz: float = 1.0, clock: "Callable[[], float] | None" = None) -> None:
        super().__init__(clock=clock)
        self.quantities["fix"] = dict(DEFAULT_FIX)
        self.rate_hz = rate_hz
        self.nav_pvt_rate = 0
        self._tx = bytearray()
        self._rx = bytearray()
        self._epoch_time = self.now()
        self._fix_time = self.now()
        self.epochs = 0

    def set(self, **quantities: object) -> None:
        """Set quantities; ``fix`` merges into the current fix and restarts its UTC clock."""
        fix = quantities.pop("fix", None)
        if fix is not None:
            merged = dict(self.quantities["fix"])  # type: ignore[call-overload]
            merged.update(fix)
            quantities["fix"] = merged
            self._fix_time = self.now()
        super().set(**quantities)

    # --- host side ----------------------------------------------------------------------
    def uart_receive(self, data: bytes) -> None:
        """Bytes from the host: UBX commands are parsed and answered."""
        self._rx.extend(data)
        while len(self._rx) >= 8:
            start = self._rx.find(b"\xb5\x62")
            if start < 0:
                self._rx = self._rx[-1:]
                return
            self._rx = self._rx[start:]
            if len(self._rx) < 8:
                return
            length = self._rx[4] | (self._rx[5] << 8)
            if len(self._rx) < 8 + length:
                return
            frame = bytes(self._rx[: 8 + length])
            self._rx = self._rx[8 + length :]
            if _fletcher(frame[2:-2]) == frame[-2:]:
                self._command(frame[2], frame[3], frame[6:-2])

    def _command(self, msg_class: int, msg_id: int, payload: bytes) -> None:
        ok = msg_class == 0x06 and msg_id == 0x01 and payload[:2] == b"\x01\x07"
        if ok:
            self.nav_pvt_rate = payload[2] if len(payload) >= 3 else 1
        if msg_class == 0x06:
            ack_id = 0x01 if ok else 0x00
            self._tx.extend(_ubx(0x05, ack_id, bytes((msg_class, msg_id)), False))

    def uart_transmit(self, max_bytes: int) -> bytes:
        """Bytes the receiver sent since the last call (at most ``max_bytes``)."""
        self._run_epochs()
        out = bytes(self._tx[:max_bytes])
        self._tx = self._tx[max_bytes:]
        return out

    # --- output -------------------------------------------------------------------------
    def _on_advance(self) -> None:
        self._run_epochs()

    def _run_epochs(self) -> None:
        period = 1.0 / self.rate_hz
        while self.now() - self._epoch_time >= period:
            self._epoch_time += period
            self._emit(self._epoch_time)

    def _utc(self, at: float) -> "tuple[int, int, int, int, int, float]":
        fix = self.quantities["fix"]
        year, month, day, hour, minute, second = fix["utc"]  # type: ignore[index]
        seconds = (hour * 3600 + minute * 60 + second + (at - self._fix_time)) % SECONDS_PER_DAY
        return (
            year,
            month,
            day,
            int(seconds // 3600),
            int(seconds % 3600 // 60),
            seconds % 60,
        )

    def _emit(self, at: float) -> None:
        self.epochs += 1
        fix = self.quantities["fix"]
        corrupt = "bad_checksum" in self.faults
        no_fix = "no_fix" in self.faults
        year, month, day, hour, minute, second = self._utc(at)
        hhmmss = f"{hour:02d}{minute:02d}{second:05.2f}"
        lat = float(fix["lat_deg"])  # type: ignore[index]
        lon = float(fix["lon_deg"])  # type: ignore[index]
        alt = float(fix["alt_m"])  # type: ignore[index]
        sats = int(fix["sats"])  # type: ignore[index]
        if no_fix:
            gga = f"GPGGA,{hhmmss},,,,,0,00,99.99,,,,,,"
            rmc = f"GPRMC,{hhmmss},V,,,,,,,{day:02d}{month:02d}{year % 100:02d},,,N"
        else:
            position = (
                f"{_ddmm(lat, 2)},{'N' if lat >= 0 else 'S'},"
                f"{_ddmm(lon, 3)},{'E' if lon >= 0 else 'W'}"
            )
            gga = (
                f"GPGGA,{hhmmss},{position},1,{sats:02d},1.01,{alt:.1f},M,"
                f"{GEOID_SEPARATION_M:.1f},M,,"
            )
            rmc = (
                f"GPRMC,{hhmmss},A,{position},0.004,77.52,{day:02d}{month:02d}{year % 100:02d},,,A"
            )
        self._tx.extend(_nmea(gga, corrupt))
        self._tx.extend(_nmea(rmc, corrupt))
        if self.nav_pvt_rate and self.epochs % self.nav_pvt_rate == 0:
            self._tx.extend(_ubx(0x01, 0x07, self._nav_pvt(at, no_fix), corrupt))

    def _nav_pvt(self, at: float, no_fix: bool) -> bytes:
        fix = self.quantities["fix"]
        year, month, day, hour, minute, second = self._utc(at)
        whole = int(second)
        payload = bytearray(92)
        hmsl_mm = round(float(fix["alt_m"]) * 1000)  # type: ignore[index]
        struct.pack_into(
            "<IHBBBBBBIiBBBB",
            payload,
            0,
            int(at * 1000) & 0xFFFFFFFF,
            year,
            month,
            day,
            hour,
            minute,
            whole,
            0x07,  # validDate, validTime, fullyResolved
            50,
            round((second - whole) * 1e9),
            0 if no_fix else 3,
            0 if no_fix else 0x01,  # gnssFixOK
            0,
            0 if no_fix else int(fix["sats"]),  # type: ignore[index]
        )
        if not no_fix:
            struct.pack_into(
                "<iiii",
                payload,
                24,
                round(float(fix["lon_deg"]) * 1e7),  # type: ignore[index]
                round(float(fix["lat_deg"]) * 1e7),  # type: ignore[index]
                hmsl_mm + round(GEOID_SEPARATION_M * 1000),
                hmsl_mm,
            )
        return bytes(payload)
