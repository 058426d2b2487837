"""The App base class: what every flight app declares and the basics every app exposes.

An app declares its commands (one type each), housekeeping structures, events and parameters
as class attributes, and marks each command's handler with `@handles`. The base class checks
the declarations for duplicates and missing handlers, keeps the command and error counters
that lead every housekeeping structure, and emits events onto the software bus.

    class SampleApp(App):
        COMMANDS = (Noop, ResetCounters, SetGain)
        TELEMETRY = (SAMPLE_HK,)
        EVENTS = (NOOP_EVENT, GAIN_SET)
        PARAMETERS = (THRESHOLD,)

        @handles(SetGain)
        def set_gain(self, command: SetGain) -> None:
            self.gain = command.gain     # already range-checked by the dispatcher
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from flight.core.bus import EVENT_MID, SoftwareBus
from flight.core.clock import Clock
from flight.core.declarations import (
    Command,
    EventDef,
    EventRecord,
    Housekeeping,
    Parameter,
    Severity,
    Value,
    check_range,
)
from flight.core.dispatch import Dispatcher, Handler
from flight.core.errors import DeclarationError, FailureCode
from flight.core.workers import Workers

__all__ = ["BASE_EVENTS", "COMMAND_REJECTED", "App", "AppContext", "handles"]

F = TypeVar("F", bound=Callable[..., None])

COMMAND_REJECTED = EventDef(
    1, "COMMAND_REJECTED", Severity.LOW, "a telecommand was refused; aux = failure code (u16)"
)
BASE_EVENTS = (COMMAND_REJECTED,)
_COUNTER_MASK = 0xFFFF  # counters are 16-bit on the wire and wrap like hardware counters


@dataclass(frozen=True)
class AppContext:
    """What the executive hands an app: its identity and the shared services it may use.

    Attributes:
        name: the app's instance name in the mission.
        apid: the APID its telecommands arrive on and its telemetry leaves on.
        clock: the executive's clock (never read time any other way).
        bus: the software bus.
        workers: where blocking work goes; None when the mission runs without workers.
        data_dir: the directory the app may write to (allowlisted), or None.
    """

    name: str
    apid: int
    clock: Clock
    bus: SoftwareBus
    workers: Workers | None = None
    data_dir: Path | None = None


def handles(command: type[Command]) -> Callable[[F], F]:
    """Mark a method as the handler of `command`; it receives the decoded, checked command."""

    def mark(method: F) -> F:
        method._starling_handles = command  # type: ignore[attr-defined]
        return method

    return mark


def _unique(app: str, kind: str, ids: list[int]) -> None:
    seen: set[int] = set()
    for ident in ids:
        if ident in seen:
            raise DeclarationError(f"{app}: duplicate {kind} {ident}")
        seen.add(ident)


class App:
    """Base of every flight app. Subclasses declare, then override `start`/`step`/`stop`.

    Raises:
        DeclarationError: duplicate IDs, or a declared command without a handler.
    """

    COMMANDS: ClassVar[tuple[type[Command], ...]] = ()
    TELEMETRY: ClassVar[tuple[Housekeeping, ...]] = ()
    EVENTS: ClassVar[tuple[EventDef, ...]] = ()
    PARAMETERS: ClassVar[tuple[Parameter, ...]] = ()
    _handler_names: ClassVar[dict[type[Command], str]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        names: dict[type[Command], str] = {}
        for klass in reversed(cls.__mro__):
            for attr, value in vars(klass).items():
                command = getattr(value, "_starling_handles", None)
                if command is not None:
                    names[command] = attr
        cls._handler_names = names

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.name = ctx.name
        self.apid = ctx.apid
        self.cmd_count = 0
        self.err_count = 0
        cls = type(self)
        _unique(self.name, "event ID", [e.eid for e in self.events])
        _unique(self.name, "structure ID", [h.sid for h in cls.TELEMETRY])
        _unique(self.name, "parameter ID", [p.pid for p in cls.PARAMETERS])
        routes: list[tuple[type[Command], Handler]] = []
        for command in cls.COMMANDS:
            attr = cls._handler_names.get(command)
            if attr is None:
                raise DeclarationError(f"{self.name}: no @handles({command.__name__}) method")
            routes.append((command, getattr(self, attr)))
        self.dispatcher = Dispatcher(self.name, routes)
        self.structures = {h.sid: h for h in cls.TELEMETRY}
        self.parameters = {p.pid: p for p in cls.PARAMETERS}
        self.events_by_id = {e.eid: e for e in self.events}
        self._values: dict[str, Value] = {}
        for parameter in cls.PARAMETERS:
            if check_range(parameter.arg, parameter.default) is not None:
                raise DeclarationError(f"{self.name}: default of {parameter.name} out of range")
            self._values[parameter.name] = parameter.default

    @property
    def events(self) -> tuple[EventDef, ...]:
        """Every event this app can emit: the base events, then its own."""
        return (*BASE_EVENTS, *type(self).EVENTS)

    # -- lifecycle, overridden by apps ---------------------------------------------------

    def start(self) -> None:
        """Set up volatile state; called at start and again on every restart after a failure."""

    def step(self) -> None:
        """Do the periodic work; called at the app's rate."""

    def stop(self) -> None:
        """Release what `start` took; called at shutdown."""

    def hk_values(self, sid: int) -> dict[str, Value]:
        """Return the app's own items of structure `sid` (the counters are added for it)."""
        return {}

    def on_parameter(self, name: str, value: Value) -> None:
        """React to a parameter set by the ground (after it was stored durably)."""

    # -- services the base provides ------------------------------------------------------

    def param(self, name: str) -> Value:
        """The current value of parameter `name`."""
        return self._values[name]

    def apply_parameter(self, pid: int, value: Value) -> None:
        """Take a checked, stored value for parameter `pid` and tell the app."""
        parameter = self.parameters[pid]
        self._values[parameter.name] = value
        self.on_parameter(parameter.name, value)

    def housekeeping(self, sid: int) -> bytes:
        """Encode structure `sid`, command and error counters first."""
        values = self.hk_values(sid)
        values["cmd_count"] = self.cmd_count & _COUNTER_MASK
        values["err_count"] = self.err_count & _COUNTER_MASK
        return self.structures[sid].pack(values)

    def emit(self, event: EventDef, aux: bytes = b"") -> None:
        """Publish `event` on the bus; service 5 reports it if enabled."""
        record = EventRecord(self.apid, self.name, event, self.ctx.clock.now(), aux)
        self.ctx.bus.publish(EVENT_MID, record, self.name)

    def count_success(self) -> None:
        """Count a telecommand that completed."""
        self.cmd_count += 1

    def count_rejection(self, code: FailureCode) -> None:
        """Count a refused or failed telecommand and emit `COMMAND_REJECTED` with its code."""
        self.err_count += 1
        self.emit(COMMAND_REJECTED, int(code).to_bytes(2, "big"))

    def reset_counters(self) -> None:
        """Zero the command and error counters."""
        self.cmd_count = 0
        self.err_count = 0
