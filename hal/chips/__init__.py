"""Chip drivers: registers declared as data, probe by chip ID, SI units, deadlines on waits.

Each driver module is imported when its name is first asked for, so a flight pays start-up
time only for the chips it opens. Runs on MicroPython (``__import__``, no importlib or typing).
"""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hal.chips.bme280 import Bme280
    from hal.chips.fram import Fram, PersistentCounter
    from hal.chips.gnss import Gnss
    from hal.chips.ina219 import Ina219
    from hal.chips.lsm6dsox import Lsm6dsox
    from hal.chips.mcp3008 import Mcp3008
    from hal.chips.tmp117 import Tmp117

__all__ = ["Bme280", "Fram", "Gnss", "Ina219", "Lsm6dsox", "Mcp3008", "PersistentCounter", "Tmp117"]

_MODULES = {
    "Bme280": "hal.chips.bme280",
    "Fram": "hal.chips.fram",
    "Gnss": "hal.chips.gnss",
    "Ina219": "hal.chips.ina219",
    "Lsm6dsox": "hal.chips.lsm6dsox",
    "Mcp3008": "hal.chips.mcp3008",
    "PersistentCounter": "hal.chips.fram",
    "Tmp117": "hal.chips.tmp117",
}


def __getattr__(name: str) -> object:
    """Import the driver called `name` on first use (PEP 562)."""
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(__import__(module, None, None, [name]), name)
    globals()[name] = value
    return value
