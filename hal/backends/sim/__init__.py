"""Simulated backend: buses hosting register-level chip models, fault injection, SimBoard.

Everything here except ``urls`` (the glue to hal.open) runs on MicroPython as well.
"""

from hal.backends.sim.board import SimBoard
from hal.backends.sim.clock import ModelTimer, RealClock, SimClock
from hal.backends.sim.gpio import SimGpioChip, SimGpioLine
from hal.backends.sim.i2c import SimI2CBus, SimI2CHandle
from hal.backends.sim.pwm import SimPwm, SimPwmChip
from hal.backends.sim.spi import SimSpiBus, SimSpiDevice
from hal.backends.sim.uart import SimUart
from hal.backends.sim.watchdog import SimWatchdog

__all__ = [
    "ModelTimer",
    "RealClock",
    "SimBoard",
    "SimClock",
    "SimGpioChip",
    "SimGpioLine",
    "SimI2CBus",
    "SimI2CHandle",
    "SimPwm",
    "SimPwmChip",
    "SimSpiBus",
    "SimSpiDevice",
    "SimUart",
    "SimWatchdog",
]
