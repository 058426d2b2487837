"""The sample app's parameters."""

import construct

from flight.core import Arg, Parameter

__all__ = ["THRESHOLD"]

THRESHOLD = Parameter(
    1, Arg("threshold", construct.Int16ub, 1, 1000, "", "level that raises LEVEL_HIGH"), 900
)
