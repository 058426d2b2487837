"""PWM over ``machine.PWM`` (duty as a 16-bit fraction)."""

from hal.errors import ConfigError, NotOpen

__all__ = ["MpyPwm"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from machine import PWM


class MpyPwm:
    """Adapter from a ``machine.PWM``; it is held at 0 % duty until ``enable()``."""

    def __init__(self, pwm: "PWM", *, name: str = "mpy:pwm") -> None:
        self._pwm: PWM | None = pwm
        self.name = name
        self._duty_u16 = 0
        self._enabled = False
        pwm.duty_u16(0)

    def configure(self, *, frequency_hz: float, duty_cycle: float) -> None:
        """Set frequency (Hz) and duty cycle (0.0-1.0)."""
        pwm = self._check()
        if not frequency_hz > 0:
            raise ConfigError("frequency_hz must be > 0", bus=self.name)
        if not 0.0 <= duty_cycle <= 1.0:
            raise ConfigError("duty_cycle must be within 0..1", bus=self.name)
        pwm.freq(int(frequency_hz))
        self._duty_u16 = int(duty_cycle * 65535 + 0.5)
        if self._enabled:
            pwm.duty_u16(self._duty_u16)

    def enable(self) -> None:
        """Start the output at the configured duty."""
        self._check().duty_u16(self._duty_u16)
        self._enabled = True

    def disable(self) -> None:
        """Hold the output low."""
        self._check().duty_u16(0)
        self._enabled = False

    def close(self) -> None:
        """Stop the PWM peripheral."""
        if self._pwm is not None:
            self._pwm.deinit()
            self._pwm = None

    def _check(self) -> "PWM":
        if self._pwm is None:
            raise NotOpen("PWM is closed", bus=self.name)
        return self._pwm
