"""The science product: a pulse-height spectrum with a header that tags it in time and space.

Layout (big-endian), `ProductHeader` then ``2 ** spectrum_bits`` bin counts (u16 each,
saturating), cut into CRC-protected Space Packets by the Packetizer on the science APID:

    version u8 | number u32 | boot u32 | start coarse u32 | start fine u16 | duration_ms u32
    | samples u16 | spectrum_bits u8 | gnss_fix u8 | latitude_deg f32 | longitude_deg f32
    | altitude_m f32 | mean count_rate_cps f32 | dose_gy f32

`number` comes from the FRAM product counter, so it is unique across reboots; the start time
is onboard time in seconds since the CCSDS epoch (4 coarse + 2 fine octets, like the CUC
time of the PUS reports).
"""

import struct
from array import array
from dataclasses import dataclass

__all__ = ["ADC_BITS", "BIN_MAX", "PRODUCT_VERSION", "ProductHeader", "Spectrum", "decode_product"]

ADC_BITS = 10
BIN_MAX = 0xFFFF
PRODUCT_VERSION = 1
_HEADER = struct.Struct(">BIIIHIHBBfffff")
_FINE = 1 << 16


@dataclass(frozen=True)
class ProductHeader:
    """What a science product says about itself."""

    number: int
    boot: int
    start: float
    duration_ms: int
    samples: int
    spectrum_bits: int
    gnss_fix: bool
    latitude_deg: float
    longitude_deg: float
    altitude_m: float
    count_rate_cps: float
    dose_gy: float
    version: int = PRODUCT_VERSION

    SIZE = _HEADER.size

    def pack(self) -> bytes:
        """The header's octets."""
        coarse = int(self.start)
        return _HEADER.pack(
            self.version,
            self.number,
            self.boot,
            coarse,
            min(int((self.start - coarse) * _FINE), _FINE - 1),
            self.duration_ms,
            self.samples,
            self.spectrum_bits,
            int(self.gnss_fix),
            self.latitude_deg,
            self.longitude_deg,
            self.altitude_m,
            self.count_rate_cps,
            self.dose_gy,
        )

    @classmethod
    def unpack(cls, data: bytes) -> "ProductHeader":
        """Decode a header (ground side and tests).

        Raises:
            ValueError: `data` is shorter than a header.
        """
        if len(data) < _HEADER.size:
            raise ValueError(f"a product header needs {_HEADER.size} octets, got {len(data)}")
        (version, number, boot, coarse, fine, duration, samples, bits, fix, *floats) = (
            _HEADER.unpack_from(data)
        )
        lat, lon, alt, rate, dose = floats
        return cls(
            number,
            boot,
            coarse + fine / _FINE,
            duration,
            samples,
            bits,
            bool(fix),
            lat,
            lon,
            alt,
            rate,
            dose,
            version,
        )


def decode_product(data: bytes) -> tuple[ProductHeader, list[int]]:
    """Split a reassembled product into its header and bin counts.

    Raises:
        ValueError: the length does not match the header's bin count.
    """
    header = ProductHeader.unpack(data)
    bins = 1 << header.spectrum_bits
    if len(data) != header.SIZE + 2 * bins:
        raise ValueError(f"product {header.number}: {len(data)} octets for {bins} bins")
    return header, list(struct.unpack_from(f">{bins}H", data, header.SIZE))


class Spectrum:
    """Pulse heights binned into ``2 ** bits`` bins, plus running sums for the header.

    >>> s = Spectrum(bits=4, start=0.0)
    >>> s.add_pulse(1023); s.add_pulse(0); s.bins[15], s.bins[0]
    (1, 1)
    """

    def __init__(self, *, bits: int, start: float) -> None:
        self.bits = bits
        self.start = start
        self.bins = array("I", bytes(4 << bits))
        self.samples = 0
        self._rate_sum = 0.0
        self._rate_n = 0
        self.dose_gy = 0.0

    def add_pulse(self, code: int) -> None:
        """Count one ADC code in its bin."""
        self.bins[code >> (ADC_BITS - self.bits)] += 1

    def add_sample(self, count_rate_cps: float, dose_gy: float) -> None:
        """Close one sample cycle with its ratemeter and dosimeter readings."""
        self.samples += 1
        self._rate_sum += count_rate_cps
        self._rate_n += 1
        self.dose_gy = dose_gy

    def encode(self, header: ProductHeader) -> bytes:
        """The product's octets: `header` then the bins, saturated to 16 bits."""
        counts = [min(n, BIN_MAX) for n in self.bins]
        return header.pack() + struct.pack(f">{len(counts)}H", *counts)

    @property
    def mean_count_rate_cps(self) -> float:
        """The mean ratemeter reading over the samples so far (0 with none)."""
        return self._rate_sum / self._rate_n if self._rate_n else 0.0
