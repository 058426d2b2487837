"""PWM through sysfs (/sys/class/pwm/pwmchipN, Documentation/driver-api/pwm.rst).

Writing the channel number to ``export`` makes the kernel create ``pwmM/`` (udev may still be
fixing its permissions for a moment, hence the bounded wait); ``period`` and ``duty_cycle``
are nanoseconds, ``enable`` is 0/1. The kernel refuses a period shorter than the current duty
cycle, so writes are ordered to keep duty <= period at every step.
"""

from pathlib import Path

from hal.deadline import poll_until
from hal.errors import BusError, ConfigError, NotOpen

__all__ = ["LinuxPwm", "open_url"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hal.open import Url

_EXPORT_TIMEOUT_S = 1.0


class LinuxPwm:
    """One sysfs PWM channel.

    Args:
        chip: The pwmchip directory, e.g. /sys/class/pwm/pwmchip0.
        channel: Channel number on that chip.
        root: Prefix for every sysfs path (tests pass a temporary directory).
    """

    def __init__(self, chip: str, channel: int, *, root: str = "") -> None:
        self.name = f"linux:{chip}:{channel}"
        self._chip = Path(root + chip)
        self._dir = self._chip / f"pwm{channel}"
        self._closed = False
        if not self._chip.is_dir():
            raise ConfigError(f"no PWM chip at {chip}", bus=self.name)
        if not self._dir.is_dir():
            self._write(self._chip / "export", str(channel))
            poll_until(
                (self._dir / "enable").exists,
                _EXPORT_TIMEOUT_S,
                0.01,
                message="exported PWM channel did not appear",
                bus=self.name,
            )

    def configure(self, *, frequency_hz: float, duty_cycle: float) -> None:
        """Set the frequency (Hz) and duty cycle (0.0-1.0)."""
        self._check()
        if not isinstance(frequency_hz, (int, float)) or not 0 < frequency_hz <= 1e9:
            raise ConfigError(f"frequency_hz {frequency_hz!r} is out of range", bus=self.name)
        if not isinstance(duty_cycle, (int, float)) or not 0.0 <= duty_cycle <= 1.0:
            raise ConfigError(f"duty_cycle {duty_cycle!r} must be within 0..1", bus=self.name)
        period_ns = round(1e9 / frequency_hz)
        duty_ns = round(period_ns * duty_cycle)
        current_duty = int(self._read("duty_cycle") or 0)
        if current_duty > period_ns:
            self._write(self._dir / "duty_cycle", str(duty_ns))
            self._write(self._dir / "period", str(period_ns))
        else:
            self._write(self._dir / "period", str(period_ns))
            self._write(self._dir / "duty_cycle", str(duty_ns))

    def enable(self) -> None:
        """Start the output."""
        self._check()
        self._write(self._dir / "enable", "1")

    def disable(self) -> None:
        """Stop the output."""
        self._check()
        self._write(self._dir / "enable", "0")

    def close(self) -> None:
        """Stop using the channel; it stays exported and keeps its state."""
        self._closed = True

    def _check(self) -> None:
        if self._closed:
            raise NotOpen("PWM is closed", bus=self.name)

    def _read(self, name: str) -> str:
        try:
            return (self._dir / name).read_text().strip()
        except OSError as exc:
            raise BusError(f"cannot read {name}: {exc}", bus=self.name) from exc

    def _write(self, path: Path, text: str) -> None:
        try:
            path.write_text(text)
        except OSError as exc:
            raise BusError(f"cannot write {text!r} to {path.name}: {exc}", bus=self.name) from exc


def open_url(url: "Url") -> LinuxPwm:
    """Open ``linux:/sys/class/pwm/pwmchipN:CHANNEL``."""
    chip, channel = url.split_index()
    return LinuxPwm(chip, channel)
