"""Simulated PWM outputs that record what the driver asked for."""

from hal.backends.sim._common import check_open
from hal.errors import ConfigError

__all__ = ["SimPwm", "SimPwmChip"]


class SimPwmChip:
    """A simulated PWM controller with ``num_channels`` channels."""

    def __init__(self, name: str = "sim:pwm", *, num_channels: int = 2) -> None:
        self.name = name
        self.num_channels = num_channels
        self._channels: dict[int, SimPwm] = {}

    def channel(self, index: int) -> "SimPwm":
        """Return channel ``index`` (the same object each time, so tests can inspect it)."""
        if not isinstance(index, int) or not 0 <= index < self.num_channels:
            raise ConfigError(f"PWM channel {index!r} is out of range", bus=self.name)
        if index not in self._channels:
            self._channels[index] = SimPwm(self.name, index)
        ch = self._channels[index]
        ch._closed = False
        return ch


class SimPwm:
    """One PWM channel; implements the Pwm interface.

    Attributes:
        frequency_hz: Configured frequency, or None before configure().
        duty_cycle: Configured duty cycle (0.0-1.0).
        enabled: Whether the output runs.
    """

    def __init__(self, name: str, index: int) -> None:
        self.name = name
        self.index = index
        self.frequency_hz: float | None = None
        self.duty_cycle = 0.0
        self.enabled = False
        self._closed = False

    def configure(self, *, frequency_hz: float, duty_cycle: float) -> None:
        """Set frequency (Hz, > 0) and duty cycle (0.0-1.0)."""
        check_open(self._closed, bus=self.name, address=self.index)
        if not isinstance(frequency_hz, (int, float)) or not frequency_hz > 0:
            raise ConfigError(
                f"frequency_hz {frequency_hz!r} must be > 0", bus=self.name, address=self.index
            )
        if not isinstance(duty_cycle, (int, float)) or not 0.0 <= duty_cycle <= 1.0:
            raise ConfigError(
                f"duty_cycle {duty_cycle!r} must be within 0..1", bus=self.name, address=self.index
            )
        self.frequency_hz = float(frequency_hz)
        self.duty_cycle = float(duty_cycle)

    def enable(self) -> None:
        """Start the output; it must be configured first."""
        check_open(self._closed, bus=self.name, address=self.index)
        if self.frequency_hz is None:
            raise ConfigError(
                "configure() the PWM before enabling it", bus=self.name, address=self.index
            )
        self.enabled = True

    def disable(self) -> None:
        """Stop the output."""
        check_open(self._closed, bus=self.name, address=self.index)
        self.enabled = False

    def close(self) -> None:
        """Release the channel (it keeps its last state, as sysfs PWM does)."""
        self._closed = True
