"""What an app declares once: command arguments, commands, housekeeping, events, parameters.

Arguments, housekeeping fields and parameter values are fixed-size `construct` fields
(big-endian integers, IEEE floats, flags) with an optional inclusive range. The dispatcher
checks lengths and ranges from these declarations before any handler runs; the mission
dictionary, ground encoding and docs read the same declarations.
"""

import math
from dataclasses import dataclass, field, fields
from enum import IntEnum
from functools import cached_property
from typing import Any, ClassVar

import construct

__all__ = [
    "COUNTER_FIELDS",
    "Arg",
    "Command",
    "EventDef",
    "EventRecord",
    "Housekeeping",
    "Parameter",
    "Severity",
    "Value",
    "check_range",
    "housekeeping",
]

Value = int | float | bool


@dataclass(frozen=True)
class Arg:
    """One fixed-size field: a command argument, a housekeeping item or a parameter value.

    Attributes:
        name: a Python identifier; also the field name on the ground.
        fmt: a fixed-size construct field, e.g. ``construct.Int16ub`` or ``construct.Float32b``.
        low: smallest accepted value (inclusive), or None for the type's own limit.
        high: largest accepted value (inclusive), or None for the type's own limit.
        unit: engineering unit for the dictionary, e.g. ``"Hz"``.
        description: one line for the dictionary and docs.
    """

    name: str
    fmt: Any
    low: Value | None = None
    high: Value | None = None
    unit: str = ""
    description: str = ""

    @property
    def size(self) -> int:
        """Octets the field occupies."""
        return int(self.fmt.sizeof())

    @cached_property
    def wire_bounds(self) -> tuple[Value | None, Value | None]:
        """`low` and `high` as the field carries them: a float32's bounds rounded to float32.

        3.2 has no float32; the wire carries 3.2000000477 for it, which must still count as
        the declared 3.2, or nobody could set a parameter to its declared maximum.
        """
        return self._on_wire(self.low), self._on_wire(self.high)

    def _on_wire(self, bound: Value | None) -> Value | None:
        if not isinstance(bound, float):
            return bound
        return float(self.fmt.parse(self.fmt.build(bound)))


def check_range(arg: Arg, value: Value) -> str | None:
    """Return why `value` is not acceptable for `arg`, or None when it is.

    Values are compared with the bounds as the field carries them (`Arg.wire_bounds`).
    """
    if isinstance(value, float) and not math.isfinite(value):
        return f"{arg.name} must be finite, got {value!r}"
    low, high = arg.wire_bounds
    if low is not None and value < low:
        return f"{arg.name} must be >= {arg.low}, got {value!r}"
    if high is not None and value > high:
        return f"{arg.name} must be <= {arg.high}, got {value!r}"
    return None


class Command:
    """Base of every command type: subclass it as a frozen dataclass, one class per command.

    `CODE` is the function ID (service 8) the command answers to within its app; `ARGS`
    declares its arguments in wire order, and the dataclass fields carry the same names.

    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True)
    ... class SetGain(Command):
    ...     CODE = 2
    ...     ARGS = (Arg("gain", construct.Int8ub, 1, 16),)
    ...     gain: int
    >>> SetGain.wire_size()
    1
    """

    CODE: ClassVar[int]
    ARGS: ClassVar[tuple[Arg, ...]] = ()

    @classmethod
    def wire_size(cls) -> int:
        """Octets of the arguments on the wire."""
        return sum(arg.size for arg in cls.ARGS)

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """Names of the dataclass fields, to check against `ARGS`."""
        return tuple(f.name for f in fields(cls))  # type: ignore[arg-type]


class Severity(IntEnum):
    """Event severity; the PUS service 5 report subtype is the severity's value."""

    INFO = 1
    LOW = 2
    MEDIUM = 3
    HIGH = 4


@dataclass(frozen=True)
class EventDef:
    """An event an app can emit, with a number that never changes meaning.

    Attributes:
        eid: the event ID, unique within the app.
        name: upper-case name for the dictionary.
        severity: how bad it is; chooses the 5,x report subtype.
        description: one line for the dictionary and docs.
    """

    eid: int
    name: str
    severity: Severity
    description: str = ""


@dataclass(frozen=True, slots=True)
class EventRecord:
    """An event as emitted on the bus (message ID `EVENT_MID`).

    Attributes:
        apid: APID of the emitting app (reports go out on it).
        source: the emitting app's name.
        event: the declaration.
        time: the emitting clock's monotonic reading.
        aux: auxiliary data appended to the report.
    """

    apid: int
    source: str
    event: EventDef
    time: float
    aux: bytes = b""


COUNTER_FIELDS = (
    Arg("cmd_count", construct.Int16ub, description="telecommands executed successfully"),
    Arg("err_count", construct.Int16ub, description="telecommands rejected or failed"),
)


@dataclass(frozen=True)
class Housekeeping:
    """A housekeeping structure reported by PUS service 3 under its structure ID.

    Build it with `housekeeping()`, which puts the app's command and error counters first.

    Attributes:
        sid: the structure ID, unique within the app.
        name: upper-case name for the dictionary.
        fields: the items in wire order.
        interval: default seconds between periodic reports.
        enabled: whether periodic reporting starts enabled.
    """

    sid: int
    name: str
    fields: tuple[Arg, ...]
    interval: float = 10.0
    enabled: bool = True
    _struct: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        struct = construct.Struct(*(arg.name / arg.fmt for arg in self.fields))
        object.__setattr__(self, "_struct", struct)

    def pack(self, values: dict[str, Value]) -> bytes:
        """Encode `values`, one per field."""
        return bytes(self._struct.build(values))

    def unpack(self, data: bytes) -> dict[str, Value]:
        """Decode a report's parameter data (used by tests and ground tools)."""
        parsed = self._struct.parse(data)
        return {arg.name: parsed[arg.name] for arg in self.fields}


def housekeeping(
    sid: int, name: str, *items: Arg, interval: float = 10.0, enabled: bool = True
) -> Housekeeping:
    """Declare a housekeeping structure that starts with the app's command and error counters."""
    return Housekeeping(sid, name, (*COUNTER_FIELDS, *items), interval, enabled)


@dataclass(frozen=True)
class Parameter:
    """A parameter the ground reads and sets with PUS service 20; sets persist across boots.

    Attributes:
        pid: the parameter ID, unique within the app.
        arg: name, type and range of the value.
        default: the value before any set, and after a stored value fails its range check.
    """

    pid: int
    arg: Arg
    default: Value

    @property
    def name(self) -> str:
        """The parameter's name."""
        return self.arg.name
