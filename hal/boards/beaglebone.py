"""BeagleBone Black (TI AM335x) as data.

The AM335x has four GPIO banks of 32 lines, /dev/gpiochip0..3; a header pin is a bank and an
offset (P9_12 is GPIO1_28: bank 1, line 28). Buses follow the default cape-universal images:
I2C2 on P9_19/P9_20 is /dev/i2c-2, SPI0 is /dev/spidev0.0, UART1 on P9_24/P9_26 is
/dev/ttyS1. The ehrpwm1 chip number under /sys/class/pwm depends on the kernel; 4.19 and later
images list it as pwmchip4 (channel 0 is EHRPWM1A on P9_14). omap_wdt's default margin is
60 s.
"""

__all__ = ["BOARDS"]

BOARDS = {
    "beaglebone-black": {
        "description": "BeagleBone Black (TI AM335x)",
        "i2c": {"i2c2": "linux:/dev/i2c-2"},
        "spi": {"spi0.0": "linux:/dev/spidev0.0"},
        "uart": {"uart1": "linux:/dev/ttyS1"},
        "gpio": {
            "gpio0": ("linux:/dev/gpiochip0", 32),
            "gpio1": ("linux:/dev/gpiochip1", 32),
            "gpio2": ("linux:/dev/gpiochip2", 32),
            "gpio3": ("linux:/dev/gpiochip3", 32),
        },
        "pins": {
            "spi0_sclk": ("gpio0", 2),  # P9_22
            "spi0_d0": ("gpio0", 3),  # P9_21
            "spi0_d1": ("gpio0", 4),  # P9_18
            "spi0_cs0": ("gpio0", 5),  # P9_17
            "i2c2_sda": ("gpio0", 12),  # P9_20
            "i2c2_scl": ("gpio0", 13),  # P9_19
            "uart1_rx": ("gpio0", 14),  # P9_26
            "uart1_tx": ("gpio0", 15),  # P9_24
            "payload_enable": ("gpio1", 16),  # P9_15
            "pwm0": ("gpio1", 18),  # P9_14
            "gnss_pps": ("gpio1", 28),  # P9_12
            "imu_int1": ("gpio2", 2),  # P8_07
        },
        "pwm": {"pwm0": "linux:/sys/class/pwm/pwmchip4:0"},
        "watchdog": "linux:/dev/watchdog",
        "watchdog_max_timeout_s": 60,
        "leds": {f"usr{i}": f"/sys/class/leds/beaglebone:green:usr{i}" for i in range(4)},
    },
}
