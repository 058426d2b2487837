"""Board-side deploy agent: receive, verify and install bundles into A/B slots; switch; restart.

The ground runs this file over SSH as ``python3 -c SOURCE COMMAND ...`` (so nothing of it has to
be on the board beforehand) or from the SD card at first boot. It needs only the standard
library and, for signatures, `cryptography`. It prints JSON lines: ``{"event": "stage", ...}``
while it works, then one ``{"event": "result", ...}`` or ``{"event": "error", "kind": ...}``.

Layout under the board's prefix::

    keys/*.pub          trusted Ed25519 public keys (PEM); a bundle must verify under one
    incoming/           uploads: NAME.part while arriving, NAME once size and SHA-256 match
    slots/a, slots/b    installed bundles, each with its own venv/; ``.installed`` is written last
    current -> slots/X  the active slot, switched by renaming a new symlink over the old one
    identity/           unit.toml and keys/*.key (0600): the unit's serial, IDs, link, auth keys
    data/               the flight application's data directory, kept across versions; an
                        authenticated mission's key is copied to data/KEY_DIR/SPI.key
    run/, log/          the launcher's pid file and log (supervisor mode)

Nothing reaches the active slot until the whole bundle has arrived, its signature verified and
every file matched the signed manifest, so an interrupted transfer leaves the running version
alone.
"""

import argparse
import base64
import contextlib
import fcntl
import hashlib
import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

__all__ = ["AgentError", "main", "open_bundle", "render_unit", "toml_dumps"]

SLOTS = ("a", "b")
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.+-]*$")
_CHUNK = 1 << 16
_MAX_MANIFEST = 1 << 20


class AgentError(Exception):
    """A refusal the ground should see, with a machine-readable `kind`."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def _emit(event: str, **fields: Any) -> None:
    print(json.dumps({"event": event, **fields}), flush=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomic(path: Path, data: bytes, mode: int) -> None:
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
    _fsync_dir(path.parent)


# --- bundles ------------------------------------------------------------------------------


def _check_name(name: str) -> None:
    parts = name.split("/")
    if not all(_SAFE_NAME.match(part) for part in parts):
        raise AgentError("unsafe-path", f"bundle member name refused: {name!r}")


def _read_member(tar: tarfile.TarFile, name: str, limit: int) -> bytes:
    try:
        member = tar.getmember(name)
    except KeyError as exc:
        raise AgentError("malformed", f"bundle has no {name}") from exc
    source = tar.extractfile(member) if member.isreg() else None
    if source is None or member.size > limit:
        raise AgentError("malformed", f"bundle member {name} is not a small regular file")
    return source.read()


def _verify_signature(message: bytes, signature: bytes, key_dir: Path) -> str:
    from cryptography.exceptions import InvalidSignature  # noqa: PLC0415 - only verify needs it
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (  # noqa: PLC0415
        Ed25519PublicKey,
    )
    from cryptography.hazmat.primitives.serialization import load_pem_public_key  # noqa: PLC0415

    paths = sorted(key_dir.glob("*.pub")) if key_dir.is_dir() else []
    if not paths:
        raise AgentError("no-trusted-key", f"no trusted public key in {key_dir}")
    for path in paths:
        key = load_pem_public_key(path.read_bytes())
        if not isinstance(key, Ed25519PublicKey):
            continue
        try:
            key.verify(signature, message)
        except InvalidSignature:
            continue
        return path.name
    raise AgentError("signature", f"bundle signature matches none of {len(paths)} trusted key(s)")


def open_bundle(path: Path, key_dir: Path, dest: Path | None = None) -> dict[str, Any]:
    """Verify a bundle's signature and every file's SHA-256; extract into `dest` if given.

    Files are hashed as they are extracted and the whole bundle is refused on any mismatch, any
    member the manifest does not list, any listed file missing, or any unsafe member name.

    Returns:
        The verified manifest, with ``"trusted_key"`` naming the key file that verified it.

    Raises:
        AgentError: kind ``signature``, ``checksum``, ``unsafe-path``, ``malformed`` or
            ``no-trusted-key``.
    """
    try:
        tar = tarfile.open(path, "r:")  # noqa: SIM115 - closed by the with below
    except (OSError, tarfile.TarError) as exc:
        raise AgentError("malformed", f"not a bundle: {exc}") from exc
    with tar:
        manifest_bytes = _read_member(tar, MANIFEST, _MAX_MANIFEST)
        key_name = _verify_signature(manifest_bytes, _read_member(tar, SIGNATURE, 64), key_dir)
        manifest: dict[str, Any] = json.loads(manifest_bytes)
        expected: dict[str, dict[str, Any]] = manifest["files"]
        seen: set[str] = set()
        for member in tar:
            if member.name in (MANIFEST, SIGNATURE):
                continue
            _check_name(member.name)
            entry = expected.get(member.name)
            if not member.isreg() or entry is None or member.name in seen:
                raise AgentError("malformed", f"unexpected bundle member {member.name!r}")
            seen.add(member.name)
            digest = _copy_member(tar, member, dest)
            if digest != entry["sha256"] or member.size != entry["size"]:
                raise AgentError("checksum", f"{member.name} does not match the manifest")
        missing = sorted(set(expected) - seen)
        if missing:
            raise AgentError("checksum", f"bundle lacks {', '.join(missing)}")
    if dest is not None:
        for name in (MANIFEST, SIGNATURE):
            with tarfile.open(path, "r:") as again:
                (dest / name).write_bytes(_read_member(again, name, _MAX_MANIFEST))
    manifest["trusted_key"] = key_name
    return manifest


def _copy_member(tar: tarfile.TarFile, member: tarfile.TarInfo, dest: Path | None) -> str:
    source = tar.extractfile(member)
    if source is None:
        raise AgentError("malformed", f"cannot read {member.name}")
    digest = hashlib.sha256()
    out: IO[bytes] | None = None
    if dest is not None:
        target = dest / member.name
        target.parent.mkdir(parents=True, exist_ok=True)
        out = target.open("wb")
    try:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            if out is not None:
                out.write(chunk)
    finally:
        if out is not None:
            out.close()
    return digest.hexdigest()


# --- board state --------------------------------------------------------------------------


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
        _fsync_dir(self.prefix)

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


def _write_identity(board: Board, identity: dict[str, Any]) -> None:
    base = board.prefix / "identity"
    keys = base / "keys"
    keys.mkdir(parents=True, exist_ok=True)
    os.chmod(base, 0o700)
    os.chmod(keys, 0o700)
    key_paths: dict[str, Any] = {}
    for name, encoded in sorted(identity.pop("auth_keys", {}).items()):
        if not _SAFE_NAME.match(name):
            raise AgentError("malformed", f"auth key name refused: {name!r}")
        path = keys / f"{name}.key"
        _write_atomic(path, base64.b64decode(encoded), 0o600)
        key_paths[name] = str(path)
    identity["auth_keys"] = key_paths
    flight_key = identity.get("flight_key")
    if flight_key is not None:
        _install_flight_key(board, flight_key, key_paths)
    _write_atomic(base / "unit.toml", toml_dumps(identity).encode(), 0o600)


def _install_flight_key(board: Board, spec: dict[str, Any], key_paths: dict[str, Any]) -> None:
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
        or not all(_SAFE_NAME.match(part) for part in parts)
    ):
        raise AgentError("malformed", f"flight key refused: {spec!r}")
    target = board.prefix / "data"
    for part in parts:  # 0700 all the way: the flight refuses a key directory others can write
        target = target / part
        target.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(target, 0o700)
    _write_atomic(target / f"{spi}.key", Path(key_paths[name]).read_bytes(), 0o600)


# --- service control ----------------------------------------------------------------------


def render_unit(template: str, prefix: Path, python: str) -> str:
    """Fill the unit template's ``@PREFIX@`` and ``@PYTHON@`` placeholders."""
    return template.replace("@PREFIX@", str(prefix)).replace("@PYTHON@", python)


def _launcher_pid(board: Board) -> int | None:
    try:
        pid = int((board.prefix / "run" / "launcher.pid").read_text())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return None
    # A recycled pid belongs to some other program: only signal our launcher.
    return pid if b"launcher.py" in cmdline and str(board.prefix).encode() in cmdline else None


def _stop(board: Board, timeout: float) -> None:
    pid = _launcher_pid(board)
    if pid is None:
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _launcher_pid(board) == pid:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.05)
    if _launcher_pid(board) == pid:
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(FileNotFoundError):
        (board.prefix / "run" / "launcher.pid").unlink()


def _start_supervised(board: Board, ready_timeout: float) -> dict[str, Any]:
    """Start the active slot's launcher detached and wait for its READY=1."""
    slot = board.current.resolve()
    for sub in ("run", "log", "data"):
        (board.prefix / sub).mkdir(exist_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    address = f"\0starling-agent-{os.getpid()}-{time.monotonic_ns()}"
    listener.bind(address)
    env = dict(os.environ, NOTIFY_SOCKET="@" + address[1:])
    with (board.prefix / "log" / "launcher.log").open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 - the argv is built here, not from input
            [
                str(slot / "venv/bin/python"),
                str(slot / "launcher.py"),
                "supervise",
                "--root",
                str(board.prefix),
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            env=env,
            start_new_session=True,  # outlive this SSH session
        )
    _write_atomic(board.prefix / "run" / "launcher.pid", str(process.pid).encode(), 0o644)
    deadline = time.monotonic() + ready_timeout
    with listener:
        while (left := deadline - time.monotonic()) > 0:
            if process.poll() is not None:
                return {"ready": False, "pid": process.pid, "exit": process.returncode}
            listener.settimeout(min(left, 0.2))
            try:
                message = listener.recv(4096).decode(errors="replace")
            except TimeoutError:
                continue
            if "READY=1" in message.splitlines():
                return {"ready": True, "pid": process.pid}
    return {"ready": False, "pid": process.pid, "exit": None}


def _restart(board: Board, args: argparse.Namespace) -> dict[str, Any]:
    if args.service == "systemd":
        subprocess.run(  # noqa: S603
            ["systemctl", "restart", args.unit_name],  # noqa: S607 - systemctl is on PATH
            check=True,
            timeout=args.ready_timeout + 30,
        )
        return {"ready": True}
    _stop(board, timeout=15)
    return _start_supervised(board, args.ready_timeout)


def _install_unit(board: Board, slot: Path, args: argparse.Namespace) -> None:
    """Install the systemd unit (systemd boards only; supervisor boards need none)."""
    template = (slot / "systemd" / "starling.service.in").read_text()
    text = render_unit(template, board.prefix, str(board.current / "venv/bin/python"))
    _write_atomic(Path(args.unit_dir) / args.unit_name, text.encode(), 0o644)
    subprocess.run(["systemctl", "daemon-reload"], check=True, timeout=60)  # noqa: S607
    subprocess.run(["systemctl", "enable", args.unit_name], check=True, timeout=60)  # noqa: S603,S607


# --- commands -----------------------------------------------------------------------------


def _receive(board: Board, name: str, size: int, sha256: str, source: IO[bytes]) -> Path:
    """Store `source` as incoming/NAME, but only once its size and SHA-256 match."""
    if not _SAFE_NAME.match(name):
        raise AgentError("unsafe-path", f"bundle name refused: {name!r}")
    incoming = board.prefix / "incoming"
    incoming.mkdir(mode=0o700, parents=True, exist_ok=True)
    for stale in incoming.glob("*.part"):  # left by an earlier, interrupted upload
        stale.unlink()
    part = incoming / f"{name}.part"
    digest = hashlib.sha256()
    received = 0
    with part.open("wb") as out:
        while received < size and (chunk := source.read(min(_CHUNK, size - received))):
            digest.update(chunk)
            out.write(chunk)
            received += len(chunk)
        out.flush()
        os.fsync(out.fileno())
    if received != size or digest.hexdigest() != sha256:
        part.unlink()
        raise AgentError("transfer", f"received {received} of {size} bytes, or a bad SHA-256")
    os.replace(part, incoming / name)
    _fsync_dir(incoming)
    return incoming / name


def cmd_receive(board: Board, args: argparse.Namespace) -> dict[str, Any]:
    """Store stdin as incoming/NAME once its size and SHA-256 match."""
    with board.locked():
        _receive(board, args.name, args.size, args.sha256, sys.stdin.buffer)
    return {"received": args.size}


def _pip_install(slot: Path) -> None:
    venv = slot / "venv"
    wheels = sorted(str(p) for p in (slot / "wheels").glob("*.whl"))
    quiet = ["-q", "--disable-pip-version-check", "--no-index", "--no-cache-dir"]
    if importlib.util.find_spec("pip") is not None:
        # One pip outside the slot installs into it: creating a venv with its own pip costs
        # seconds per slot on a Pi.
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)  # noqa: S603
        pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin/python")]
    else:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)  # noqa: S603
        pip = [str(venv / "bin/python"), "-m", "pip"]
    command = [*pip, "install", *quiet, "--find-links", str(slot / "wheels"), *wheels]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise AgentError("install", f"pip failed: {result.stderr.strip()[-2000:]}")


def _install(
    board: Board, bundle: Path, identity: dict[str, Any], args: argparse.Namespace
) -> dict[str, Any]:
    previous = board.active()
    target = "b" if previous == "a" else "a"
    slot = board.slot(target)
    _emit("stage", stage="verify")
    open_bundle(bundle, board.prefix / "keys")  # refuse before touching the slot
    _emit("stage", stage="install", slot=target)
    shutil.rmtree(slot, ignore_errors=True)
    slot.mkdir(parents=True)
    manifest = open_bundle(bundle, board.prefix / "keys", dest=slot)
    _pip_install(slot)
    info = {"version": manifest["version"], "mission": manifest["mission"]}
    info["installed_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    _write_atomic(slot / ".installed", json.dumps(info).encode(), 0o644)
    if identity:
        _write_identity(board, identity)
    if args.service == "systemd":
        _install_unit(board, slot, args)
    _emit("stage", stage="switch", slot=target)
    board.switch(target)
    bundle.unlink()
    result: dict[str, Any] = {"previous": previous, "active": target, **info}
    if args.restart:
        _emit("stage", stage="restart")
        result["service"] = _restart(board, args)
    return result


def cmd_install(board: Board, args: argparse.Namespace) -> dict[str, Any]:
    """Verify incoming/BUNDLE, install it into the inactive slot, write the identity (JSON on
    stdin), switch, and restart if asked."""
    identity = json.loads(sys.stdin.read() or "{}")
    with board.locked():
        return _install(board, board.prefix / "incoming" / args.bundle, identity, args)


def cmd_push(board: Board, args: argparse.Namespace) -> dict[str, Any]:
    """Receive and install in one session: stdin is one line of identity JSON, then the bundle.

    One SSH connection instead of two matters on boards where a key exchange takes a second.
    """
    identity = json.loads(sys.stdin.buffer.readline() or b"{}")
    with board.locked():
        bundle = _receive(board, args.name, args.size, args.sha256, sys.stdin.buffer)
        _emit("stage", stage="received")
        return _install(board, bundle, identity, args)


def cmd_rollback(board: Board, args: argparse.Namespace) -> dict[str, Any]:
    """Switch back to the other slot, if it holds a complete install, and restart."""
    with board.locked():
        active = board.active()
        target = args.to or ("b" if active == "a" else "a")
        if target not in SLOTS or target == active or board.slot_info(target) is None:
            raise AgentError("no-previous-slot", f"slot {target} holds no complete install")
        board.switch(target)
        result: dict[str, Any] = {"previous": active, "active": target}
        result.update(board.slot_info(target) or {})
        if args.restart:
            result["service"] = _restart(board, args)
    return result


def cmd_restart(board: Board, args: argparse.Namespace) -> dict[str, Any]:
    """Restart the service on the active slot."""
    with board.locked():
        return {"active": board.active(), "service": _restart(board, args)}


def cmd_stop(board: Board, args: argparse.Namespace) -> dict[str, Any]:
    """Stop the supervised service."""
    del args
    with board.locked():
        _stop(board, timeout=15)
    return {"stopped": True}


def cmd_status(board: Board, args: argparse.Namespace) -> dict[str, Any]:
    """Report which version is in which slot, which is active, and whether it runs."""
    del args
    keys = sorted(p.name for p in (board.prefix / "keys").glob("*.pub"))
    return {
        "active": board.active(),
        "slots": {name: board.slot_info(name) for name in SLOTS},
        "launcher_pid": _launcher_pid(board),
        "trusted_keys": keys,
    }


def cmd_trust(board: Board, args: argparse.Namespace) -> dict[str, Any]:
    """Install a trusted public key from stdin, only if none is trusted yet (or ``--add``)."""
    pem = sys.stdin.buffer.read(1 << 14)
    key_dir = board.prefix / "keys"
    key_dir.mkdir(parents=True, exist_ok=True)
    existing = sorted(key_dir.glob("*.pub"))
    if existing and not args.add:
        raise AgentError("already-trusted", f"{len(existing)} key(s) trusted; use --add")
    if not pem.startswith(b"-----BEGIN PUBLIC KEY-----"):
        raise AgentError("malformed", "not a PEM public key")
    name = hashlib.sha256(pem).hexdigest()[:16] + ".pub"
    _write_atomic(key_dir / name, pem, 0o644)
    return {"trusted": name}


COMMANDS = {
    "receive": cmd_receive,
    "install": cmd_install,
    "push": cmd_push,
    "rollback": cmd_rollback,
    "restart": cmd_restart,
    "stop": cmd_stop,
    "status": cmd_status,
    "trust": cmd_trust,
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="starling-agent")
    parser.add_argument("command", choices=sorted(COMMANDS))
    parser.add_argument("--prefix", type=Path, required=True)
    parser.add_argument("--name", default="")
    parser.add_argument("--size", type=int, default=0)
    parser.add_argument("--sha256", default="")
    parser.add_argument("--bundle", default="")
    parser.add_argument("--to", default="")
    parser.add_argument("--add", action="store_true")
    parser.add_argument("--restart", action="store_true")
    parser.add_argument("--service", choices=("supervisor", "systemd"), default="supervisor")
    parser.add_argument("--unit-name", default="starling.service")
    parser.add_argument("--unit-dir", default="/etc/systemd/system")
    parser.add_argument("--ready-timeout", type=float, default=30.0)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one agent command; print its result as JSON; return the exit status."""
    args = _parser().parse_args(argv)
    board = Board(args.prefix.absolute())
    try:
        result = COMMANDS[args.command](board, args)
    except AgentError as exc:
        _emit("error", kind=exc.kind, message=str(exc))
        return 2
    except (OSError, subprocess.SubprocessError, ValueError, KeyError) as exc:
        _emit("error", kind="internal", message=f"{type(exc).__name__}: {exc}")
        return 3
    _emit("result", **result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
