"""The payload app flying on the simulated board: stimulus into housekeeping, boots, NOOP."""

import math
import struct
from pathlib import Path

import pytest

from flight.apps.payload import Mode
from flight.apps.payload.messages import PAYLOAD_HK
from tests.flight.apps.payload.rig import (
    PAYLOAD,
    Rig,
    event_ids,
    events,
    flying,
    verification,
)

NOOP, POWER_ON, START_SCIENCE = 0, 2, 4
BOOTED, NOOP_EVENT, MODE_CHANGED, GNSS_FIX_ACQUIRED = 20, 10, 12, 18


def test_starts_off_and_counts_its_boot_in_fram(rig: Rig) -> None:
    values = rig.hk(PAYLOAD, PAYLOAD_HK)
    assert values["mode"] == Mode.OFF
    assert values["boots"] == 1
    assert values["samples"] == 0
    assert values["sensors_ok"] == 0x7F
    assert math.isnan(values["detector_temperature_c"])


def test_noop_is_verified_counted_and_answered(rig: Rig) -> None:
    tms = rig.command(PAYLOAD, NOOP)
    assert verification(tms) == [(1, None), (3, None), (7, None)]
    assert event_ids(tms, PAYLOAD) == [NOOP_EVENT]
    assert rig.hk(PAYLOAD, PAYLOAD_HK)["cmd_count"] == 1


def test_stimulus_tracks_into_housekeeping(rig: Rig) -> None:
    sim = rig.hardware.sim
    assert sim is not None
    sim.model("bme280").set(temperature_c=30.5, pressure_pa=95_000.0, humidity_pct=60.0)
    sim.model("tmp117").set(temperature_c=-5.25)
    sim.model("ina219").set(bus_voltage_v=5.1, current_a=0.2)
    sim.model("lsm6dsox").set(gyro_dps=(10.0, -5.0, 2.0))
    sim.model("mcp3008").set(channel_volts={1: 0.5, 2: 0.6})
    sim.model("gnss").set(fix={"lat_deg": -33.5, "lon_deg": 151.25, "alt_m": 410_000.0})
    rig.command(PAYLOAD, POWER_ON)
    tms = rig.run(3.0)
    assert GNSS_FIX_ACQUIRED in event_ids(tms, PAYLOAD)
    hk = rig.hk(PAYLOAD, PAYLOAD_HK)
    assert hk["mode"] == Mode.STANDBY
    assert hk["air_temperature_c"] == pytest.approx(30.5, abs=0.01)
    assert hk["pressure_pa"] == pytest.approx(95_000.0, abs=2.0)
    assert hk["humidity_pct"] == pytest.approx(60.0, abs=0.1)
    assert hk["detector_temperature_c"] == pytest.approx(-5.25, abs=0.008)
    assert hk["rail_voltage_v"] == pytest.approx(5.1, abs=0.004)
    assert hk["rail_current_a"] == pytest.approx(0.2, abs=0.001)
    rates = (hk["rate_x_rad_s"], hk["rate_y_rad_s"], hk["rate_z_rad_s"])
    expected = (math.radians(10.0), math.radians(-5.0), math.radians(2.0))
    assert rates == pytest.approx(expected, abs=math.radians(0.02))
    assert hk["count_rate_cps"] == pytest.approx(500.0, abs=3.3)  # one ADC code is 3.2 cps
    assert hk["dose_gy"] == pytest.approx(10.0, abs=0.33)
    assert hk["gnss_fix"] == 1
    assert (hk["latitude_deg"], hk["longitude_deg"]) == pytest.approx((-33.5, 151.25), abs=1e-4)
    assert hk["altitude_m"] == pytest.approx(410_000.0, abs=0.1)
    assert hk["samples"] == 4  # one at power-on, then one per second
    assert sum(hk[f"{name}_errors"] for name in ("bme280", "tmp117", "ina219")) == 0

    sim.model("tmp117").set(temperature_c=12.0)
    rig.run(1.0)
    assert rig.hk(PAYLOAD, PAYLOAD_HK)["detector_temperature_c"] == pytest.approx(12.0, abs=0.008)


def test_sample_period_is_a_parameter(rig: Rig) -> None:
    rig.command(PAYLOAD, POWER_ON)
    tms = rig.set_parameter(PAYLOAD, 1, struct.pack(">H", 250))
    assert verification(tms)[-1] == (7, None)
    rig.run(5.0)
    assert rig.hk(PAYLOAD, PAYLOAD_HK)["samples"] == pytest.approx(21, abs=1)


def test_periodic_housekeeping_goes_out_every_five_seconds(rig: Rig) -> None:
    tms = rig.run(20.0)
    reports = [t for t in tms if (t.apid, t.service, t.subtype) == (PAYLOAD, 3, 25)]
    assert len(reports) == 4


def test_a_reboot_counts_on_in_fram(rig: Rig, tmp_path: Path) -> None:
    assert (BOOTED, struct.pack(">I", 1)) in events(rig.startup, PAYLOAD)
    rig.close()  # a power cut: the next flight finds the FRAM as this one left it
    (tmp_path / "reboot").mkdir()
    with flying(tmp_path / "reboot", hardware=rig.hardware) as second:
        assert (BOOTED, struct.pack(">I", 2)) in events(second.startup, PAYLOAD)
        assert second.hk(PAYLOAD, PAYLOAD_HK)["boots"] == 2
