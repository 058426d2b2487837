"""LinuxWatchdog through a seam that plays a watchdog driver (no /dev/watchdog here)."""

import errno
import os
import struct

import pytest

from hal.backends.linux import watchdog
from hal.errors import ConfigError, NotOpen


class FakeWatchdogDriver:
    """Rounds timeouts up to even seconds, as some hardware does, and logs every call."""

    def __init__(self) -> None:
        self.log: list[tuple[str, object]] = []
        self.timeout = 60

    def open(self, path: str, flags: int) -> int:
        assert path == "/dev/watchdog"
        assert flags & os.O_WRONLY
        self.log.append(("open", path))
        return 7

    def close(self, fd: int) -> None:
        self.log.append(("close", fd))

    def write(self, fd: int, data: bytes) -> int:
        self.log.append(("write", data))
        return len(data)

    def ioctl(self, fd: int, request: int, arg: bytearray) -> int:
        if request == watchdog.WDIOC_SETTIMEOUT:
            wanted = struct.unpack("=i", arg)[0]
            if wanted > 100:
                raise OSError(errno.EINVAL, "Invalid argument")
            self.timeout = wanted + wanted % 2
            arg[:] = struct.pack("=i", self.timeout)
            self.log.append(("settimeout", wanted))
        elif request == watchdog.WDIOC_GETTIMEOUT:
            arg[:] = struct.pack("=i", self.timeout)
        elif request == watchdog.WDIOC_KEEPALIVE:
            self.log.append(("keepalive", None))
        else:
            raise OSError(errno.ENOTTY, "bad ioctl")
        return 0


def test_start_kick_stop_with_magic_close() -> None:
    driver = FakeWatchdogDriver()
    wd = watchdog.LinuxWatchdog(seam=driver)  # type: ignore[arg-type]
    assert driver.log == []  # not armed until start()
    wd.start(5)
    assert wd.timeout_s == 6.0  # what the driver chose, not what was asked
    wd.kick()
    wd.stop()
    assert driver.log == [
        ("open", "/dev/watchdog"),
        ("settimeout", 5),
        ("keepalive", None),
        ("write", b"V"),
        ("close", 7),
    ]


def test_close_without_magic_leaves_it_armed() -> None:
    driver = FakeWatchdogDriver()
    wd = watchdog.LinuxWatchdog(seam=driver)  # type: ignore[arg-type]
    wd.start(10)
    wd.close()
    assert ("write", b"V") not in driver.log
    with pytest.raises(NotOpen):
        wd.kick()


def test_refused_timeout_is_config_error() -> None:
    wd = watchdog.LinuxWatchdog(seam=FakeWatchdogDriver())  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        wd.start(0.2)
    with pytest.raises(ConfigError) as info:
        wd.start(1000)
    assert isinstance(info.value.__cause__, OSError)


@pytest.mark.skipif(not os.access("/dev/watchdog", os.W_OK), reason="no writable /dev/watchdog")
def test_real_watchdog_arms_and_disarms() -> None:
    wd = watchdog.LinuxWatchdog()
    wd.start(15)
    try:
        wd.kick()
        assert wd.timeout_s >= 1
    finally:
        wd.stop()
