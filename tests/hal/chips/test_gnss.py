"""GNSS driver: NMEA/UBX known-answer vectors and the receiver model on A's SimUart."""

import pytest

from hal.backends.sim.clock import SimClock
from hal.backends.sim.models.gnss import GnssModel
from hal.backends.sim.uart import SimUart
from hal.chips.gnss import (
    Gnss,
    NavPvt,
    NmeaGga,
    NmeaRmc,
    parse_nmea,
    ubx_checksum,
    ubx_frame,
)
from hal.errors import BusTimeout, DataError

# u-blox M8 receiver description (UBX-13003221), NMEA message examples.
UBLOX_GGA = b"$GPGGA,092725.00,4717.11399,N,00833.91590,E,1,08,1.01,499.6,M,48.0,M,,*5B\r\n"
UBLOX_RMC = b"$GPRMC,083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A*57\r\n"
# A u-blox NEO-6M without a fix, as captured at chris.cnie.de/avr/neo-6.html.
NO_FIX_GGA = b"$GPGGA,,,,,,0,00,99.99,,,,,,*48\r\n"


def make(clock: SimClock) -> tuple[GnssModel, SimUart, Gnss]:
    model = GnssModel()
    uart = SimUart("sim:uart0", model, clock=clock)
    return model, uart, Gnss(uart, clock=clock.now)


def test_ublox_gga_example() -> None:
    gga = parse_nmea(UBLOX_GGA)
    assert isinstance(gga, NmeaGga)
    assert gga.lat_deg == pytest.approx(47 + 17.11399 / 60)
    assert gga.lon_deg == pytest.approx(8 + 33.91590 / 60)
    assert (gga.quality, gga.sats, gga.alt_m, gga.hdop) == (1, 8, 499.6, 1.01)


def test_ublox_rmc_example() -> None:
    rmc = parse_nmea(UBLOX_RMC)
    assert isinstance(rmc, NmeaRmc)
    assert rmc.valid
    assert (rmc.date, rmc.speed_knots, rmc.course_deg) == ("091202", 0.004, 77.52)


def test_no_fix_sentence() -> None:
    gga = parse_nmea(NO_FIX_GGA)
    assert isinstance(gga, NmeaGga)
    assert not gga.valid
    assert gga.lat_deg is None


def test_bad_nmea_checksum() -> None:
    with pytest.raises(DataError) as info:
        parse_nmea(UBLOX_GGA.replace(b"*5B", b"*5C"))
    assert info.value.reason == "checksum"


def test_ubx_checksum_known_frame() -> None:
    # UBX-CFG-MSG enabling NAV-PVT at rate 1, a frame widely quoted with checksum 13 51.
    assert ubx_frame(0x06, 0x01, b"\x01\x07\x01") == bytes.fromhex("b562060103000107011351")
    assert ubx_checksum(bytes.fromhex("06010300010701")) == (0x13, 0x51)


def test_reads_model_fix_as_nmea(clock: SimClock) -> None:
    model, _, gnss = make(clock)
    model.set(fix={"lat_deg": -33.8568, "lon_deg": 151.2153, "alt_m": 12.5, "sats": 11})
    fix = gnss.read_fix(timeout_s=2.0)
    assert isinstance(fix, NmeaGga)
    assert fix.lat_deg == pytest.approx(-33.8568, abs=1e-6)
    assert fix.lon_deg == pytest.approx(151.2153, abs=1e-6)
    assert (fix.sats, fix.alt_m) == (11, 12.5)


def test_enable_nav_pvt(clock: SimClock) -> None:
    model, _, gnss = make(clock)
    gnss.enable_nav_pvt(timeout_s=0.5)
    model.set(fix={"lat_deg": 51.5, "lon_deg": -0.1276, "alt_m": 35.0, "sats": 9})
    deadline = clock.now() + 3.0
    message = None
    while clock.now() < deadline and not isinstance(message, NavPvt):
        message = gnss.read_message(timeout_s=2.0)
    assert isinstance(message, NavPvt)
    assert message.valid
    assert (message.lat_deg, message.lon_deg) == pytest.approx((51.5, -0.1276), abs=1e-7)
    assert (message.alt_m, message.num_sv, message.year) == (35.0, 9, 2024)


def test_corrupted_checksum_fault(clock: SimClock) -> None:
    model, _, gnss = make(clock)
    model.inject("bad_checksum")
    with pytest.raises(DataError):
        gnss.read_message(timeout_s=2.0)
    assert gnss.rejected == 1


def test_lost_fix(clock: SimClock) -> None:
    model, _, gnss = make(clock)
    model.inject("no_fix")
    fix = gnss.read_fix(timeout_s=2.0)
    assert not fix.valid


def test_silent_receiver_times_out(clock: SimClock) -> None:
    gnss = Gnss(SimUart("sim:uart1", None, clock=clock), clock=clock.now)
    with pytest.raises(BusTimeout):
        gnss.read_fix(timeout_s=0.5)


def test_junk_is_skipped_and_bounded(clock: SimClock) -> None:
    model, _, gnss = make(clock)
    model._tx.extend(b"\x00\xff garbage $$$" + b"x" * 3000)
    assert isinstance(gnss.read_fix(timeout_s=2.0), NmeaGga)
    assert gnss.skipped_bytes > 0
    assert len(gnss._buffer) <= 1024
