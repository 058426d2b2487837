"""Per-unit progress for fleet operations: one live line per unit on a terminal, log lines
otherwise (CI logs and pipes get one line per stage change, never carriage-return noise)."""

import sys
import time
from typing import TextIO

__all__ = ["ProgressBoard"]

_BAR = 24
_FINAL = ("deployed", "rolled-back", "refused", "failed")


class ProgressBoard:
    """A `hil.deploy.fleet.Reporter` that draws progress bars.

    Args:
        serials: The units, in display order.
        stream: Where to draw; live redraws only when it is a terminal.
    """

    def __init__(self, serials: list[str], stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.serials = serials
        self.width = max((len(s) for s in serials), default=4)
        self.state: dict[str, tuple[str, float | None, str]] = dict.fromkeys(
            serials, ("waiting", None, "")
        )
        self.started = time.monotonic()
        self.drawn = False

    def __call__(self, serial: str, stage: str, fraction: float | None, note: str) -> None:
        """Record a unit's new stage (the `Reporter` signature) and redraw."""
        previous = self.state.get(serial)
        self.state[serial] = (stage, fraction, note)
        if self.live:
            self._redraw()
        elif previous is None or previous[0] != stage:
            elapsed = time.monotonic() - self.started
            suffix = f": {note}" if note else ""
            self.stream.write(f"[{elapsed:6.1f}s] {serial:<{self.width}} {stage}{suffix}\n")
            self.stream.flush()

    def _line(self, serial: str) -> str:
        stage, fraction, note = self.state[serial]
        if fraction is not None:
            filled = int(fraction * _BAR)
            bar = "#" * filled + "." * (_BAR - filled)
            return f"{serial:<{self.width}} [{bar}] {fraction * 100:5.1f}% {stage}"
        mark = "ok " if stage == "deployed" else ("!! " if stage in _FINAL else "...")
        return f"{serial:<{self.width}} {mark} {stage} {note}"[:160]

    def _redraw(self) -> None:
        if self.drawn:
            self.stream.write(f"\x1b[{len(self.serials)}F")
        for serial in self.serials:
            self.stream.write("\x1b[2K" + self._line(serial) + "\n")
        self.stream.flush()
        self.drawn = True
