"""The codec's error tree, rooted at `CodecError`.

    CodecError                 anything the codec refuses; carries `field` and `offset`
    ├── TruncatedError         the buffer ends before a field does (`needed`, `available`)
    ├── HeaderError            a header field holds a value the standard forbids
    ├── LengthError            a length field disagrees with the bytes present or allowed
    ├── ChecksumError          a CRC-16 (packet error control, frame error control) does not match
    ├── FramingError           a COBS frame is malformed
    ├── CodingError            channel coding failed: no CLTU start sequence, or a BCH code
    │                          block with more errors than the code corrects
    └── FieldRangeError        a value handed to `pack` does not fit its field

Every error names the offending field and the byte offset where it sits, so a ground
operator or a rejection counter can say exactly what was wrong. This module keeps to the
subset of Python that MicroPython runs: the pure codec twin raises these errors there too.
"""

__all__ = [
    "ChecksumError",
    "CodecError",
    "CodingError",
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
    """A CRC-16/CCITT-FALSE (packet or frame error control) does not match its data.

    `field` is ``"packet_error_control"`` for a packet, ``"frame_error_control"`` for a
    transfer frame's FECF.
    """

    def __init__(
        self, offset: int, expected: int, actual: int, field: str = "packet_error_control"
    ) -> None:
        words = " ".join(field.split("_"))
        holder = "packet" if field == "packet_error_control" else "frame"
        super().__init__(
            f"{words} at offset {offset}: computed 0x{expected:04X}, {holder} holds 0x{actual:04X}",
            field,
            offset,
            expected,
            actual,
        )


class FramingError(CodecError):
    """A COBS frame is malformed (a zero byte inside it, or a code running past its end)."""

    def __init__(self, reason: str, offset: int) -> None:
        super().__init__(f"COBS frame {reason} at offset {offset}", "cobs", offset)


class CodingError(CodecError):
    """Channel coding failed (CCSDS 231.0-B): no CLTU start sequence, or a code block that
    the BCH(63,56) code cannot correct (two or more bit errors, or any error when correction
    is off)."""

    def __init__(self, field: str, offset: int, reason: str) -> None:
        super().__init__(f"{field} at offset {offset}: {reason}", field, offset, reason)
        self.reason = reason


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
