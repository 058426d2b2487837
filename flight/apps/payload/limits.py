"""The payload's limits: which reading, which parameter, which side, and what a violation does.

A limit is violated when its reading passes the parameter's value, and recovers only once
the reading is back by the hysteresis, so a value sitting on the line does not flood the
event log. Safety limits take the payload to SAFE; the rate limit only reports (a tumbling
spacecraft smears the GNSS tag, it does not hurt the detector).
"""

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flight.apps.payload.params import (
    DETECTOR_TEMPERATURE_MAX,
    DETECTOR_TEMPERATURE_MIN,
    RAIL_CURRENT_MAX,
    RAIL_VOLTAGE_MIN,
    RATE_MAX,
)
from flight.apps.payload.sensors import Readings
from flight.core import Parameter, Value

__all__ = ["LIMITS", "Limit", "LimitMonitor", "rate_magnitude"]


def rate_magnitude(readings: Readings) -> float:
    """The body rate's magnitude in rad/s."""
    return math.sqrt(readings.rate_x_rad_s**2 + readings.rate_y_rad_s**2 + readings.rate_z_rad_s**2)


@dataclass(frozen=True)
class Limit:
    """One limit.

    Attributes:
        ident: the limit's number (bit in `limits_violated`, first octet of limit events).
        value: what it watches.
        parameter: where its threshold lives.
        above: violated above the threshold (else below).
        hysteresis: how far back inside the reading must come to recover.
        safe: a violation takes the payload to SAFE.
    """

    ident: int
    value: Callable[[Readings], float]
    parameter: Parameter
    above: bool
    hysteresis: float
    safe: bool


LIMITS = (
    Limit(0, lambda r: r.detector_temperature_c, DETECTOR_TEMPERATURE_MAX, True, 1.0, True),
    Limit(1, lambda r: r.detector_temperature_c, DETECTOR_TEMPERATURE_MIN, False, 1.0, True),
    Limit(2, lambda r: r.rail_current_a, RAIL_CURRENT_MAX, True, 0.01, True),
    Limit(3, lambda r: r.rail_voltage_v, RAIL_VOLTAGE_MIN, False, 0.05, True),
    Limit(4, rate_magnitude, RATE_MAX, True, 0.02, False),
)


class LimitMonitor:
    """Tracks which limits are violated and reports the changes."""

    def __init__(self) -> None:
        self.violated: set[int] = set()

    @property
    def flags(self) -> int:
        """The violated limits as a bit field."""
        return sum(1 << ident for ident in self.violated)

    @property
    def safety_violated(self) -> bool:
        """Whether a limit that takes the payload to SAFE is violated."""
        return any(limit.safe and limit.ident in self.violated for limit in LIMITS)

    def check(
        self, readings: Readings, param: Callable[[str], Value]
    ) -> Iterator[tuple[Limit, float, bool]]:
        """Yield `(limit, value, violated)` for every limit whose state changed.

        Readings that are NaN (not measured, or their sensor failed) change nothing.
        """
        for limit in LIMITS:
            value = limit.value(readings)
            if math.isnan(value):
                continue
            threshold = float(param(limit.parameter.name))
            sign = 1.0 if limit.above else -1.0
            excess = sign * (value - threshold)
            if limit.ident not in self.violated and excess > 0:
                self.violated.add(limit.ident)
                yield limit, value, True
            elif limit.ident in self.violated and excess < -limit.hysteresis:
                self.violated.discard(limit.ident)
                yield limit, value, False

    def clear(self) -> None:
        """Forget every violation (the rail went off)."""
        self.violated.clear()
