"""GPIO through the character device, uAPI v2 (include/uapi/linux/gpio.h).

A line is requested with GPIO_V2_GET_LINE_IOCTL on the chip (``struct gpio_v2_line_request``,
592 bytes); the kernel returns a line fd on which values are read and set
(GPIO_V2_LINE_GET/SET_VALUES_IOCTL), the config changed (GPIO_V2_LINE_SET_CONFIG_IOCTL) and
edge events read as ``struct gpio_v2_line_event`` (48 bytes, CLOCK_MONOTONIC timestamps).

A chip is named by its node (``/dev/gpiochip0``) or by its label (``pinctrl-rp1``): a label
is looked up with GPIO_GET_CHIPINFO_IOCTL over /dev/gpiochip*, which is how the Pi 5's RP1
header GPIOs are found whether the kernel numbers that chip 4 or 0.
"""

import ctypes
import os
import struct

from hal.backends.linux.seam import OsSeam, ior, iowr, raise_mapped
from hal.errors import BusError, ConfigError, NotOpen

__all__ = [
    "GPIO_GET_CHIPINFO_IOCTL",
    "GPIO_V2_GET_LINE_IOCTL",
    "GPIO_V2_LINE_GET_VALUES_IOCTL",
    "GPIO_V2_LINE_SET_CONFIG_IOCTL",
    "GPIO_V2_LINE_SET_VALUES_IOCTL",
    "GpioChipInfo",
    "GpioV2LineConfig",
    "GpioV2LineRequest",
    "GpioV2LineValues",
    "LinuxGpioLine",
    "find_chip",
    "open_url",
]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hal.open import Url

GPIO_MAX_NAME_SIZE = 32
GPIO_V2_LINES_MAX = 64
GPIO_V2_LINE_NUM_ATTRS_MAX = 10

FLAG_ACTIVE_LOW = 1 << 1
FLAG_INPUT = 1 << 2
FLAG_OUTPUT = 1 << 3
FLAG_EDGE_RISING = 1 << 4
FLAG_EDGE_FALLING = 1 << 5
FLAG_BIAS_PULL_UP = 1 << 8
FLAG_BIAS_PULL_DOWN = 1 << 9
FLAG_BIAS_DISABLED = 1 << 10
ATTR_ID_OUTPUT_VALUES = 2
EVENT_RISING_EDGE = 1
EVENT_FALLING_EDGE = 2
EVENT_FORMAT = "=QIIII24x"  # struct gpio_v2_line_event
EVENT_SIZE = struct.calcsize(EVENT_FORMAT)

_EDGE_FLAGS = {
    "none": 0,
    "rising": FLAG_EDGE_RISING,
    "falling": FLAG_EDGE_FALLING,
    "both": FLAG_EDGE_RISING | FLAG_EDGE_FALLING,
}
_BIAS_FLAGS = {
    "as-is": 0,
    "disabled": FLAG_BIAS_DISABLED,
    "pull-up": FLAG_BIAS_PULL_UP,
    "pull-down": FLAG_BIAS_PULL_DOWN,
}


class GpioChipInfo(ctypes.Structure):
    """``struct gpiochip_info``."""

    _fields_ = (
        ("name", ctypes.c_char * GPIO_MAX_NAME_SIZE),
        ("label", ctypes.c_char * GPIO_MAX_NAME_SIZE),
        ("lines", ctypes.c_uint32),
    )


class GpioV2LineAttribute(ctypes.Structure):
    """``struct gpio_v2_line_attribute`` (the union read as its 64-bit member)."""

    _fields_ = (("id", ctypes.c_uint32), ("padding", ctypes.c_uint32), ("value", ctypes.c_uint64))


class GpioV2LineConfigAttribute(ctypes.Structure):
    """``struct gpio_v2_line_config_attribute``."""

    _fields_ = (("attr", GpioV2LineAttribute), ("mask", ctypes.c_uint64))


class GpioV2LineConfig(ctypes.Structure):
    """``struct gpio_v2_line_config``."""

    _fields_ = (
        ("flags", ctypes.c_uint64),
        ("num_attrs", ctypes.c_uint32),
        ("padding", ctypes.c_uint32 * 5),
        ("attrs", GpioV2LineConfigAttribute * GPIO_V2_LINE_NUM_ATTRS_MAX),
    )


class GpioV2LineRequest(ctypes.Structure):
    """``struct gpio_v2_line_request``."""

    _fields_ = (
        ("offsets", ctypes.c_uint32 * GPIO_V2_LINES_MAX),
        ("consumer", ctypes.c_char * GPIO_MAX_NAME_SIZE),
        ("config", GpioV2LineConfig),
        ("num_lines", ctypes.c_uint32),
        ("event_buffer_size", ctypes.c_uint32),
        ("padding", ctypes.c_uint32 * 5),
        ("fd", ctypes.c_int32),
    )


class GpioV2LineValues(ctypes.Structure):
    """``struct gpio_v2_line_values``."""

    _fields_ = (("bits", ctypes.c_uint64), ("mask", ctypes.c_uint64))


_G = 0xB4
GPIO_GET_CHIPINFO_IOCTL = ior(_G, 0x01, ctypes.sizeof(GpioChipInfo))
GPIO_V2_GET_LINE_IOCTL = iowr(_G, 0x07, ctypes.sizeof(GpioV2LineRequest))
GPIO_V2_LINE_SET_CONFIG_IOCTL = iowr(_G, 0x0D, ctypes.sizeof(GpioV2LineConfig))
GPIO_V2_LINE_GET_VALUES_IOCTL = iowr(_G, 0x0E, ctypes.sizeof(GpioV2LineValues))
GPIO_V2_LINE_SET_VALUES_IOCTL = iowr(_G, 0x0F, ctypes.sizeof(GpioV2LineValues))


def _line_config(direction: str, edge: str, bias: str, output: int) -> GpioV2LineConfig:
    if direction not in ("in", "out") or edge not in _EDGE_FLAGS or bias not in _BIAS_FLAGS:
        raise ConfigError(f"bad line config direction={direction!r} edge={edge!r} bias={bias!r}")
    if direction == "out" and edge != "none":
        raise ConfigError("edge detection needs an input line")
    config = GpioV2LineConfig()
    config.flags = (FLAG_OUTPUT if direction == "out" else FLAG_INPUT) | _EDGE_FLAGS[edge]
    config.flags |= _BIAS_FLAGS[bias]
    if direction == "out":
        # Without this attribute the line would glitch to 0 before set() runs.
        config.num_attrs = 1
        config.attrs[0].attr.id = ATTR_ID_OUTPUT_VALUES
        config.attrs[0].attr.value = output
        config.attrs[0].mask = 1
    return config


def find_chip(label: str, *, seam: OsSeam | None = None, dev: str = "/dev") -> str:
    """Return the /dev/gpiochipN whose label is ``label``.

    Raises:
        ConfigError: No chip has that label.
    """
    seam = OsSeam() if seam is None else seam
    try:
        names = sorted(n for n in seam.listdir(dev) if n.startswith("gpiochip"))
    except OSError as exc:
        raise_mapped(exc, f"cannot list {dev}", bus="linux:" + label)
    for name in names:
        path = dev + "/" + name
        try:
            fd = seam.open(path, os.O_RDONLY)
        except OSError:
            continue  # not ours to use (permissions); keep looking
        try:
            info = GpioChipInfo()
            seam.ioctl(fd, GPIO_GET_CHIPINFO_IOCTL, info)
        except OSError:
            continue
        finally:
            seam.close(fd)
        if info.label.decode(errors="replace") == label:
            return path
    raise ConfigError(f"no GPIO chip labelled {label!r} among {', '.join(names) or 'none'}")


class LinuxGpioLine:
    """One line requested from a GPIO chip; configured as an input with no edges at first.

    Args:
        chip: Chip device node, e.g. /dev/gpiochip0.
        offset: Line offset on the chip.
        consumer: Name shown by gpioinfo for this request.
        seam: OS access (tests pass a fake kernel).
    """

    def __init__(
        self, chip: str, offset: int, *, consumer: str = "starling", seam: OsSeam | None = None
    ) -> None:
        self.name = f"linux:{chip}"
        self.offset = offset
        self._seam = OsSeam() if seam is None else seam
        self._output = 0
        self._fd: int | None = None
        request = GpioV2LineRequest()
        request.offsets[0] = offset
        request.num_lines = 1
        request.consumer = consumer.encode()[: GPIO_MAX_NAME_SIZE - 1]
        request.config = _line_config("in", "none", "as-is", 0)
        try:
            chip_fd = self._seam.open(chip, os.O_RDWR)
        except OSError as exc:
            raise_mapped(exc, f"cannot open {chip}", bus=self.name, address=offset)
        try:
            self._seam.ioctl(chip_fd, GPIO_V2_GET_LINE_IOCTL, request)
        except OSError as exc:
            raise_mapped(
                exc, "line request failed", bus=self.name, address=offset, nack_errnos=frozenset()
            )
        finally:
            self._seam.close(chip_fd)
        self._fd = request.fd

    def configure(self, *, direction: str = "in", edge: str = "none", bias: str = "as-is") -> None:
        """Set direction, edge detection and bias (GPIO_V2_LINE_SET_CONFIG_IOCTL)."""
        fd = self._line_fd()
        try:
            config = _line_config(direction, edge, bias, self._output)
        except ConfigError as exc:
            raise ConfigError(exc.message, bus=self.name, address=self.offset) from None
        self._ioctl(fd, GPIO_V2_LINE_SET_CONFIG_IOCTL, config, "set config")

    def value(self) -> int:
        """Return the line level."""
        values = GpioV2LineValues(bits=0, mask=1)
        self._ioctl(self._line_fd(), GPIO_V2_LINE_GET_VALUES_IOCTL, values, "get value")
        return int(values.bits & 1)

    def set(self, value: int) -> None:
        """Drive an output line to 0 or 1."""
        if value not in (0, 1):
            raise ConfigError(f"value {value!r} must be 0 or 1", bus=self.name, address=self.offset)
        values = GpioV2LineValues(bits=value, mask=1)
        self._ioctl(self._line_fd(), GPIO_V2_LINE_SET_VALUES_IOCTL, values, "set value")
        self._output = value

    def wait_edge(self, timeout_s: float) -> tuple[int, bool] | None:
        """Return the next edge as ``(timestamp_ns, rising)``, or None after ``timeout_s``."""
        fd = self._line_fd()
        try:
            if not self._seam.poll(fd, timeout_s):
                return None
            raw = self._seam.read(fd, EVENT_SIZE)
        except OSError as exc:
            raise_mapped(exc, "edge wait failed", bus=self.name, address=self.offset)
        if len(raw) != EVENT_SIZE:
            raise BusError(
                f"short edge event ({len(raw)} bytes)", bus=self.name, address=self.offset
            )
        timestamp_ns, event_id, _offset, _seqno, _line_seqno = struct.unpack(EVENT_FORMAT, raw)
        return timestamp_ns, event_id == EVENT_RISING_EDGE

    def close(self) -> None:
        """Release the line."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            self._seam.close(fd)

    def _line_fd(self) -> int:
        if self._fd is None:
            raise NotOpen("line is released", bus=self.name, address=self.offset)
        return self._fd

    def _ioctl(self, fd: int, request: int, arg: ctypes.Structure, what: str) -> None:
        try:
            self._seam.ioctl(fd, request, arg)
        except OSError as exc:
            raise_mapped(
                exc,
                f"GPIO {what} failed",
                bus=self.name,
                address=self.offset,
                nack_errnos=frozenset(),
            )


def open_url(url: "Url") -> LinuxGpioLine:
    """Open ``linux:/dev/gpiochipN:OFFSET`` or ``linux:LABEL:OFFSET``."""
    chip, offset = url.split_index()
    if not chip.startswith("/"):
        chip = find_chip(chip)
    return LinuxGpioLine(chip, offset, consumer=url.options.get("consumer", "starling"))
