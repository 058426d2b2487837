"""LinuxPwm against a sysfs tree in tmp_path (sysfs attributes are plain files to write)."""

from pathlib import Path

import pytest

from hal.backends.linux.pwm import LinuxPwm
from hal.errors import BusTimeout, ConfigError


def make_chip(root: Path, *, exported: bool) -> Path:
    chip = root / "sys/class/pwm/pwmchip0"
    chip.mkdir(parents=True)
    (chip / "export").write_text("")
    if exported:
        channel = chip / "pwm1"
        channel.mkdir()
        for name, value in (("period", "0"), ("duty_cycle", "0"), ("enable", "0")):
            (channel / name).write_text(value)
    return chip


def test_configure_writes_nanoseconds(tmp_path: Path) -> None:
    chip = make_chip(tmp_path, exported=True)
    pwm = LinuxPwm("/sys/class/pwm/pwmchip0", 1, root=str(tmp_path))
    pwm.configure(frequency_hz=50, duty_cycle=0.075)
    pwm.enable()
    assert (chip / "pwm1/period").read_text() == "20000000"
    assert (chip / "pwm1/duty_cycle").read_text() == "1500000"
    assert (chip / "pwm1/enable").read_text() == "1"
    pwm.disable()
    assert (chip / "pwm1/enable").read_text() == "0"
    with pytest.raises(ConfigError):
        pwm.configure(frequency_hz=50, duty_cycle=1.2)


def test_unexported_channel_is_exported_and_waited_for(tmp_path: Path) -> None:
    chip = make_chip(tmp_path, exported=False)
    # No kernel here to create pwm1/ on export, so the wait must end in BusTimeout.
    with pytest.raises(BusTimeout):
        LinuxPwm("/sys/class/pwm/pwmchip0", 1, root=str(tmp_path))
    assert (chip / "export").read_text() == "1"


def test_missing_chip_is_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        LinuxPwm("/sys/class/pwm/pwmchip9", 0, root=str(tmp_path))
