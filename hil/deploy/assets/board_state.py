"""The deploy state under a board's prefix: A/B slots, the ``current`` link, the lock, the
unit's identity and keys; written power-safe (temp file, fsync, rename, fsync the directory).

Part of the board agent's one script (`hil.deploy.assets.agent_program`): standard library only.
"""

import base64
import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hil.deploy.assets.bundle_verify import SAFE_NAME, AgentError

__all__ = [
    "SLOTS",
    "Board",
    "fsync_dir",
    "install_flight_key",
    "toml_dumps",
    "write_atomic",
    "write_identity",
]

SLOTS = ("a", "b")


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, mode: int) -> None:
    """Write via a temp file in the same directory, fsync, rename, fsync the directory."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.fchmod(fd, mode)  # an existing temp file keeps its old mode otherwise
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    fsync_dir(path.parent)


class Board:
    """The deploy state under one prefix."""

    def __init__(self, prefix: Path) -> None:
        self.prefix = prefix
        self.current = prefix / "current"

    def slot(self, name: str) -> Path:
        return self.prefix / "slots" / name

    def active(self) -> str | None:
        try:
            target = os.readlink(self.current)
        except OSError:
            return None
        name = Path(target).name
        return name if name in SLOTS else None

    def slot_info(self, name: str) -> dict[str, Any] | None:
        marker = self.slot(name) / ".installed"
        try:
            info: dict[str, Any] = json.loads(marker.read_text())
        except (OSError, ValueError):
            return None
        return info

    def switch(self, name: str) -> None:
        """Point ``current`` at slot `name` atomically: new symlink, then rename over."""
        tmp = self.prefix / ".current.new"
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        os.symlink(f"slots/{name}", tmp)
        os.replace(tmp, self.current)
        fsync_dir(self.prefix)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        self.prefix.mkdir(parents=True, exist_ok=True)
        with (self.prefix / ".deploy.lock").open("a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise AgentError("busy", "another deploy holds the board lock") from exc
            yield


def toml_dumps(table: dict[str, Any]) -> str:
    """Write a flat table (strings, integers, lists of integers, one level of sub-tables)."""

    def value(item: Any) -> str:
        if isinstance(item, bool) or not isinstance(item, (str, int, list)):
            raise TypeError(f"unsupported TOML value {item!r}")
        if isinstance(item, list):
            return "[" + ", ".join(value(v) for v in item) + "]"
        return json.dumps(item) if isinstance(item, str) else str(item)

    lines = [f"{k} = {value(v)}" for k, v in table.items() if not isinstance(v, dict)]
    for key, sub in table.items():
        if isinstance(sub, dict):
            lines += ["", f"[{key}]"] + [f"{k} = {value(v)}" for k, v in sub.items()]
    return "\n".join(lines) + "\n"


def write_identity(board: Board, identity: dict[str, Any]) -> None:
    base = board.prefix / "identity"
    keys = base / "keys"
    keys.mkdir(parents=True, exist_ok=True)
    os.chmod(base, 0o700)
    os.chmod(keys, 0o700)
    key_paths: dict[str, Any] = {}
    for name, encoded in sorted(identity.pop("auth_keys", {}).items()):
        if not SAFE_NAME.match(name):
            raise AgentError("malformed", f"auth key name refused: {name!r}")
        path = keys / f"{name}.key"
        write_atomic(path, base64.b64decode(encoded), 0o600)
        key_paths[name] = str(path)
    identity["auth_keys"] = key_paths
    flight_key = identity.get("flight_key")
    if flight_key is not None:
        install_flight_key(board, flight_key, key_paths)
    write_atomic(base / "unit.toml", toml_dumps(identity).encode(), 0o600)


def install_flight_key(board: Board, spec: dict[str, Any], key_paths: dict[str, Any]) -> None:
    """Copy identity key ``spec["name"]`` to where the flight reads it: data/DIR/SPI.key.

    The flight loads ``<SPI>.key`` files from its mission's key directory under its data
    directory, not from identity/; the ground names both (from the bundle's mission).
    """
    name, directory, spi = spec.get("name"), str(spec.get("dir", "")), spec.get("spi")
    parts = Path(directory).parts
    if (
        name not in key_paths
        or not isinstance(spi, int)
        or isinstance(spi, bool)
        or not 1 <= spi <= 0xFFFE
        or not parts
        or Path(directory).is_absolute()
        or not all(SAFE_NAME.match(part) for part in parts)
    ):
        raise AgentError("malformed", f"flight key refused: {spec!r}")
    target = board.prefix / "data"
    for part in parts:  # 0700 all the way: the flight refuses a key directory others can write
        target = target / part
        target.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(target, 0o700)
    write_atomic(target / f"{spi}.key", Path(key_paths[name]).read_bytes(), 0o600)
