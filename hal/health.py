"""Board health: SoC temperature, throttling and under-voltage, CPU load, memory, storage.

Read from Linux's /sys and /proc (and ``vcgencmd`` on a Raspberry Pi when it is installed),
under an injectable root directory so tests can build a fake tree; :class:`SimHealth` gives
the same interface with values a test or the HIL rig sets.

The throttled word is decoded per the Raspberry Pi documentation (``vcgencmd get_throttled``):
bits 0-3 are the current state (under-voltage, ARM frequency capped, throttled, soft
temperature limit), bits 16-19 the same conditions latched since boot.
"""

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hal.errors import DataError

__all__ = [
    "CpuLoad",
    "HealthSnapshot",
    "LinuxHealth",
    "Memory",
    "SimHealth",
    "Storage",
    "Throttled",
    "decode_throttled",
]

THROTTLED_SYSFS = "sys/devices/platform/soc/soc:firmware/get_throttled"


@dataclass(frozen=True)
class Throttled:
    """The decoded ``get_throttled`` word; ``raw`` keeps the original bits."""

    raw: int
    under_voltage: bool
    frequency_capped: bool
    throttled: bool
    soft_temperature_limit: bool
    under_voltage_occurred: bool
    frequency_capped_occurred: bool
    throttled_occurred: bool
    soft_temperature_limit_occurred: bool


def decode_throttled(raw: int) -> Throttled:
    """Decode the Raspberry Pi firmware's throttled bit field.

    >>> decode_throttled(0x50005).under_voltage, decode_throttled(0x50005).throttled_occurred
    (True, True)
    """
    return Throttled(raw, *(bool(raw >> bit & 1) for bit in (0, 1, 2, 3, 16, 17, 18, 19)))


@dataclass(frozen=True)
class CpuLoad:
    """Load averages and CPU utilisation (0.0-1.0) since the previous reading."""

    load_1m: float
    load_5m: float
    load_15m: float
    utilisation: float | None


@dataclass(frozen=True)
class Memory:
    """Memory in bytes from /proc/meminfo."""

    total: int
    available: int

    @property
    def used_fraction(self) -> float:
        """Fraction of memory not available."""
        return 1.0 - self.available / self.total if self.total else 0.0


@dataclass(frozen=True)
class Storage:
    """Filesystem use in bytes (statvfs; ``free`` counts what unprivileged users may use)."""

    total: int
    free: int

    @property
    def used_fraction(self) -> float:
        """Fraction of the filesystem in use."""
        return 1.0 - self.free / self.total if self.total else 0.0


@dataclass(frozen=True)
class HealthSnapshot:
    """One reading of everything."""

    soc_temperature_c: float | None
    throttled: Throttled | None
    cpu: CpuLoad
    memory: Memory
    storage: Storage


class LinuxHealth:
    """Reads health from /sys and /proc below ``root``.

    Args:
        root: Filesystem root ("/" on the board; a tmp_path tree in tests).
        vcgencmd: Path of vcgencmd, "" to never use it, None to look it up on PATH.
        statvfs: os.statvfs or a stand-in.
        storage_path: Filesystem whose use is reported.
    """

    def __init__(
        self,
        root: str = "/",
        *,
        vcgencmd: str | None = None,
        statvfs: Callable[[str], os.statvfs_result] = os.statvfs,
        storage_path: str = "/",
    ) -> None:
        self._root = Path(root)
        self._vcgencmd = shutil.which("vcgencmd") if vcgencmd is None else vcgencmd
        self._statvfs = statvfs
        self._storage_path = storage_path
        self._last_cpu: tuple[int, int] | None = None

    def soc_temperature_c(self) -> float | None:
        """SoC temperature from thermal_zone0 (millidegrees), or None without one."""
        text = self._read("sys/class/thermal/thermal_zone0/temp")
        return None if text is None else self._number(text, "temp") / 1000.0

    def throttled(self) -> Throttled | None:
        """The throttled flags from vcgencmd, else from the firmware's sysfs file."""
        if self._vcgencmd:
            import subprocess  # noqa: PLC0415 - only a board with vcgencmd pays for it

            try:
                out = subprocess.run(  # noqa: S603 - fixed argv, no shell
                    [self._vcgencmd, "get_throttled"],
                    capture_output=True,
                    text=True,
                    timeout=2.0,
                    check=True,
                ).stdout
                return decode_throttled(int(out.strip().split("=", 1)[1], 16))
            except (OSError, subprocess.SubprocessError, IndexError, ValueError):
                pass  # fall back to sysfs: vcgencmd fails without /dev/vcio access
        text = self._read(THROTTLED_SYSFS)
        if text is None:
            return None
        try:
            return decode_throttled(int(text.strip().removeprefix("0x"), 16))
        except ValueError:
            raise DataError(
                f"get_throttled: {text.strip()!r} is not hex", reason="format"
            ) from None

    def cpu_load(self) -> CpuLoad:
        """Load averages, and utilisation since the last call (None on the first)."""
        loadavg = (self._read("proc/loadavg") or "").split()
        if len(loadavg) < 3:
            raise DataError("/proc/loadavg is malformed", reason="format")
        fields = [int(x) for x in (self._read("proc/stat") or "").split("\n", 1)[0].split()[1:]]
        if len(fields) < 5:
            raise DataError("/proc/stat has no cpu line", reason="format")
        idle = fields[3] + fields[4]  # idle + iowait
        total = sum(fields[:8])
        utilisation = None
        if self._last_cpu is not None and total > self._last_cpu[1]:
            d_total = total - self._last_cpu[1]
            utilisation = 1.0 - (idle - self._last_cpu[0]) / d_total
        self._last_cpu = (idle, total)
        one, five, fifteen = (float(x) for x in loadavg[:3])
        return CpuLoad(one, five, fifteen, utilisation)

    def memory(self) -> Memory:
        """MemTotal and MemAvailable from /proc/meminfo."""
        values = {}
        for line in (self._read("proc/meminfo") or "").splitlines():
            key, _, rest = line.partition(":")
            parts = rest.split()
            if parts:
                values[key] = int(parts[0]) * 1024  # the kernel reports kB
        if "MemTotal" not in values or "MemAvailable" not in values:
            raise DataError("/proc/meminfo lacks MemTotal/MemAvailable", reason="format")
        return Memory(total=values["MemTotal"], available=values["MemAvailable"])

    def storage(self) -> Storage:
        """Use of the filesystem holding ``storage_path``."""
        st = self._statvfs(self._storage_path)
        return Storage(total=st.f_blocks * st.f_frsize, free=st.f_bavail * st.f_frsize)

    def snapshot(self) -> HealthSnapshot:
        """Read everything once."""
        return HealthSnapshot(
            self.soc_temperature_c(),
            self.throttled(),
            self.cpu_load(),
            self.memory(),
            self.storage(),
        )

    def _read(self, relative: str) -> str | None:
        try:
            return (self._root / relative).read_text()
        except FileNotFoundError:
            return None

    @staticmethod
    def _number(text: str, what: str) -> int:
        try:
            return int(text.strip())
        except ValueError:
            raise DataError(f"{what}: {text.strip()!r} is not a number", reason="format") from None


class SimHealth:
    """Health values set by a test or the HIL rig; same methods as LinuxHealth."""

    def __init__(self) -> None:
        self.temperature_c: float | None = 45.0
        self.throttled_raw: int | None = 0
        self.cpu = CpuLoad(0.1, 0.1, 0.1, 0.05)
        self.mem = Memory(total=4 << 30, available=3 << 30)
        self.disk = Storage(total=32 << 30, free=24 << 30)

    def soc_temperature_c(self) -> float | None:
        """The set temperature."""
        return self.temperature_c

    def throttled(self) -> Throttled | None:
        """The set throttled word, decoded."""
        return None if self.throttled_raw is None else decode_throttled(self.throttled_raw)

    def cpu_load(self) -> CpuLoad:
        """The set CPU load."""
        return self.cpu

    def memory(self) -> Memory:
        """The set memory figures."""
        return self.mem

    def storage(self) -> Storage:
        """The set storage figures."""
        return self.disk

    def snapshot(self) -> HealthSnapshot:
        """Everything at once."""
        return HealthSnapshot(
            self.soc_temperature_c(),
            self.throttled(),
            self.cpu_load(),
            self.memory(),
            self.storage(),
        )
