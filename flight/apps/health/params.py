"""The health app's parameters: how often it reads, and the limits it reports against."""

import construct

from flight.core import Arg, Parameter

__all__ = [
    "CPU_UTILISATION_MAX",
    "MEMORY_USED_MAX",
    "PARAMETERS",
    "SAMPLE_PERIOD",
    "SOC_TEMPERATURE_MAX",
    "STORAGE_USED_MAX",
]

SAMPLE_PERIOD = Parameter(
    1,
    Arg("sample_period_ms", construct.Int16ub, 100, 60_000, "ms", "time between readings"),
    1000,
)
# The Pi firmware caps the ARM clock from 80 degC and throttles hard at 85 degC.
SOC_TEMPERATURE_MAX = Parameter(
    2,
    Arg("soc_temperature_max_c", construct.Float32b, 0.0, 110.0, "degC", "event above"),
    75.0,
)
CPU_UTILISATION_MAX = Parameter(
    3, Arg("cpu_utilisation_max", construct.Float32b, 0.0, 1.0, "", "event above"), 0.9
)
MEMORY_USED_MAX = Parameter(
    4, Arg("memory_used_max", construct.Float32b, 0.0, 1.0, "", "event above"), 0.9
)
STORAGE_USED_MAX = Parameter(
    5, Arg("storage_used_max", construct.Float32b, 0.0, 1.0, "", "event above"), 0.9
)

PARAMETERS = (
    SAMPLE_PERIOD,
    SOC_TEMPERATURE_MAX,
    CPU_UTILISATION_MAX,
    MEMORY_USED_MAX,
    STORAGE_USED_MAX,
)
