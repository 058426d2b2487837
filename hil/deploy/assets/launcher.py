"""Starling launcher: run the flight process of one installed slot and keep it alive.

``launcher.py supervise --root PREFIX`` starts the flight command named in the slot's signed
manifest, with the unit's identity and link, and then:

- hands the child a private ``NOTIFY_SOCKET``; the child's ``READY=1`` is forwarded upstream
  (to systemd, or whoever set ``NOTIFY_SOCKET`` for the launcher), and each child ``WATCHDOG=1``
  heartbeat is forwarded upstream as the launcher's own ``WATCHDOG=1``;
- kills the child when its heartbeats stop for longer than its watchdog period (SIGABRT, as
  systemd does, then SIGKILL) and counts that as a failure;
- restarts the child after a failure (non-zero exit, signal, watchdog), at most
  ``--max-restarts`` times within ``--restart-window`` seconds, then gives up with status 1;
  a child exiting 0 ends the launcher with 0 (systemd's Restart=on-failure);
- forwards SIGTERM/SIGINT to the child, waits for it, and exits 0.

Under systemd the unit runs it with ``--max-restarts 0``: systemd then does the restarting and
the start limiting, and the launcher is only the notify/heartbeat bridge. Boards without systemd
(and the tests) run it with restarts. Standard library only: it runs before anything else works.
"""

import argparse
import contextlib
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import tomllib
from collections import deque
from pathlib import Path
from typing import Any

__all__ = ["Supervisor", "main", "notify"]

_STOP_GRACE = 10.0
_POLL = 0.1


def notify(message: str, address: str | None = None) -> bool:
    """Send one sd_notify datagram; return False when there is no listener.

    `address` defaults to ``$NOTIFY_SOCKET``; a leading ``@`` names an abstract socket.
    """
    address = address if address is not None else os.environ.get("NOTIFY_SOCKET", "")
    if not address:
        return False
    target = "\0" + address[1:] if address.startswith("@") else address
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        try:
            sock.sendto(message.encode(), target)
        except OSError:
            # Whoever started us may be gone (the deploy agent exits after READY): not fatal.
            return False
    return True


def _log(message: str) -> None:
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    print(f"{stamp} launcher[{os.getpid()}]: {message}", file=sys.stderr, flush=True)


def flight_command(slot: Path, root: Path) -> tuple[list[str], dict[str, str], float, str]:
    """Build the child's argv and environment from the slot manifest and the unit identity.

    Returns:
        argv, extra environment, watchdog period in seconds (0: off), ready mode.
    """
    manifest: dict[str, Any] = json.loads((slot / "manifest.json").read_text())
    identity_path = root / "identity" / "unit.toml"
    identity: dict[str, Any] = {}
    if identity_path.exists():
        identity = tomllib.loads(identity_path.read_text())
    fields = {
        "python": str(slot / "venv" / "bin" / "python"),
        "slot": str(slot),
        "mission": str(slot / manifest["mission_file"]),
        "data_dir": str(root / "data"),
        "link": str(identity.get("link", "udp:127.0.0.1:10015")),
        "identity": str(identity_path),
    }
    argv = [part.format(**fields) for part in manifest["entry"]]
    env = {
        "STARLING_SLOT": str(slot),
        "STARLING_IDENTITY": str(identity_path),
        "STARLING_VERSION": str(manifest["version"]),
    }
    return argv, env, float(manifest.get("watchdog_sec", 0)), str(manifest.get("ready", "notify"))


class Supervisor:
    """Runs, watches and restarts one child; see the module docstring for the rules."""

    def __init__(self, argv: list[str], env: dict[str, str], args: argparse.Namespace) -> None:
        self.argv = argv
        self.env = env
        self.watchdog: float = args.watchdog_sec
        self.ready_mode: str = args.ready
        self.max_restarts: int = args.max_restarts
        self.window: float = args.restart_window
        self.delay: float = args.restart_delay
        self.stopping = False
        self.sent_ready = False
        self.starts: deque[float] = deque()
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.address = f"\0starling-launcher-{os.getpid()}"
        self.sock.bind(self.address)
        self.sock.settimeout(_POLL)

    def _spawn(self) -> subprocess.Popen[bytes]:
        env = dict(os.environ, **self.env, NOTIFY_SOCKET="@" + self.address[1:])
        env.pop("WATCHDOG_PID", None)  # ours, not the child's
        if self.watchdog > 0:
            env["WATCHDOG_USEC"] = str(int(self.watchdog * 1e6))
        else:
            env.pop("WATCHDOG_USEC", None)
        self.starts.append(time.monotonic())
        _log(f"starting: {shlex.join(self.argv)}")
        child = subprocess.Popen(self.argv, env=env, stdin=subprocess.DEVNULL)  # noqa: S603
        if self.ready_mode == "start":
            self._ready()
        return child

    def _ready(self) -> None:
        if not self.sent_ready:
            self.sent_ready = True
            notify("READY=1")

    def _messages(self) -> list[str]:
        try:
            data = self.sock.recv(4096)
        except TimeoutError:
            return []
        return data.decode(errors="replace").splitlines()

    def _stop_child(self, child: subprocess.Popen[bytes], sig: int) -> int:
        with contextlib.suppress(ProcessLookupError):
            child.send_signal(sig)
        try:
            return child.wait(_STOP_GRACE)
        except subprocess.TimeoutExpired:
            child.kill()
            return child.wait()

    def _may_restart(self) -> bool:
        now = time.monotonic()
        while self.starts and now - self.starts[0] > self.window:
            self.starts.popleft()
        # `starts` holds the first start too: N restarts allowed means N + 1 starts.
        return len(self.starts) <= self.max_restarts

    def run(self) -> int:
        """Supervise until stopped, a clean exit, or the restart limit; return the status."""
        while True:
            status = self._run_once(self._spawn())
            if status == 0 or self.stopping:
                notify("STOPPING=1")
                return 0
            if not self._may_restart():
                _log(f"giving up: {len(self.starts)} starts within {self.window:g} s")
                notify(f"STATUS=start limit hit (last status {status})")
                return 1
            notify(f"STATUS=restarting after status {status}")
            _log(f"child failed with status {status}; restarting in {self.delay:g} s")
            deadline = time.monotonic() + self.delay
            while time.monotonic() < deadline and not self.stopping:
                time.sleep(_POLL)
            if self.stopping:
                return 0

    def _run_once(self, child: subprocess.Popen[bytes]) -> int:
        last_beat = last_upstream = time.monotonic()
        while True:
            if self.stopping:
                self._stop_child(child, signal.SIGTERM)
                return 0
            for line in self._messages():
                if line == "READY=1":
                    self._ready()
                elif line == "WATCHDOG=1":
                    last_beat = time.monotonic()
                    notify("WATCHDOG=1")
                elif line.startswith("STATUS="):
                    notify(line)
            status = child.poll()
            if status is not None:
                return status if status >= 0 else 128 - status
            if self.watchdog > 0 and time.monotonic() - last_beat > self.watchdog:
                _log(f"child missed its {self.watchdog:g} s watchdog; aborting it")
                self._stop_child(child, signal.SIGABRT)
                return 128 + signal.SIGABRT
            if self.watchdog <= 0 and self.sent_ready and time.monotonic() - last_upstream > 1:
                last_upstream = time.monotonic()
                notify("WATCHDOG=1")  # nothing finer to go on: alive means healthy


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="launcher.py", description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=["supervise"])
    parser.add_argument("--root", type=Path, required=True, help="the board's install prefix")
    parser.add_argument("--slot", type=Path, help="slot to run (default: this file's directory)")
    parser.add_argument("--max-restarts", type=int, default=5)
    parser.add_argument("--restart-window", type=float, default=300.0)
    parser.add_argument("--restart-delay", type=float, default=1.0)
    parser.add_argument("--watchdog-sec", type=float, help="child heartbeat period limit")
    parser.add_argument("--ready", choices=["notify", "start"], help="when to send READY=1")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and supervise; return the exit status."""
    args = _parser().parse_args(argv)
    slot = (args.slot or Path(__file__).parent).resolve()
    command, env, watchdog, ready = flight_command(slot, args.root.resolve())
    args.watchdog_sec = watchdog if args.watchdog_sec is None else args.watchdog_sec
    args.ready = args.ready or ready
    supervisor = Supervisor(command, env, args)

    def stop(signum: int, frame: object) -> None:
        del signum, frame
        supervisor.stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    _log(f"supervising slot {slot}")
    return supervisor.run()


if __name__ == "__main__":
    sys.exit(main())
