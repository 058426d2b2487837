"""The simulated board: every chip Starling drives, wired onto simulated buses.

Plain data (no imports) so MicroPython can build a SimBoard from ``SPEC`` as well.
"""

__all__ = ["BOARDS", "SPEC"]

_MODELS = "hal.backends.sim.models."

# The SimBoard spec (see hal.backends.sim.board): buses, and which model sits where.
SPEC = {
    "i2c": ["i2c1"],
    "spi": ["spi0"],
    "uart": ["uart0"],
    "gpio": {"gpio0": 32},
    "pwm": {"pwm0": 2},
    "watchdog": {"max_timeout_s": 15},
    "models": [
        {
            "name": "bme280",
            "class": _MODELS + "bme280.Bme280Model",
            "kind": "i2c",
            "bus": "i2c1",
            "address": 0x76,
        },
        {
            "name": "ina219",
            "class": _MODELS + "ina219.Ina219Model",
            "kind": "i2c",
            "bus": "i2c1",
            "address": 0x40,
        },
        {
            "name": "tmp117",
            "class": _MODELS + "tmp117.Tmp117Model",
            "kind": "i2c",
            "bus": "i2c1",
            "address": 0x48,
        },
        {
            "name": "fram",
            "class": _MODELS + "fram.FramModel",
            "kind": "i2c",
            "bus": "i2c1",
            "address": 0x50,
        },
        {
            # the reserved Device ID slave address answers for the FRAM above
            "name": "fram-id",
            "class": _MODELS + "fram.FramIdPort",
            "kind": "i2c",
            "bus": "i2c1",
            "address": 0x7C,
            "options": {"addresses": [0x50]},
        },
        {
            "name": "lsm6dsox",
            "class": _MODELS + "lsm6dsox.Lsm6dsoxModel",
            "kind": "i2c",
            "bus": "i2c1",
            "address": 0x6A,
        },
        {
            "name": "mcp3008",
            "class": _MODELS + "mcp3008.Mcp3008Model",
            "kind": "spi",
            "bus": "spi0",
            "cs": 0,
        },
        {"name": "gnss", "class": _MODELS + "gnss.GnssModel", "kind": "uart", "bus": "uart0"},
    ],
}

BOARDS = {
    "sim": {
        "description": "Simulated board with register-level chip models",
        "i2c": {"i2c1": "sim:i2c1"},
        "spi": {"spi0.0": "sim:spi0.0", "spi0.1": "sim:spi0.1"},
        "uart": {"uart0": "sim:uart0"},
        "gpio": {"main": ("sim:gpio0", 32)},
        "pins": {"gnss_pps": ("main", 4), "payload_enable": ("main", 17), "imu_int1": ("main", 27)},
        "pwm": {"pwm0": "sim:pwm0:0"},
        "watchdog": "sim:watchdog",
        "watchdog_max_timeout_s": 15,
        "leds": {},
        "sim": SPEC,
    },
}
