"""The unit under test: start, stop, power-cycle, identity.

`SimDut` runs ``starling flight`` as a subprocess on the simulated board, over UDP (``sim``)
or a pseudo-terminal serial pair (``pty``); a power cycle is ``kill -9`` and a restart on the
same data directory and link, as a power cut would leave it. It hands the flight a
`NotifyListener` as its systemd and an abstract socket for the sim control channel
(``STARLING_SIM_CONTROL``). `BenchDut` is a real board on a bench: the rig does not start it,
and power-cycles it only through a GPIO relay it is given (a HAL line URL).
"""

import os
import re
import select
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from flight.core import load_mission
from flight.links import is_framed
from hil.rig.errors import DutStartError, UnsupportedError
from hil.rig.links import PtyGroundLink
from hil.rig.notify import NotifyListener
from hil.rig.units import DutSpec

__all__ = ["START_TIMEOUT", "WATCHDOG_USEC", "BenchDut", "Dut", "Identity", "SimDut", "make_dut"]

START_TIMEOUT = 20.0
WATCHDOG_USEC = 300_000  # keep-alives every 0.15 s while every app checks in
_LISTENING = re.compile(r"listening on (\S+)")
_RELAY_OFF_S = 2.0


@dataclass(frozen=True)
class Identity:
    """Who the unit is.

    Attributes:
        serial: its serial number.
        keys: its key directory (None: the mission's default under its data directory).
    """

    serial: str
    keys: Path | None


class Dut:
    """What every unit offers the rig; see `SimDut` and `BenchDut`.

    Attributes:
        spec: what was asked for.
        workdir: where its data, log and archive live.
        url: the link URL the ground talks to.
        boots: how many times it was started (power cycles included).
        booted_at: monotonic time of the last start.
        notify: its systemd stand-in (simulated units only).
        control: the sim control channel address (simulated units only).
        pty: the ground end of the serial pair (``pty`` units only).
    """

    def __init__(self, spec: DutSpec, workdir: Path) -> None:
        self.spec = spec
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.url = spec.url or ""
        self.boots = 0
        self.booted_at = time.monotonic()
        self.notify: NotifyListener | None = None
        self.control: str | None = None
        self.pty: PtyGroundLink | None = None

    @property
    def identity(self) -> Identity:
        """Serial number and keys."""
        return Identity(self.spec.serial, self.spec.keys)

    @property
    def data_dir(self) -> Path:
        """The flight's data directory (where a simulated unit keeps its state)."""
        return self.workdir / "data"

    @property
    def log(self) -> Path:
        """The flight's log (simulated units)."""
        return self.workdir / "flight.log"

    @property
    def alive(self) -> bool:
        """Whether the unit is running, as far as the rig can tell."""
        return True

    def start(self) -> None:
        """Bring the unit up."""

    def stop(self) -> None:
        """Shut the unit down cleanly."""

    def power_cycle(self) -> None:
        """Cut the unit's power and restore it."""
        raise UnsupportedError(f"{self.spec.text} cannot be power-cycled by the rig")

    def close(self) -> None:
        """Stop the unit and release what the rig holds for it."""
        self.stop()


def _framing_options(mission: str) -> str:
    """``?framing=cop1&...`` when the mission's first link is framed, else ``""``."""
    links = load_mission(mission).links
    if not links or not is_framed(links[0]):
        return ""
    return "?" + links[0].partition("?")[2]


class SimDut(Dut):
    """``starling flight`` on the simulated board, as a subprocess."""

    def __init__(self, spec: DutSpec, workdir: Path) -> None:
        super().__init__(spec, workdir)
        self.process: subprocess.Popen[bytes] | None = None
        self.notify = NotifyListener()
        self.control = f"@starling-sim-{uuid.uuid4().hex}"
        if spec.kind == "pty":
            self.pty = PtyGroundLink()
            self.url = self.pty.url
        # loopback on a free port, framed as the mission's own link is (the pty is never framed)
        self._options = _framing_options(spec.mission)
        self._bind = "udp:127.0.0.1:0" + self._options

    @property
    def alive(self) -> bool:
        """Whether the flight process runs."""
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        """Start the flight and wait for it to announce its link.

        Raises:
            DutStartError: it exited or stayed silent for `START_TIMEOUT` seconds.
        """
        if self.alive:
            return
        link = self.pty.url if self.pty is not None else self._bind
        assert self.notify is not None
        assert self.control is not None
        env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "NOTIFY_SOCKET": self.notify.address,
            "WATCHDOG_USEC": str(WATCHDOG_USEC),
            "STARLING_SIM_CONTROL": self.control,
        }
        argv = [
            *(sys.executable, "-m", "tools.starling.flight", "--mission", self.spec.mission),
            *("--data-dir", str(self.data_dir), "--link", link),
        ]
        with self.log.open("ab") as log:
            log.write(f"--- rig: boot {self.boots + 1}: {' '.join(argv)}\n".encode())
            log.flush()
            self.process = subprocess.Popen(  # noqa: S603 -- our interpreter, our module
                argv, stdout=subprocess.PIPE, stderr=log, env=env, cwd=self.workdir
            )
        announced = self._announced(START_TIMEOUT)
        if self.pty is None:
            self.url = announced.partition("?")[0] + self._options
            self._bind = self.url  # a restart comes back on the same port
        self.boots += 1
        self.booted_at = time.monotonic()

    def _announced(self, timeout: float) -> str:
        process = self.process
        assert process is not None
        assert process.stdout is not None
        deadline = time.monotonic() + timeout
        line = b""
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            ready, _, _ = select.select([process.stdout], [], [], max(left, 0.0))
            chunk = os.read(process.stdout.fileno(), 1) if ready else b""
            if not chunk:
                if ready:
                    status = process.wait(5)
                    self._fail(f"the flight exited with status {status} before announcing")
                self.stop()
                self._fail(f"the flight announced no link within {timeout:g} s")
            line += chunk
        match = _LISTENING.search(line.decode(errors="replace"))
        if match is None:
            self.stop()
            self._fail(f"unexpected first line from the flight: {line!r}")
        return match.group(1)

    def _fail(self, why: str) -> NoReturn:
        tail = self.log.read_text(errors="replace").splitlines()[-15:] if self.log.exists() else []
        raise DutStartError(
            f"{self.spec.serial} ({self.spec.text}, mission {self.spec.mission}): {why}\n"
            + "\n".join(f"  | {line}" for line in tail)
        )

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop the flight (SIGTERM, then SIGKILL after 10 s)."""
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        if process.stdout is not None:
            process.stdout.close()
        self.process = None

    def power_cycle(self) -> None:
        """Cut the power (SIGKILL: nothing is flushed or closed) and start again."""
        self.stop(signal.SIGKILL)
        self.start()

    def close(self) -> None:
        """Stop the flight and close the notify listener and the pty."""
        self.stop()
        if self.notify is not None:
            self.notify.close()
        if self.pty is not None:
            self.pty.close()


class BenchDut(Dut):
    """A real board on a bench, reached at its link URL; power through an optional relay."""

    def power_cycle(self) -> None:
        """Drive the relay line low for 2 s, then high again.

        Raises:
            UnsupportedError: no relay was given for this unit.
        """
        if self.spec.relay is None:
            raise UnsupportedError(
                f"{self.spec.serial}: no power relay configured (inventory relay = GPIO URL)"
            )
        from hal.open import open_gpio  # noqa: PLC0415 -- only benches with a relay need it

        line = open_gpio(self.spec.relay)
        try:
            line.configure(direction="out")
            line.set(0)
            time.sleep(_RELAY_OFF_S)
            line.set(1)
        finally:
            line.close()
        self.boots += 1
        self.booted_at = time.monotonic()


def make_dut(spec: DutSpec, workdir: Path) -> Dut:
    """The `Dut` for `spec`, not yet started."""
    return SimDut(spec, workdir) if spec.simulated else BenchDut(spec, workdir)
