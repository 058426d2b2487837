"""Chip drivers: registers declared as data, probe by chip ID, SI units, deadlines on waits."""

from hal.chips.bme280 import Bme280
from hal.chips.fram import Fram, PersistentCounter
from hal.chips.gnss import Gnss
from hal.chips.ina219 import Ina219
from hal.chips.lsm6dsox import Lsm6dsox
from hal.chips.mcp3008 import Mcp3008
from hal.chips.tmp117 import Tmp117

__all__ = ["Bme280", "Fram", "Gnss", "Ina219", "Lsm6dsox", "Mcp3008", "PersistentCounter", "Tmp117"]
