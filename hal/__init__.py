"""Hardware abstraction: bus interfaces, backends chosen by URL, chip drivers, boards.

Drivers receive an already-open bus object; which backend sits behind it (Linux device nodes,
simulation, MicroPython) is decided by the URL given to :mod:`hal.open` when the system is
assembled. This package's top level stays importable on MicroPython.
"""

from hal.deadline import Deadline, poll_until
from hal.errors import (
    BusError,
    BusTimeout,
    ConfigError,
    DataError,
    DeviceNotFound,
    HalError,
    NackError,
    NotOpen,
)

__all__ = [
    "BusError",
    "BusTimeout",
    "ConfigError",
    "DataError",
    "Deadline",
    "DeviceNotFound",
    "HalError",
    "NackError",
    "NotOpen",
    "poll_until",
]
