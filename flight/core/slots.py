"""The executive's records: where each app is in its life, and the rate groups it runs in.

`AppSlot.checked_in` is the app's heartbeat: the executive stamps it each time the app's
step returns, and the health monitor reads it (`flight.core.health`).
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from flight.core.app import App

__all__ = ["AppSlot", "AppState", "RateGroup"]


class AppState(Enum):
    """Where an app is in its life."""

    RUNNING = "running"
    FAILED = "failed"  # waiting for its restart
    DISABLED = "disabled"  # failed too often; stays down until the next boot


@dataclass(eq=False)
class AppSlot:
    """The executive's record of one app."""

    app: App
    rate_hz: int
    state: AppState = AppState.RUNNING
    failures: int = 0
    restarts: int = 0
    restart_at: float = 0.0
    last_failure: float = -math.inf
    checked_in: float = 0.0  # the clock reading when its step last returned


@dataclass(eq=False)
class RateGroup:
    """Apps and tasks run every 1/`hz` seconds on a drift-free grid."""

    hz: int
    start: float = 0.0
    slot_index: int = 0
    deadline: float = 0.0  # start + slot_index / hz, recomputed from the grid, never summed
    ticks: int = 0
    overruns: int = 0
    slots: list[AppSlot] = field(default_factory=list)
    tasks: list[tuple[str, Callable[[], None]]] = field(default_factory=list)

    def move_to(self, slot_index: int) -> None:
        """Set the next slot on the grid."""
        self.slot_index = slot_index
        self.deadline = self.start + slot_index / self.hz
