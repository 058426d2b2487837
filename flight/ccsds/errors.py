"""The codec's error tree, rooted at `CodecError`.

    CodecError                 anything the codec refuses; carries `field` and `offset`
    ├── TruncatedError         the buffer ends before a field does (`needed`, `available`)
    ├── HeaderError            a header field holds a value the standard forbids
    ├── LengthError            a length field disagrees with the bytes present or allowed
    ├── ChecksumError          the packet error control (CRC-16) does not match
    ├── FramingError           a COBS frame is malformed
    └── FieldRangeError        a value handed to `pack` does not fit its field

Every error names the offending field and the byte offset where it sits, so a ground
operator or a rejection counter can say exactly what was wrong. This module keeps to the
subset of Python that MicroPython runs: the pure codec twin raises these errors there too.
"""

__all__ = [
    "ChecksumError",
    "CodecError",
    "FieldRangeError",
    "FramingError",
    "HeaderError",
    "LengthError",
    "TruncatedError",
]


class CodecError(Exception):
    """Root of the codec's errors.

    Attributes:
        field: name of the offending field, e.g. ``"apid"`` or ``"packet_data_length"``.
        offset: byte offset of that field in the input (-1 when not tied to input bytes).
        expected: what the field should have held, when one value was expected.
        actual: what the field held.
    """

    def __init__(
        self,
        message: str,
        field: str = "",
        offset: int = -1,
        expected: object = None,
        actual: object = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.offset = offset
        self.expected = expected
        self.actual = actual

    def __str__(self) -> str:
        return self.message


class TruncatedError(CodecError):
    """The input ends before the field at `offset` does."""

    def __init__(self, field: str, offset: int, needed: int, available: int) -> None:
        super().__init__(
            f"truncated: {field} needs {needed} bytes at offset {offset}, {available} available",
            field,
            offset,
            needed,
            available,
        )
        self.needed = needed
        self.available = available


class HeaderError(CodecError):
    """A header field holds a value the standard forbids (version, PUS version, type)."""

    def __init__(self, field: str, offset: int, expected: object, actual: object) -> None:
        super().__init__(
            f"bad {field} at offset {offset}: expected {expected!r}, got {actual!r}",
            field,
            offset,
            expected,
            actual,
        )


class LengthError(CodecError):
    """A length field disagrees with the bytes present or with the allowed range."""

    def __init__(self, field: str, offset: int, expected: object, actual: object) -> None:
        super().__init__(
            f"bad {field} at offset {offset}: expected {expected}, got {actual!r}",
            field,
            offset,
            expected,
            actual,
        )


class ChecksumError(CodecError):
    """The CRC-16/CCITT-FALSE packet error control does not match the packet."""

    def __init__(self, offset: int, expected: int, actual: int) -> None:
        super().__init__(
            f"packet error control at offset {offset}: "
            f"computed 0x{expected:04X}, packet holds 0x{actual:04X}",
            "packet_error_control",
            offset,
            expected,
            actual,
        )


class FramingError(CodecError):
    """A COBS frame is malformed (a zero byte inside it, or a code running past its end)."""

    def __init__(self, reason: str, offset: int) -> None:
        super().__init__(f"COBS frame {reason} at offset {offset}", "cobs", offset)


class FieldRangeError(CodecError):
    """A value handed to `pack` does not fit its field."""

    def __init__(self, field: str, low: int, high: int, actual: object) -> None:
        super().__init__(
            f"{field} must be in {low}..{high}, got {actual!r}",
            field,
            -1,
            (low, high),
            actual,
        )
