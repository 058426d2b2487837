"""Raspberry Pi boards as data: Pi 4, Pi 5, Zero 2 W, Compute Module 4.

GPIO chips are named by their kernel label rather than their /dev node number (the linux
backend finds the node whose label matches). This matters on the Pi 5: its header GPIOs are
on the RP1 I/O chip, which older kernels expose as /dev/gpiochip4 and kernels from 6.6.45 as
/dev/gpiochip0. Pin numbers are BCM GPIO numbers (line offsets on that chip).

LEDs: kernels from 6.1 call them ACT and PWR (earlier: led0, led1). The watchdog is the SoC's
PM watchdog (bcm2835-wdt), whose longest timeout is 15 s. PWM on GPIO18 needs
``dtoverlay=pwm`` (Pi 5: ``dtoverlay=pwm-2chan``, where RP1 exposes GPIO18 as channel 2).
"""

__all__ = ["BOARDS"]

# The 40-pin header is the same on every Pi this module lists.
_HEADER_PINS = {
    "i2c1_sda": ("main", 2),
    "i2c1_scl": ("main", 3),
    "gnss_pps": ("main", 4),
    "spi0_ce1": ("main", 7),
    "spi0_ce0": ("main", 8),
    "spi0_miso": ("main", 9),
    "spi0_mosi": ("main", 10),
    "spi0_sclk": ("main", 11),
    "uart0_tx": ("main", 14),
    "uart0_rx": ("main", 15),
    "payload_enable": ("main", 17),
    "pwm0": ("main", 18),
    "imu_int1": ("main", 27),
}

_COMMON = {
    "i2c": {"i2c1": "linux:/dev/i2c-1"},
    "spi": {"spi0.0": "linux:/dev/spidev0.0", "spi0.1": "linux:/dev/spidev0.1"},
    "uart": {"uart0": "linux:/dev/serial0"},
    "pins": _HEADER_PINS,
    "watchdog": "linux:/dev/watchdog",
    "watchdog_max_timeout_s": 15,
    "leds": {"act": "/sys/class/leds/ACT", "pwr": "/sys/class/leds/PWR"},
}

BOARDS = {
    "rpi4": dict(
        _COMMON,
        description="Raspberry Pi 4 Model B (BCM2711)",
        gpio={"main": ("linux:pinctrl-bcm2711", 58)},
        pwm={"pwm0": "linux:/sys/class/pwm/pwmchip0:0"},
    ),
    "rpi5": dict(
        _COMMON,
        description="Raspberry Pi 5 (BCM2712 with the RP1 I/O chip)",
        gpio={"main": ("linux:pinctrl-rp1", 54)},
        pwm={"pwm0": "linux:/sys/class/pwm/pwmchip2:2"},
    ),
    "rpi-zero-2w": dict(
        _COMMON,
        description="Raspberry Pi Zero 2 W (RP3A0 / BCM2710A1)",
        gpio={"main": ("linux:pinctrl-bcm2835", 54)},
        pwm={"pwm0": "linux:/sys/class/pwm/pwmchip0:0"},
        # The Zero 2 W has a single green LED.
        leds={"act": "/sys/class/leds/ACT"},
    ),
    "cm4": dict(
        _COMMON,
        description="Raspberry Pi Compute Module 4 (BCM2711)",
        # i2c-10 is the CSI/DSI bus the CM4 IO board brings out besides the header's i2c-1.
        i2c={"i2c1": "linux:/dev/i2c-1", "i2c10": "linux:/dev/i2c-10"},
        gpio={"main": ("linux:pinctrl-bcm2711", 58)},
        pwm={"pwm0": "linux:/sys/class/pwm/pwmchip0:0"},
    ),
}
