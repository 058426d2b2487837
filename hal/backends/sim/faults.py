"""Fault injection shared by the simulated buses: which faults exist, and a seeded RNG.

A fault is a name plus options, attached to a device key (I2C address, SPI chip select, or
a UART direction). ``count`` (an option every fault accepts) limits it to that many transfers;
without it the fault stays until cleared. Random faults draw from a xorshift generator seeded
per fault, so a run with the same seed flips the same bits on CPython and on MicroPython.
"""

from hal.errors import ConfigError

__all__ = ["Fault", "FaultTable", "XorShift32"]


class XorShift32:
    """Small deterministic PRNG (Marsaglia xorshift32); identical on every Python."""

    def __init__(self, seed: int = 1) -> None:
        self._state = (seed & 0xFFFFFFFF) or 0x9E3779B9

    def next_u32(self) -> int:
        """Return the next 32-bit value."""
        x = self._state
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        self._state = x
        return x

    def chance(self, probability: float) -> bool:
        """Return True with the given probability."""
        return self.next_u32() < probability * 4294967296.0


class Fault:
    """One injected fault.

    Attributes:
        name: Fault name, e.g. "nack".
        options: Its options (without ``count``).
        remaining: Transfers left before it clears itself, or None for no limit.
        rng: The fault's own random generator.
    """

    def __init__(self, name: str, options: dict[str, object]) -> None:
        self.name = name
        opts = dict(options)
        count = opts.pop("count", None)
        if count is not None and (not isinstance(count, int) or count < 1):
            raise ConfigError(f"fault {name!r}: count must be a positive int")
        self.remaining = count
        seed = opts.get("seed", 1)
        if not isinstance(seed, int):
            raise ConfigError(f"fault {name!r}: seed must be an int")
        self.rng = XorShift32(seed)
        self.options = opts
        # Check the options now, so a bad injection fails where it is written.
        if "probability" in opts:
            self.probability(0.0)
        for key in ("and_mask", "or_mask"):
            if key in opts:
                self.mask(key, 0)

    def option(self, key: str, default: object) -> object:
        """Return the option ``key`` or ``default``."""
        return self.options.get(key, default)

    def probability(self, default: float) -> float:
        """Return the ``probability`` option, checked to lie in [0, 1]."""
        p = self.options.get("probability", default)
        if not isinstance(p, (int, float)) or not 0.0 <= p <= 1.0:
            raise ConfigError(f"fault {self.name!r}: probability must be within 0..1")
        return float(p)

    def mask(self, key: str, default: int) -> int:
        """Return a byte mask option, checked to lie in 0..0xFF."""
        m = self.options.get(key, default)
        if not isinstance(m, int) or not 0 <= m <= 0xFF:
            raise ConfigError(f"fault {self.name!r}: {key} must be within 0..0xFF")
        return m

    def flip_bits(self, data: bytes, probability: float) -> bytes:
        """Flip each bit of ``data`` independently with ``probability``."""
        out = bytearray(data)
        for i in range(len(out)):
            for bit in range(8):
                if self.rng.chance(probability):
                    out[i] ^= 1 << bit
        return bytes(out)


class FaultTable:
    """Faults per device key, validated against the names a bus supports."""

    def __init__(self, allowed: tuple[str, ...], bus: str) -> None:
        self._allowed = allowed
        self._bus = bus
        self._faults: dict[object, list[Fault]] = {}

    def inject(self, key: object, name: str, options: dict[str, object]) -> Fault:
        """Add a fault; raise ConfigError for a name this bus does not support."""
        if name not in self._allowed:
            raise ConfigError(
                f"unknown fault {name!r}; this bus supports {', '.join(self._allowed)}",
                bus=self._bus,
            )
        fault = Fault(name, options)
        self._faults.setdefault(key, []).append(fault)
        return fault

    def clear(self, key: object = None) -> None:
        """Remove the faults of ``key``, or all of them when key is None."""
        if key is None:
            self._faults.clear()
        else:
            self._faults.pop(key, None)

    def take(self, key: object) -> list[Fault]:
        """Return the faults that apply to one transfer to ``key``, counting it against them."""
        faults = self._faults.get(key)
        if not faults:
            return []
        active = list(faults)
        for fault in active:
            if fault.remaining is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    faults.remove(fault)
        return active

    def active(self, key: object) -> list[str]:
        """Names of the faults currently attached to ``key``."""
        return [f.name for f in self._faults.get(key, [])]
