"""Linux backend: i2c-dev, spidev, GPIO character device (v2), pyserial, sysfs PWM, watchdog.

Every device-node backend takes a ``seam`` (default :class:`OsSeam`) through which it opens,
ioctls, reads, writes and polls, so tests can play the kernel's side of each ioctl.
"""

from hal.backends.linux.seam import OsSeam

__all__ = ["OsSeam"]
