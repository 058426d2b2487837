"""What every C-backed function shares: input views, and C errors turned into errors.py ones.

Three rules keep the C backend identical to the pure twin for every input, not only the
common ones:

- Arguments C cannot hold exactly (floats, integers beyond 64 bits, offsets outside the
  buffer, which Python would index from the end when negative, buffers whose items are not
  octets) go to the pure twin, which decides; they are rare, and the twin is the reference.
- An argument out of its range is re-raised by the twin, so the `FieldRangeError` carries the
  caller's own object as `actual` (``True`` prints differently from ``1``).
- C runs without an error record on the fast path; only when it fails is it called again
  with one to fetch the details. The functions are pure, so the second call fails the same
  way, and successful calls save an allocation.
"""

import ctypes
from collections.abc import Callable
from typing import Any, NoReturn

from flight.ccsds._ccsds_c import ffi, lib  # type: ignore[import-not-found]
from flight.ccsds.errors import (
    ChecksumError,
    CodecError,
    CodingError,
    FieldRangeError,
    FramingError,
    HeaderError,
    LengthError,
    TruncatedError,
)

__all__ = [
    "ARG_ERRORS",
    "NULL",
    "buffer",
    "error",
    "fail",
    "ffi",
    "from_buffer",
    "lib",
    "new",
    "new_unzeroed",
    "octets",
    "output_bytearray",
    "raw",
]

new = ffi.new
# for outputs C overwrites before anyone reads them: skipping the zero fill keeps a reused
# multi-MiB block from being memset, and fresh pages untouched by C from being faulted in
new_unzeroed = ffi.new_allocator(should_clear_after_alloc=False)
buffer = ffi.buffer
NULL = ffi.NULL
ARG_ERRORS = (TypeError, OverflowError)  # cffi refused an argument: the twin decides
from_buffer = ffi.from_buffer


def _bytearray_maker() -> Callable[[int], bytearray]:
    """`PyByteArray_FromStringAndSize(NULL, n)`, which leaves the n octets unwritten.

    `bytearray(n)` zero-fills: for a 16 MiB packet stream that is a third of the time, a
    whole pass over memory that C overwrites next. Where the C API is not reachable through
    ctypes (not CPython), plain `bytearray` does the same job more slowly.
    """
    try:
        make = ctypes.pythonapi.PyByteArray_FromStringAndSize
    except AttributeError:  # pragma: no cover - CPython always has it
        return bytearray
    make.restype = ctypes.py_object
    make.argtypes = [ctypes.c_char_p, ctypes.c_ssize_t]
    return lambda size: make(None, size)


_unwritten_bytearray = _bytearray_maker()


def output_bytearray(size: int) -> bytearray:
    """A new bytearray of `size` octets for C to fill whole; its octets start out unwritten.

    Only for outputs C writes completely before anyone reads them: check the length C
    reports, and drop the bytearray on any error.
    """
    return _unwritten_bytearray(size)


def octets(data: Any) -> Any:
    """Return what C can read `data` through when the twin indexes it as octets, else None.

    `bytes` pass as they are (cffi hands C their storage); bytearrays and octet memoryviews
    go through `ffi.from_buffer`; anything else is left to the twin.
    """
    kind = type(data)
    if kind is bytes:
        return data
    if kind is bytearray or (
        kind is memoryview and data.format == "B" and data.ndim == 1 and data.c_contiguous
    ):
        return from_buffer("uint8_t[]", data)
    return None


def raw(data: Any) -> Any:
    """Return the octets of any C-contiguous buffer (what the twin's `bytes(data)` sees)."""
    if type(data) is bytes:
        return data
    try:
        return from_buffer("uint8_t[]", data)
    except (TypeError, BufferError, ValueError):
        return None


def _text(value: Any) -> str | None:
    return None if value == NULL else ffi.string(value).decode()


def error(status: int, err: Any) -> CodecError:  # noqa: PLR0911 - one return per error class
    """Build the errors.py exception a C error record describes."""
    field = _text(err.field) or ""
    text = _text(err.text)
    expected: Any = err.expected
    if text is not None:
        expected = text % expected if "%d" in text else text
    if status == lib.CCSDS_ERR_TRUNCATED:
        return TruncatedError(field, err.offset, err.expected, err.actual)
    if status == lib.CCSDS_ERR_HEADER:
        return HeaderError(field, err.offset, expected, err.actual)
    if status == lib.CCSDS_ERR_LENGTH:
        return LengthError(field, err.offset, expected, err.actual)
    if status == lib.CCSDS_ERR_CHECKSUM:
        return ChecksumError(err.offset, err.expected, err.actual, field)
    if status == lib.CCSDS_ERR_FRAMING:
        return FramingError(text or "", err.offset)
    if status == lib.CCSDS_ERR_RANGE:
        return FieldRangeError(field, err.low, err.high, err.actual)
    if status == lib.CCSDS_ERR_CODING:
        return CodingError(field, err.offset, text or "")
    # an output buffer the binding sized too small: a bug here, never the caller's input
    return CodecError(f"C codec status {status} for {field}", field)


def fail(status: int, call: Callable[[Any], int], twin: Callable[..., Any], *args: Any) -> NoReturn:
    """Raise the error of a failed C call; `call(err)` repeats it with an error record."""
    if status == lib.CCSDS_ERR_RANGE:
        twin(*args)  # raises the same FieldRangeError, holding the caller's objects
    err = new("ccsds_error *")
    raise error(call(err), err)
