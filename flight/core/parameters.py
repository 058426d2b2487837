"""The mission's parameter values, kept durably in one A/B `Store`.

A set from the ground is checked first (by the caller), then the whole new snapshot is stored
durably, and only then do apps see the new values: if the store fails, nothing changes and the
telecommand fails with `PERSISTENCE_FAILED`. At boot, stored values that no longer pass their
declaration (a renamed parameter, a narrowed range) are ignored and the default stays.
"""

import json
import logging
from collections.abc import Iterable, Sequence

import construct

from flight.core.app import App
from flight.core.declarations import Value, check_range
from flight.core.persistence import Store

__all__ = ["ParameterStore"]

log = logging.getLogger(__name__)


class ParameterStore:
    """Durable parameter values of every app.

    Args:
        store: the A/B store holding the snapshot (JSON, never executed).
        apps: the apps whose parameters it keeps.
    """

    def __init__(self, store: Store, apps: Iterable[App]) -> None:
        self.store = store
        self.apps = {app.name: app for app in apps}
        self.commits = 0
        self.failures = 0

    def restore(self) -> int:
        """Load the newest valid snapshot into the apps; return how many values were applied."""
        payload = self.store.load()
        if payload is None:
            return 0
        try:
            snapshot = json.loads(payload)
        except ValueError:
            log.exception(
                "parameter snapshot %d is not JSON; keeping defaults", self.store.sequence
            )
            return 0
        if not isinstance(snapshot, dict):
            return 0
        applied = 0
        for app in self.apps.values():
            stored = snapshot.get(app.name)
            if not isinstance(stored, dict):
                continue
            for parameter in app.parameters.values():
                value = stored.get(parameter.name)
                if not isinstance(value, int | float) or check_range(parameter.arg, value):
                    continue
                try:
                    parameter.arg.fmt.build(value)
                except (ValueError, TypeError, construct.ConstructError):
                    continue  # e.g. a float stored for what is now an integer parameter
                app.apply_parameter(parameter.pid, value)
                applied += 1
        return applied

    def snapshot(self) -> dict[str, dict[str, Value]]:
        """The current values of every app's parameters."""
        return {
            app.name: {p.name: app.param(p.name) for p in app.parameters.values()}
            for app in self.apps.values()
            if app.parameters
        }

    def commit(self, changes: Sequence[tuple[App, int, Value]]) -> None:
        """Store `changes` (already checked) durably, then apply them to their apps.

        Raises:
            DurabilityError: the store failed; no app saw any of the changes.
        """
        snapshot = self.snapshot()
        for app, pid, value in changes:
            snapshot[app.name][app.parameters[pid].name] = value
        payload = json.dumps(snapshot, sort_keys=True, separators=(",", ":")).encode()
        try:
            self.store.save(payload)
        except Exception:
            self.failures += 1
            raise
        self.commits += 1
        for app, pid, value in changes:
            app.apply_parameter(pid, value)
