"""The health app on the simulated board: readings in housekeeping, limit events and recovery."""

import math
import struct
from pathlib import Path

import pytest

from flight.apps.health.messages import HEALTH_HK
from hal.health import CpuLoad, LinuxHealth, Memory, Storage
from tests.flight.apps.payload.rig import HEALTH, Rig, event_ids, events, verification

LIMIT_EXCEEDED, LIMIT_RECOVERED, THROTTLING, THROTTLING_ENDED = 12, 13, 14, 15
READ_FAILED, READ_RECOVERED = 16, 17
SOC_TEMPERATURE_MAX = 2


def test_readings_track_into_housekeeping(rig: Rig) -> None:
    health = rig.hardware.sim_health
    health.temperature_c = 52.5
    health.cpu = CpuLoad(1.5, 1.25, 0.75, 0.4)
    health.mem = Memory(total=1 << 30, available=256 << 20)
    health.disk = Storage(total=16 << 30, free=4 << 30)
    health.throttled_raw = 0x40000  # throttled earlier (bit 18), not now
    rig.run(2.0)
    hk = rig.hk(HEALTH, HEALTH_HK)
    assert hk["soc_temperature_c"] == 52.5
    assert (hk["load_1m"], hk["load_5m"], hk["load_15m"]) == (1.5, 1.25, 0.75)
    assert hk["cpu_utilisation"] == pytest.approx(0.4)
    assert (hk["memory_total"], hk["memory_available"]) == (1 << 30, 256 << 20)
    assert hk["memory_used"] == pytest.approx(0.75)
    assert (hk["storage_total"], hk["storage_free"]) == (16 << 30, 4 << 30)
    assert hk["storage_used"] == pytest.approx(0.75)
    assert (hk["throttled"], hk["throttle_flags"]) == (0x40000, 0x40)
    assert (hk["limits_exceeded"], hk["read_errors"]) == (0, 0)
    assert hk["samples"] >= 2


def test_before_the_first_reading_everything_is_unknown(rig: Rig) -> None:
    rig.flight.apps["health"].start()  # as after a restart: no reading yet
    hk = rig.hk(HEALTH, HEALTH_HK)
    assert math.isnan(hk["soc_temperature_c"])
    assert (hk["memory_total"], hk["throttled"]) == (0, 0)


def test_soc_temperature_limit_and_recovery_with_hysteresis(rig: Rig) -> None:
    health = rig.hardware.sim_health
    health.temperature_c = 82.0
    tms = rig.run(2.0)
    assert events(tms, HEALTH) == [(LIMIT_EXCEEDED, struct.pack(">Bf", 0, 82.0))]
    assert rig.hk(HEALTH, HEALTH_HK)["limits_exceeded"] == 1
    assert event_ids(rig.run(3.0), HEALTH) == []  # reported once, not every second
    health.temperature_c = 72.0  # below 75, not below 75 - 5
    assert event_ids(rig.run(2.0), HEALTH) == []
    health.temperature_c = 65.0
    assert events(rig.run(2.0), HEALTH) == [(LIMIT_RECOVERED, struct.pack(">Bf", 0, 65.0))]
    assert rig.hk(HEALTH, HEALTH_HK)["limits_exceeded"] == 0


@pytest.mark.parametrize(
    ("ident", "stimulus"),
    [
        (1, {"cpu": CpuLoad(3.9, 3.0, 2.0, 0.97)}),
        (2, {"mem": Memory(total=1 << 30, available=50 << 20)}),
        (3, {"disk": Storage(total=100, free=2)}),
    ],
    ids=["cpu", "memory", "storage"],
)
def test_each_limit_raises_its_event(rig: Rig, ident: int, stimulus: dict[str, object]) -> None:
    for name, value in stimulus.items():
        setattr(rig.hardware.sim_health, name, value)
    found = events(rig.run(2.0), HEALTH)
    assert [(eid, aux[0]) for eid, aux in found] == [(LIMIT_EXCEEDED, ident)]
    assert rig.hk(HEALTH, HEALTH_HK)["limits_exceeded"] == 1 << ident


def test_limits_are_parameters(rig: Rig) -> None:
    tms = rig.tc(HEALTH, 20, 3, struct.pack(">BHf", 1, SOC_TEMPERATURE_MAX, 40.0))
    assert verification(tms)[-1] == (7, None)
    found = events(rig.run(2.0), HEALTH)
    assert found == [(LIMIT_EXCEEDED, struct.pack(">Bf", 0, 45.0))]  # SimHealth's 45 degC


def test_throttling_and_under_voltage_and_their_end(rig: Rig) -> None:
    health = rig.hardware.sim_health
    health.throttled_raw = 0x50005  # under-voltage and throttled, now and since boot
    tms = rig.run(2.0)
    assert events(tms, HEALTH) == [(THROTTLING, struct.pack(">I", 0x50005))]
    assert rig.hk(HEALTH, HEALTH_HK)["throttle_flags"] == 0x55
    health.throttled_raw = 0x50000  # over, but it happened
    assert events(rig.run(2.0), HEALTH) == [(THROTTLING_ENDED, struct.pack(">I", 0x50000))]


def test_a_failing_read_is_counted_and_reported_once(rig: Rig, tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "proc").mkdir(parents=True)
    # A real LinuxHealth on a tree without /proc/loadavg: every read is a DataError.
    rig.hardware.health = LinuxHealth(str(root), vcgencmd="", storage_path=str(tmp_path))
    tms = rig.run(3.0)
    assert event_ids(tms, HEALTH) == [READ_FAILED]
    assert rig.hk(HEALTH, HEALTH_HK)["read_errors"] == 3
    (root / "proc" / "loadavg").write_text("0.50 0.40 0.30 1/100 42\n")
    (root / "proc" / "stat").write_text("cpu 100 0 100 800 0 0 0 0 0 0\n")
    (root / "proc" / "meminfo").write_text("MemTotal: 1024 kB\nMemAvailable: 512 kB\n")
    assert event_ids(rig.run(2.0), HEALTH) == [READ_RECOVERED]
    hk = rig.hk(HEALTH, HEALTH_HK)
    assert (hk["load_1m"], hk["memory_total"]) == (0.5, 1 << 20)
    assert math.isnan(hk["soc_temperature_c"])  # no thermal zone in this tree
