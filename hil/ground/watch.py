"""Live view of a flight: a housekeeping table per structure and a scrolling event list.

With `rich` installed and a terminal attached, the view redraws in place; otherwise (or with
``plain=True``, as scripts and tests use it) each housekeeping update and event is printed
as one line, and the final table is printed at the end.
"""

import sys
from collections import deque
from dataclasses import dataclass, field
from typing import Any, TextIO

from hil.ground.decode import Decoded

__all__ = ["WatchView"]


@dataclass
class WatchView:
    """Keeps the latest value of every housekeeping item and the last events.

    Attributes:
        out: where plain output goes (the current `sys.stdout` when None).
        plain: print lines instead of a live display.
        max_events: events kept for display.
    """

    out: TextIO | None = None
    plain: bool = True
    max_events: int = 12
    tables: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    events: deque[str] = field(default_factory=deque)
    _live: Any = None

    def __enter__(self) -> "WatchView":
        if not self.plain:
            try:
                from rich.live import Live  # noqa: PLC0415 -- optional dependency
            except ImportError:
                self.plain = True
            else:
                self._live = Live(self.render(), refresh_per_second=4, transient=False)
                self._live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._live is not None:
            self._live.update(self.render())
            self._live.__exit__(None, None, None)
        else:
            self.print_tables()

    def update(self, decoded: Decoded) -> None:
        """Take one received packet."""
        if decoded.kind == "housekeeping":
            self.tables[(decoded.app, decoded.name)] = dict(decoded.values)
            line = f"HK    {decoded.app}.{decoded.text}"
        elif decoded.kind == "event":
            line = f"EVENT {decoded.app}: {decoded.text}"
            self.events.append(line)
            while len(self.events) > self.max_events:
                self.events.popleft()
        else:
            return
        if self._live is not None:
            self._live.update(self.render())
        elif self.plain:
            print(line, file=self._out, flush=True)

    @property
    def _out(self) -> TextIO:
        return self.out if self.out is not None else sys.stdout

    def print_tables(self) -> None:
        """Print every housekeeping table as aligned text."""
        for (app, structure), values in sorted(self.tables.items()):
            print(f"{app}.{structure}", file=self._out)
            width = max((len(name) for name in values), default=0)
            for name, value in values.items():
                print(f"  {name:<{width}}  {value}", file=self._out)

    def render(self) -> Any:
        """The rich renderable: one table per structure, then the events."""
        from rich.console import Group  # noqa: PLC0415 -- only with rich
        from rich.table import Table  # noqa: PLC0415

        parts: list[Any] = []
        for (app, structure), values in sorted(self.tables.items()):
            table = Table(title=f"{app}.{structure}", show_header=True)
            table.add_column("item")
            table.add_column("value", justify="right")
            for name, value in values.items():
                table.add_row(name, str(value))
            parts.append(table)
        events = Table(title="events", show_header=False)
        events.add_column("event")
        for line in self.events:
            events.add_row(line)
        parts.append(events)
        return Group(*parts)
