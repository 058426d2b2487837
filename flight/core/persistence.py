"""Power-safe storage of small state (parameters, the schedule), per DESIGN decision 6.

Each store keeps two copies, ``NAME.a`` and ``NAME.b``. A save writes the copy that does not
hold the newest state: into a temporary file in the same directory, fsync, `os.replace`, then
fsync the directory. Each copy carries a sequence number and a CRC-32, so at boot the newest
copy that checks out wins and a torn or corrupted copy is ignored. A power cut at any moment
leaves the old state or the new one, never a mix. Any failed write, fsync or rename raises
`DurabilityError` and leaves the store's idea of the newest copy unchanged.

Record layout (big-endian): magic ``STRL`` | version u8 | sequence u64 | length u32 |
payload | CRC-32 (zlib) u32 of everything before it.
"""

import contextlib
import os
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

from flight.core.errors import DurabilityError

__all__ = ["RECORD_VERSION", "Store"]

RECORD_VERSION = 1
_MAGIC = b"STRL"
_HEAD = struct.Struct(">4sBQI")
_CRC = struct.Struct(">I")
_SLOTS = ("a", "b")


def _decode(data: bytes) -> tuple[int, bytes] | None:
    """Return (sequence, payload) of a valid record, or None."""
    if len(data) < _HEAD.size + _CRC.size:
        return None
    magic, version, sequence, length = _HEAD.unpack_from(data)
    if magic != _MAGIC or version != RECORD_VERSION:
        return None
    if len(data) != _HEAD.size + length + _CRC.size:
        return None
    body = data[: _HEAD.size + length]
    (crc,) = _CRC.unpack_from(data, _HEAD.size + length)
    if zlib.crc32(body) != crc:
        return None
    return sequence, data[_HEAD.size : _HEAD.size + length]


class Store:
    """A/B copies of one state blob in `directory`.

    Args:
        directory: where the copies live (created if missing).
        name: the store's file name stem, e.g. ``"parameters"``.
        fsync: the fsync function; a seam for tests that inject failures.

    >>> import tempfile
    >>> store = Store(Path(tempfile.mkdtemp()), "example")
    >>> store.load() is None
    True
    >>> store.save(b"gain=4")
    >>> Store(store.directory, "example").load()
    b'gain=4'
    """

    def __init__(
        self, directory: Path, name: str, *, fsync: Callable[[int], None] = os.fsync
    ) -> None:
        self.directory = Path(directory)
        self.name = name
        self._fsync = fsync
        self.sequence = 0
        self._newest: str | None = None
        self.directory.mkdir(parents=True, exist_ok=True)

    def path(self, slot: str) -> Path:
        """The file of copy `slot` ("a" or "b")."""
        return self.directory / f"{self.name}.{slot}"

    def load(self) -> bytes | None:
        """Return the payload of the newest valid copy (None if there is none)."""
        best: tuple[int, str, bytes] | None = None
        for slot in _SLOTS:
            try:
                data = self.path(slot).read_bytes()
            except FileNotFoundError:
                continue
            record = _decode(data)
            if record is not None and (best is None or record[0] > best[0]):
                best = (record[0], slot, record[1])
        if best is None:
            self.sequence, self._newest = 0, None
            return None
        self.sequence, self._newest, payload = best
        return payload

    def save(self, payload: bytes) -> None:
        """Store `payload` durably as the newest copy.

        Raises:
            DurabilityError: a step failed; the previous newest copy is untouched.
        """
        sequence = self.sequence + 1
        slot = "b" if self._newest == "a" else "a"
        target = self.path(slot)
        body = _HEAD.pack(_MAGIC, RECORD_VERSION, sequence, len(payload)) + payload
        record = body + _CRC.pack(zlib.crc32(body))
        tmp = self.directory / f".{self.name}.{slot}.tmp"
        step = "open"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                step = "write"
                view = memoryview(record)
                while view:
                    view = view[os.write(fd, view) :]
                step = "fsync"
                self._fsync(fd)
            finally:
                os.close(fd)
            step = "replace"
            os.replace(tmp, target)
            step = "fsync_dir"
            dir_fd = os.open(self.directory, os.O_RDONLY | os.O_DIRECTORY)
            try:
                self._fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise DurabilityError(str(target), step, exc) from exc
        self.sequence = sequence
        self._newest = slot
