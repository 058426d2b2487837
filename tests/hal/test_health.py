"""Health readings from a fake /sys and /proc tree built from real-format content."""

import os
from pathlib import Path

import pytest

from hal.errors import DataError
from hal.health import LinuxHealth, SimHealth, decode_throttled

MEMINFO = """MemTotal:        3885396 kB
MemFree:         2401056 kB
MemAvailable:    3302188 kB
Buffers:           54380 kB
"""
STAT_1 = "cpu  10132153 290696 3084719 46828483 16683 0 25195 0 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n"
# 300 more busy jiffies and 700 more idle ones: 30 % utilisation.
STAT_2 = "cpu  10132353 290696 3084819 46829183 16683 0 25195 0 0 0\n"


def make_tree(root: Path, *, throttled: str | None = "50005\n") -> Path:
    (root / "sys/class/thermal/thermal_zone0").mkdir(parents=True)
    (root / "sys/class/thermal/thermal_zone0/temp").write_text("48686\n")
    if throttled is not None:
        fw = root / "sys/devices/platform/soc/soc:firmware"
        fw.mkdir(parents=True)
        (fw / "get_throttled").write_text(throttled)
    (root / "proc").mkdir()
    (root / "proc/loadavg").write_text("0.52 0.58 0.59 1/389 12345\n")
    (root / "proc/stat").write_text(STAT_1)
    (root / "proc/meminfo").write_text(MEMINFO)
    return root


def fake_statvfs(path: str) -> os.statvfs_result:
    # f_bsize, f_frsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree, f_favail, f_flag, f_namemax
    return os.statvfs_result((4096, 4096, 1000, 400, 250, 0, 0, 0, 0, 255))


def test_readings_from_a_fake_tree(tmp_path: Path) -> None:
    health = LinuxHealth(str(make_tree(tmp_path)), vcgencmd="", statvfs=fake_statvfs)
    assert health.soc_temperature_c() == pytest.approx(48.686)
    flags = health.throttled()
    assert flags is not None
    assert flags.under_voltage
    assert flags.throttled
    assert not flags.frequency_capped
    assert flags.under_voltage_occurred
    assert flags.throttled_occurred
    first = health.cpu_load()
    assert (first.load_1m, first.load_15m, first.utilisation) == (0.52, 0.59, None)
    (tmp_path / "proc/stat").write_text(STAT_2)
    assert health.cpu_load().utilisation == pytest.approx(0.3)
    mem = health.memory()
    assert (mem.total, mem.available) == (3885396 * 1024, 3302188 * 1024)
    disk = health.storage()
    assert (disk.total, disk.free, disk.used_fraction) == (4096000, 1024000, 0.75)
    assert health.snapshot().memory == mem


def test_vcgencmd_output_is_preferred(tmp_path: Path) -> None:
    script = tmp_path / "vcgencmd"
    script.write_text("#!/bin/sh\necho throttled=0x80008\n")
    script.chmod(0o755)
    health = LinuxHealth(str(make_tree(tmp_path / "root")), vcgencmd=str(script))
    flags = health.throttled()
    assert flags is not None
    assert flags.raw == 0x80008
    assert flags.soft_temperature_limit
    assert flags.soft_temperature_limit_occurred


def test_missing_sources_and_bad_content(tmp_path: Path) -> None:
    root = make_tree(tmp_path, throttled=None)
    health = LinuxHealth(str(root), vcgencmd="")
    assert health.throttled() is None
    (root / "sys/class/thermal/thermal_zone0/temp").unlink()
    assert health.soc_temperature_c() is None
    (root / "proc/meminfo").write_text("MemTotal: 1 kB\n")
    with pytest.raises(DataError):
        health.memory()


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (1 << 0, "under_voltage"),
        (1 << 1, "frequency_capped"),
        (1 << 2, "throttled"),
        (1 << 3, "soft_temperature_limit"),
        (1 << 16, "under_voltage_occurred"),
        (1 << 17, "frequency_capped_occurred"),
        (1 << 18, "throttled_occurred"),
        (1 << 19, "soft_temperature_limit_occurred"),
    ],
)
def test_each_throttled_bit(raw: int, field: str) -> None:
    flags = decode_throttled(raw)
    set_fields = [
        name for name in flags.__dataclass_fields__ if name != "raw" and getattr(flags, name)
    ]
    assert set_fields == [field]


def test_sim_health_is_settable() -> None:
    sim = SimHealth()
    sim.temperature_c = 85.0
    sim.throttled_raw = 0x1
    snap = sim.snapshot()
    assert snap.soc_temperature_c == 85.0
    assert snap.throttled is not None
    assert snap.throttled.under_voltage


@pytest.mark.skipif(not Path("/proc/meminfo").exists(), reason="no /proc")
def test_this_machine() -> None:
    health = LinuxHealth(vcgencmd="")
    assert health.memory().total > 0
    assert health.storage().total > 0
