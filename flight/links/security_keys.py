"""Keys from files, never from the link: loading with permission checks, development keys.

A unit's keys live in one directory, one file per key named ``<SPI>.key`` holding 64 hex
digits (a 256-bit HMAC-SHA-256 key). A key file must be a regular file (not a symbolic
link) owned by the flight's user or root with no access for group or other; the directory
must not be writable by group or other (someone could plant a key). Anything else is refused
with `KeyFileError` before the flight starts.

The demo mission generates a development key on first run (`ensure_dev_key`), mode 0600,
in its data directory; the ground on the same machine signs with it (`signer_for_mission`).
"""

import os
import re
import secrets
import stat
from pathlib import Path

from flight.core.mission import Mission
from flight.core.persistence import Store
from flight.links.errors import KeyFileError
from flight.links.security import Signer

__all__ = [
    "DEV_SPI",
    "KEY_LENGTH",
    "KeyFileError",
    "ensure_dev_key",
    "load_key",
    "load_keyring",
    "signer_for_mission",
    "write_key",
]

KEY_LENGTH = 32
DEV_SPI = 1
_KEY_FILE = re.compile(r"^(\d{1,5})\.key$")
_MAX_FILE = 256  # a key file is 64 hex digits and a newline; more is not a key file
_GROUND_STATE = "ground"


def load_key(path: Path) -> bytes:
    """Read one key file, checking what it is and who may read it.

    Raises:
        KeyFileError: missing, a link, not a regular file, open to group/other, owned by
            someone else, or not 64 hex digits.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError as exc:
        raise KeyFileError(str(path), f"cannot open key file: {exc.strerror}") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise KeyFileError(str(path), "a key file must be a regular file")
        if info.st_mode & 0o077:
            raise KeyFileError(
                str(path),
                f"key file is open to group or other (mode {stat.S_IMODE(info.st_mode):04o}); "
                f"chmod 600 {path}",
            )
        if info.st_uid not in (os.geteuid(), 0):
            raise KeyFileError(str(path), f"key file is owned by uid {info.st_uid}")
        data = os.read(fd, _MAX_FILE + 1)
    finally:
        os.close(fd)
    try:
        key = bytes.fromhex(data.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        key = b""
    if len(data) > _MAX_FILE or len(key) != KEY_LENGTH:
        raise KeyFileError(str(path), f"a key file holds {2 * KEY_LENGTH} hex digits")
    return key


def load_keyring(directory: Path) -> dict[int, bytes]:
    """Every key in `directory`, by SPI.

    Raises:
        KeyFileError: the directory is missing, writable by group/other, or holds no key;
            or a key file fails `load_key`.
    """
    try:
        info = os.stat(directory)
    except OSError as exc:
        raise KeyFileError(str(directory), f"no key directory: {exc.strerror}") from exc
    if not stat.S_ISDIR(info.st_mode):
        raise KeyFileError(str(directory), "the key directory is not a directory")
    if info.st_mode & 0o022:
        raise KeyFileError(
            str(directory), f"key directory is writable by group or other; chmod 700 {directory}"
        )
    keys: dict[int, bytes] = {}
    for entry in sorted(Path(directory).iterdir()):
        match = _KEY_FILE.match(entry.name)
        if match is None:
            continue
        spi = int(match.group(1))
        if not 1 <= spi <= 0xFFFE:
            raise KeyFileError(str(entry), "SPI outside 1..65534")
        keys[spi] = load_key(entry)
    if not keys:
        raise KeyFileError(str(directory), "no <SPI>.key file in the key directory")
    return keys


def write_key(path: Path, key: bytes | None = None) -> bytes:
    """Create key file `path` (mode 0600, never overwriting) holding `key` or a fresh one.

    Raises:
        KeyFileError: the file exists or cannot be written durably.
    """
    key = secrets.token_bytes(KEY_LENGTH) if key is None else key
    if len(key) != KEY_LENGTH:
        raise ValueError(f"a key is {KEY_LENGTH} octets")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            os.fchmod(fd, 0o600)  # the umask can only narrow the mode; make it exact anyway
            os.write(fd, key.hex().encode("ascii") + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)
        dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError as exc:
        raise KeyFileError(str(path), f"cannot write key file: {exc.strerror}") from exc
    return key


def ensure_dev_key(directory: Path, spi: int = DEV_SPI) -> Path | None:
    """Make a development key ``<spi>.key`` in `directory` when it holds no key yet.

    Returns the new file's path, or None when a key was already there.

    Raises:
        KeyFileError: the key cannot be written.
    """
    if directory.is_dir() and any(_KEY_FILE.match(p.name) for p in directory.iterdir()):
        return None
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    path = directory / f"{spi}.key"
    write_key(path)
    return path


def signer_for_mission(
    mission: Mission,
    *,
    data_dir: Path | None = None,
    state_dir: Path | None = None,
    spi: int | None = None,
) -> Signer:
    """The ground's signer for `mission`: its key file and a persisted sequence number.

    Args:
        mission: the mission (its ``[security]`` table names the key directory and SPI).
        data_dir: the directory the key directory is under (default: the mission's).
        state_dir: where the signer keeps its sequence number (default: ``ground/`` under
            `data_dir`); each ground station signing with one key needs its own SPI.
        spi: the key to sign with (default: the mission's).

    Raises:
        KeyFileError: the key file is missing or fails its checks.
    """
    directory = mission.data_dir if data_dir is None else Path(data_dir)
    spi = mission.security.spi if spi is None else spi
    key = load_key(mission.security.key_path(directory) / f"{spi}.key")
    state = directory / _GROUND_STATE if state_dir is None else Path(state_dir)
    return Signer(spi, key, Store(state, f"sequence-{spi}"))
