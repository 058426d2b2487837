"""Bounded reading of a telecommand's application data: every read checks the length first."""

from flight.core.errors import CommandRejectedError, FailureCode

__all__ = ["AppDataReader"]


class AppDataReader:
    """Reads big-endian fields from `data`; running past its end is a `BAD_LENGTH` rejection.

    >>> reader = AppDataReader(bytes([2, 0, 7]))
    >>> reader.uint(1), reader.uint(2)
    (2, 7)
    >>> reader.finish()
    """

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._offset = 0

    @property
    def remaining(self) -> int:
        """Octets not read yet."""
        return len(self._data) - self._offset

    def take(self, size: int) -> bytes:
        """Return the next `size` octets."""
        if size > self.remaining:
            raise CommandRejectedError(
                FailureCode.BAD_LENGTH,
                f"needs {size} octets at offset {self._offset}, {self.remaining} left",
            )
        chunk = self._data[self._offset : self._offset + size]
        self._offset += size
        return chunk

    def uint(self, size: int) -> int:
        """Return the next `size`-octet unsigned integer."""
        return int.from_bytes(self.take(size), "big")

    def rest(self) -> bytes:
        """Return everything not read yet."""
        return self.take(self.remaining)

    def finish(self) -> None:
        """Check that nothing is left over."""
        if self.remaining:
            raise CommandRejectedError(
                FailureCode.BAD_LENGTH, f"{self.remaining} octets left over at {self._offset}"
            )
