"""The payload's parameters: sampling, science product size, fault persistence and limits."""

import construct

from flight.core import Arg, Parameter

__all__ = [
    "DETECTOR_TEMPERATURE_MAX",
    "DETECTOR_TEMPERATURE_MIN",
    "FAULT_PERSISTENCE",
    "PARAMETERS",
    "PRODUCT_SAMPLES",
    "RAIL_CURRENT_MAX",
    "RAIL_VOLTAGE_MIN",
    "RATE_MAX",
    "SAMPLE_PERIOD",
    "SPECTRUM_BITS",
]

SAMPLE_PERIOD = Parameter(
    1,
    Arg("sample_period_ms", construct.Int16ub, 100, 60_000, "ms", "time between sample cycles"),
    1000,
)
PRODUCT_SAMPLES = Parameter(
    2,
    Arg("product_samples", construct.Int16ub, 1, 3600, "", "sample cycles per science product"),
    60,
)
SPECTRUM_BITS = Parameter(
    3,
    Arg(
        "spectrum_bits",
        construct.Int8ub,
        4,
        10,
        "",
        "log2 of the spectrum's bins (10: one bin per ADC code); sets the product size",
    ),
    8,
)
FAULT_PERSISTENCE = Parameter(
    4,
    Arg(
        "fault_persistence",
        construct.Int8ub,
        1,
        10,
        "",
        "consecutive failed reads before a sensor is declared failed",
    ),
    3,
)
DETECTOR_TEMPERATURE_MAX = Parameter(
    5,
    Arg("detector_temperature_max_c", construct.Float32b, -40.0, 85.0, "degC", "SAFE above"),
    35.0,
)
DETECTOR_TEMPERATURE_MIN = Parameter(
    6,
    Arg("detector_temperature_min_c", construct.Float32b, -40.0, 85.0, "degC", "SAFE below"),
    -20.0,
)
RAIL_CURRENT_MAX = Parameter(
    7,
    Arg("rail_current_max_a", construct.Float32b, 0.0, 3.2, "A", "SAFE above (latch-up)"),
    0.25,
)
RAIL_VOLTAGE_MIN = Parameter(
    8,
    Arg("rail_voltage_min_v", construct.Float32b, 0.0, 26.0, "V", "SAFE below (brown-out)"),
    4.6,
)
RATE_MAX = Parameter(
    9,
    Arg("rate_max_rad_s", construct.Float32b, 0.0, 35.0, "rad/s", "event above (tumbling)"),
    0.2,
)

PARAMETERS = (
    SAMPLE_PERIOD,
    PRODUCT_SAMPLES,
    SPECTRUM_BITS,
    FAULT_PERSISTENCE,
    DETECTOR_TEMPERATURE_MAX,
    DETECTOR_TEMPERATURE_MIN,
    RAIL_CURRENT_MAX,
    RAIL_VOLTAGE_MIN,
    RATE_MAX,
)
