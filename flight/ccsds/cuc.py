"""CCSDS Unsegmented Time Code (CUC, 301.0-B-4) as an immutable value."""

from dataclasses import dataclass, field
from typing import Self

from flight.ccsds.errors import LengthError
from flight.ccsds.selection import codec

__all__ = ["EPOCH_AGENCY", "EPOCH_CCSDS", "CucTime"]

EPOCH_CCSDS = 0b001  # 1958-01-01 TAI
EPOCH_AGENCY = 0b010  # mission-defined epoch


@dataclass(frozen=True)
class CucTime:
    """A CUC time: `coarse` whole seconds and `fine` binary fractions of a second.

    The default format is 4 coarse and 2 fine octets without a P-field.

    >>> CucTime.from_seconds(1.5).pack().hex()
    '000000018000'
    >>> CucTime.unpack(bytes.fromhex("000000018000")).seconds
    1.5
    """

    coarse: int = 0
    fine: int = 0
    coarse_octets: int = 4
    fine_octets: int = 2
    pfield: bool = False
    time_code_id: int = EPOCH_CCSDS
    packed: bytes = field(init=False, repr=False, compare=False, default=b"")

    def __post_init__(self) -> None:
        # packing range-checks every field (FieldRangeError); keep the octets for reuse
        object.__setattr__(self, "packed", self._pack())

    @classmethod
    def from_seconds(
        cls, seconds: float, *, coarse_octets: int = 4, fine_octets: int = 2, **fmt: int
    ) -> Self:
        """Build a time from seconds since the epoch, rounding the fraction down."""
        whole = int(seconds)
        fine = int((seconds - whole) * (1 << (8 * fine_octets)))
        return cls(whole, fine, coarse_octets, fine_octets, **fmt)  # type: ignore[arg-type]

    @property
    def seconds(self) -> float:
        """Seconds since the epoch."""
        return self.coarse + self.fine / (1 << (8 * self.fine_octets))

    @property
    def length(self) -> int:
        """Octets this time occupies when packed, P-field included."""
        return len(self.packed)

    def pack(self) -> bytes:
        """Return the time field octets (P-field first when `pfield`)."""
        return self.packed

    def _pack(self) -> bytes:
        return codec.cuc_pack(  # type: ignore[no-any-return]
            self.coarse,
            self.fine,
            self.coarse_octets,
            self.fine_octets,
            self.pfield,
            self.time_code_id,
        )

    @classmethod
    def unpack(
        cls,
        data: bytes | bytearray | memoryview,
        *,
        coarse_octets: int = 4,
        fine_octets: int = 2,
        pfield: bool = False,
        time_code_id: int = EPOCH_CCSDS,
    ) -> Self:
        """Read a time that fills all of `data`; with `pfield` its format comes from the P-field."""
        coarse, fine, n_coarse, n_fine, code_id, length = codec.cuc_unpack(
            data, 0, coarse_octets, fine_octets, pfield
        )
        if length != len(data):
            raise LengthError("cuc_time", 0, length, len(data))
        return cls(coarse, fine, n_coarse, n_fine, pfield, code_id if pfield else time_code_id)
