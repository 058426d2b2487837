"""SimPwm records and validates what the driver asks for."""

import pytest

from hal.backends.sim.pwm import SimPwmChip
from hal.errors import ConfigError, NotOpen


def test_configure_enable_disable() -> None:
    chip = SimPwmChip("sim:pwm0", num_channels=2)
    pwm = chip.channel(1)
    with pytest.raises(ConfigError):
        pwm.enable()
    pwm.configure(frequency_hz=1000, duty_cycle=0.25)
    pwm.enable()
    assert (pwm.frequency_hz, pwm.duty_cycle, pwm.enabled) == (1000.0, 0.25, True)
    assert chip.channel(1) is pwm
    pwm.disable()
    assert not pwm.enabled


@pytest.mark.parametrize(("freq", "duty"), [(0, 0.5), (-1, 0.5), (50, 1.5), (50, -0.1)])
def test_out_of_range_is_config_error(freq: float, duty: float) -> None:
    pwm = SimPwmChip().channel(0)
    with pytest.raises(ConfigError):
        pwm.configure(frequency_hz=freq, duty_cycle=duty)


def test_closed_and_bad_channel() -> None:
    chip = SimPwmChip(num_channels=1)
    with pytest.raises(ConfigError):
        chip.channel(1)
    pwm = chip.channel(0)
    pwm.close()
    with pytest.raises(NotOpen):
        pwm.disable()
