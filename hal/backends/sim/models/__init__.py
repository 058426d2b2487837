"""Register-level models of the chips in hal.chips, implemented from their datasheets."""

from hal.backends.sim.models.bme280 import Bme280Model
from hal.backends.sim.models.fram import FramIdPort, FramModel
from hal.backends.sim.models.gnss import GnssModel
from hal.backends.sim.models.ina219 import Ina219Model
from hal.backends.sim.models.lsm6dsox import Lsm6dsoxModel
from hal.backends.sim.models.mcp3008 import Mcp3008Model
from hal.backends.sim.models.tmp117 import Tmp117Model

__all__ = [
    "Bme280Model",
    "FramIdPort",
    "FramModel",
    "GnssModel",
    "Ina219Model",
    "Lsm6dsoxModel",
    "Mcp3008Model",
    "Tmp117Model",
]
