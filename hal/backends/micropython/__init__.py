"""MicroPython backend: thin adapters over the ``machine`` module (I2C, SPI, Pin, UART, PWM, WDT).

Each adapter wraps a ``machine`` object built by the caller (or by ``urls`` from an ``mpy:``
URL) and maps the port's OSErrors to the HAL's error tree. The adapters import ``machine``
only where they build objects, so they can be imported (and tested) on any MicroPython.
"""

__all__ = []
