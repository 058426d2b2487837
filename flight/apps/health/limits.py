"""The health app's limits: an upper limit per reading, with hysteresis for the recovery."""

import math
from collections.abc import Callable
from dataclasses import dataclass

from flight.apps.health.params import (
    CPU_UTILISATION_MAX,
    MEMORY_USED_MAX,
    SOC_TEMPERATURE_MAX,
    STORAGE_USED_MAX,
)
from flight.core import Parameter
from hal.health import HealthSnapshot

__all__ = ["LIMITS", "HealthLimit", "nan_if_none"]


def nan_if_none(value: float | None) -> float:
    """`value`, or NaN when the board does not report it."""
    return math.nan if value is None else value


@dataclass(frozen=True)
class HealthLimit:
    """An upper limit on one health reading.

    Attributes:
        ident: the limit's number (bit in `limits_exceeded`, first octet of its events).
        value: the reading it watches (NaN when unknown).
        parameter: where its threshold lives.
        hysteresis: how far below the threshold the reading must fall to recover.
    """

    ident: int
    value: Callable[[HealthSnapshot], float]
    parameter: Parameter
    hysteresis: float


LIMITS = (
    HealthLimit(0, lambda s: nan_if_none(s.soc_temperature_c), SOC_TEMPERATURE_MAX, 5.0),
    HealthLimit(1, lambda s: nan_if_none(s.cpu.utilisation), CPU_UTILISATION_MAX, 0.1),
    HealthLimit(2, lambda s: s.memory.used_fraction, MEMORY_USED_MAX, 0.05),
    HealthLimit(3, lambda s: s.storage.used_fraction, STORAGE_USED_MAX, 0.02),
)
