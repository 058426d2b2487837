"""Every driver against its model inside real MicroPython, and mpy-cross on the portable code."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.micropython import run_micropython, unavailable_reason

ROOT = Path(__file__).resolve().parents[3]
PORTABLE = sorted(
    [
        ROOT / "hal" / "regmap.py",
        *(ROOT / "hal" / "chips").glob("*.py"),
        *(ROOT / "hal" / "backends" / "sim" / "models").glob("*.py"),
    ]
)

SCRIPT = """
from hal.backends.sim.clock import SimClock
from hal.backends.sim.i2c import SimI2CBus
from hal.backends.sim.spi import SimSpiBus
from hal.backends.sim.uart import SimUart
from hal.backends.sim.models import (
    Bme280Model, FramModel, GnssModel, Ina219Model, Lsm6dsoxModel, Mcp3008Model, Tmp117Model,
)
from hal.chips import Bme280, Fram, Gnss, Ina219, Lsm6dsox, Mcp3008, PersistentCounter, Tmp117
from hal.chips.bme280 import Bme280Calibration, compensate_temperature, compensate_pressure_int64
from hal.errors import BusTimeout, DeviceNotFound

clock = SimClock()
def sleep(dt):
    clock.sleep(max(dt, 1e-6))
t = {"clock": clock.now, "sleep": sleep}
i2c = SimI2CBus("sim:i2c1", clock=clock)

cal = Bme280Calibration(dig_T1=27504, dig_T2=26435, dig_T3=-1000, dig_P1=36477, dig_P2=-10685,
    dig_P3=3024, dig_P4=2855, dig_P5=140, dig_P6=-7, dig_P7=15500, dig_P8=-14600, dig_P9=6000)
centi, t_fine = compensate_temperature(cal, 519888)
print("KAT", centi, t_fine, compensate_pressure_int64(cal, 415148, t_fine))

bme = Bme280Model(); i2c.attach(bme)
bme.set(temperature_c=21.37, pressure_pa=98765.4, humidity_pct=55.5)
s = Bme280(i2c, **t); s.configure(temperature_os=16, pressure_os=16, humidity_os=16)
r = s.measure()
print("BME280", r.temperature_c, round(r.pressure_pa, 1), round(r.humidity_pct, 2))

ina = Ina219Model(); i2c.attach(ina)
ina.set(bus_voltage_v=12.0, current_a=1.5)
r = Ina219(i2c, **t).read()
print("INA219", round(r.bus_voltage_v, 3), round(r.current_a, 4), round(r.power_w, 3))

tmp = Tmp117Model(); i2c.attach(tmp)
tmp.set(temperature_c=-25.0)
print("TMP117", Tmp117(i2c, **t).temperature_c())

imu = Lsm6dsoxModel(); i2c.attach(imu)
imu.set(accel_mps2=(0.0, 0.0, 9.80665), gyro_dps=(100.0, 0.0, 0.0))
d = Lsm6dsox(i2c, **t); d.configure(accel_g=2, gyro_dps=250)
print("LSM6DSOX", d.raw_acceleration()[2], d.raw_angular_rate()[0])

fram = FramModel(); i2c.attach(fram); i2c.attach(fram.id_port())
counter = PersistentCounter(Fram(i2c))
counter.increment(); counter.increment()
fram.inject("torn_write", 3)
counter.increment()
print("FRAM", PersistentCounter(Fram(i2c)).value())

spi = SimSpiBus("sim:spi0", clock=clock)
adc = Mcp3008Model(vref_v=1.024); spi.attach(adc, cs=0)
adc.set(channel_volts={3: 0.5})
print("MCP3008", Mcp3008(spi.device(0), vref_v=1.024).raw(3))

gnss_model = GnssModel()
gnss = Gnss(SimUart("sim:uart0", gnss_model, clock=clock), clock=clock.now)
gnss_model.set(fix={"lat_deg": -33.8568, "lon_deg": 151.2153, "alt_m": 12.5, "sats": 11})
fix = gnss.read_fix(2.0)
print("GNSS", round(fix.lat_deg, 6), round(fix.lon_deg, 6), fix.alt_m, fix.sats)

try:
    Tmp117(i2c, address=0x49, **t)
except Exception as exc:
    print("NOTFOUND", type(exc).__name__)
"""

EXPECTED = [
    "KAT 2508 128422 25767233",
    "BME280 21.37 98765.4 55.5",  # within the tolerances the CPython tests use
    "INA219 12.0 1.5 18.0",
    "TMP117 -25.0",
    "LSM6DSOX 16393 11429",
    "FRAM 2",
    "MCP3008 500",
    "GNSS -33.8568 151.2153 12.5 11",
    "NOTFOUND NackError",
]


@pytest.mark.skipif(unavailable_reason() is not None, reason=str(unavailable_reason()))
def test_drivers_against_models_in_micropython() -> None:
    result = run_micropython(SCRIPT, mounts={"/lib/hal": ROOT / "hal"}, timeout=60)
    assert result.ok, result.stderr
    lines = result.stdout.split("\n")
    for expected in EXPECTED:
        tag = expected.split()[0]
        got = next((line for line in lines if line.startswith(tag + " ")), None)
        assert got is not None, f"{tag} missing from:\n{result.stdout}"
        if tag == "BME280":
            values = [float(v) for v in got.split()[1:]]
            assert values == pytest.approx([21.37, 98765.4, 55.5], abs=0.5)
        else:
            assert got == expected


def _mpy_cross() -> list[str] | None:
    exe = shutil.which("mpy-cross", path=str(Path(sys.executable).parent))
    if exe:
        return [exe]
    probe = subprocess.run(
        [sys.executable, "-m", "mpy_cross", "--version"],
        capture_output=True,
        check=False,
        timeout=30,
    )
    return [sys.executable, "-m", "mpy_cross"] if probe.returncode == 0 else None


@pytest.mark.parametrize("source", PORTABLE, ids=lambda p: str(p.relative_to(ROOT)))
def test_mpy_cross_compiles(source: Path, tmp_path: Path) -> None:
    command = _mpy_cross()
    if command is None:
        pytest.skip("mpy-cross is not installed")
    out = tmp_path / (source.stem + ".mpy")
    result = subprocess.run(
        [*command, "-o", str(out), str(source)],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 0
