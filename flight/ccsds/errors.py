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

    def __init__(self, message, field="", offset=-1, expected=None, actual=None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.offset = offset
        self.expected = expected
        self.actual = actual

    def __str__(self):
        return self.message


class TruncatedError(CodecError):
    """The input ends before the field at `offset` does."""

    def __init__(self, field, offset, needed, available):
        super().__init__(
            "truncated: %s needs %d bytes at offset %d, %d available"
            % (field, needed, offset, available),
            field,
            offset,
            needed,
            available,
        )
        self.needed = needed
        self.available = available


class HeaderError(CodecError):
    """A header field holds a value the standard forbids (version, PUS version, type)."""

    def __init__(self, field, offset, expected, actual):
        super().__init__(
            "bad %s at offset %d: expected %r, got %r" % (field, offset, expected, actual),
            field,
            offset,
            expected,
            actual,
        )


class LengthError(CodecError):
    """A length field disagrees with the bytes present or with the allowed range."""

    def __init__(self, field, offset, expected, actual):
        super().__init__(
            "bad %s at offset %d: expected %s, got %r" % (field, offset, expected, actual),
            field,
            offset,
            expected,
            actual,
        )


class ChecksumError(CodecError):
    """The CRC-16/CCITT-FALSE packet error control does not match the packet."""

    def __init__(self, offset, expected, actual):
        super().__init__(
            "packet error control at offset %d: computed 0x%04X, packet holds 0x%04X"
            % (offset, expected, actual),
            "packet_error_control",
            offset,
            expected,
            actual,
        )


class FramingError(CodecError):
    """A COBS frame is malformed (a zero byte inside it, or a code running past its end)."""

    def __init__(self, reason, offset):
        super().__init__("COBS frame %s at offset %d" % (reason, offset), "cobs", offset)


class FieldRangeError(CodecError):
    """A value handed to `pack` does not fit its field."""

    def __init__(self, field, low, high, actual):
        super().__init__(
            "%s must be in %d..%d, got %r" % (field, low, high, actual),
            field,
            -1,
            (low, high),
            actual,
        )
