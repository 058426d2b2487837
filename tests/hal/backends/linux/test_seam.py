"""ioctl request numbers against the kernel headers' values, and errno mapping."""

import errno

import pytest

from hal.backends.linux import gpio, i2c, spi, watchdog
from hal.backends.linux.seam import raise_mapped
from hal.errors import BusError, BusTimeout, ConfigError, NackError, NotOpen

# Values as the C preprocessor computes them from the uAPI headers on x86-64/arm64
# (e.g. printf("%#x", GPIO_V2_GET_LINE_IOCTL) -> 0xc250b407).
KERNEL_VALUES = [
    (i2c.I2C_RDWR, 0x0707),
    (spi.SPI_IOC_MESSAGE_1, 0x40206B00),
    (spi.SPI_IOC_WR_MODE, 0x40016B01),
    (spi.SPI_IOC_WR_BITS_PER_WORD, 0x40016B03),
    (spi.SPI_IOC_WR_MAX_SPEED_HZ, 0x40046B04),
    (gpio.GPIO_GET_CHIPINFO_IOCTL, 0x8044B401),
    (gpio.GPIO_V2_GET_LINE_IOCTL, 0xC250B407),
    (gpio.GPIO_V2_LINE_SET_CONFIG_IOCTL, 0xC110B40D),
    (gpio.GPIO_V2_LINE_GET_VALUES_IOCTL, 0xC010B40E),
    (gpio.GPIO_V2_LINE_SET_VALUES_IOCTL, 0xC010B40F),
    (watchdog.WDIOC_KEEPALIVE, 0x80045705),
    (watchdog.WDIOC_SETTIMEOUT, 0xC0045706),
    (watchdog.WDIOC_GETTIMEOUT, 0x80045707),
]


@pytest.mark.parametrize(("computed", "expected"), KERNEL_VALUES)
def test_request_numbers_match_kernel_headers(computed: int, expected: int) -> None:
    assert computed == expected


def test_struct_sizes_match_kernel_headers() -> None:
    import ctypes  # noqa: PLC0415

    assert ctypes.sizeof(gpio.GpioV2LineRequest) == 592
    assert ctypes.sizeof(gpio.GpioV2LineConfig) == 272
    assert ctypes.sizeof(gpio.GpioV2LineValues) == 16
    assert gpio.EVENT_SIZE == 48
    assert ctypes.sizeof(i2c.I2cMsg) == 16
    assert ctypes.sizeof(i2c.I2cRdwrIoctlData) == 16


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (errno.ENXIO, NackError),
        (errno.EREMOTEIO, NackError),
        (errno.EIO, NackError),
        (errno.ETIMEDOUT, BusTimeout),
        (errno.EBADF, NotOpen),
        (errno.ENOENT, ConfigError),
        (errno.EACCES, ConfigError),
        (errno.EBUSY, BusError),
    ],
)
def test_errno_mapping_keeps_the_cause(code: int, error: type[Exception]) -> None:
    cause = OSError(code, "x")
    with pytest.raises(error) as info:
        raise_mapped(cause, "transfer", bus="linux:/dev/i2c-1", address=0x76)
    assert info.value.__cause__ is cause
    assert type(info.value) is error
