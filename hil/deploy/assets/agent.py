"""Board-side deploy agent: receive, verify and install bundles into A/B slots; switch; restart.

The ground runs it over SSH as ``python3 -c SOURCE COMMAND ...`` (so nothing of it has to be
on the board beforehand) or from the SD card at first boot; SOURCE is `bundle_verify.py`,
`board_state.py` and this file as one script (`hil.deploy.assets.agent_program`). It needs
only the standard library and, for signatures, `cryptography`. It prints JSON lines:
``{"event": "stage", ...}`` while it works, then one ``{"event": "result", ...}`` or
``{"event": "error", "kind": ...}``.

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
import contextlib
import hashlib
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

# On a board these imports are not there: the ground sends bundle_verify.py's and
# board_state.py's text ahead of this file's, as one script (`hil.deploy.assets.agent_program`).
from hil.deploy.assets.board_state import (
    SLOTS,
    Board,
    fsync_dir,
    toml_dumps,
    write_atomic,
    write_identity,
)
from hil.deploy.assets.bundle_verify import SAFE_NAME, AgentError, open_bundle

__all__ = ["AgentError", "main", "open_bundle", "render_unit", "toml_dumps"]

_CHUNK = 1 << 16


def _emit(event: str, **fields: Any) -> None:
    print(json.dumps({"event": event, **fields}), flush=True)


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
    write_atomic(board.prefix / "run" / "launcher.pid", str(process.pid).encode(), 0o644)
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
    write_atomic(Path(args.unit_dir) / args.unit_name, text.encode(), 0o644)
    subprocess.run(["systemctl", "daemon-reload"], check=True, timeout=60)  # noqa: S607
    subprocess.run(["systemctl", "enable", args.unit_name], check=True, timeout=60)  # noqa: S603,S607


# --- commands -----------------------------------------------------------------------------


def _receive(board: Board, name: str, size: int, sha256: str, source: IO[bytes]) -> Path:
    """Store `source` as incoming/NAME, but only once its size and SHA-256 match."""
    if not SAFE_NAME.match(name):
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
    fsync_dir(incoming)
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
    write_atomic(slot / ".installed", json.dumps(info).encode(), 0o644)
    if identity:
        write_identity(board, identity)
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
    write_atomic(key_dir / name, pem, 0o644)
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
