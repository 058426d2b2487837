"""The mission dictionary's data model: plain, typed values that the exports and the ground read.

Every item is a frozen dataclass holding only numbers and strings, so the dictionary survives a
round trip through JSON unchanged and the ground can encode commands and decode telemetry from
a dictionary file alone, without importing a single flight app.

A `FieldSpec` is one fixed-size big-endian field (a command argument, a housekeeping item or a
parameter value): ``uint``/``int`` of 8, 16, 32 or 64 bits, ``float`` of 32 or 64 bits (IEEE
754), or ``bool`` (one octet).

>>> gain = FieldSpec("gain", "uint", 8, low=1, high=16)
>>> gain.encode(3).hex(), gain.decode(b"\\x03"), gain.check(17)
('03', 3, 'gain must be <= 16, got 17')
"""

import math
import struct
from dataclasses import dataclass

from flight.dictionary.errors import DictionaryError

__all__ = [
    "KINDS",
    "AppSpec",
    "CommandSpec",
    "EventSpec",
    "FieldSpec",
    "MissionDictionary",
    "ParameterSpec",
    "StructureSpec",
    "normalize_name",
]

Value = int | float | bool

KINDS = ("uint", "int", "float", "bool")
_FORMATS = {
    ("uint", 8): "B",
    ("uint", 16): "H",
    ("uint", 32): "I",
    ("uint", 64): "Q",
    ("int", 8): "b",
    ("int", 16): "h",
    ("int", 32): "i",
    ("int", 64): "q",
    ("float", 32): "f",
    ("float", 64): "d",
    ("bool", 8): "?",
}


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def normalize_name(name: str) -> str:
    """Fold a command or item name for lookup: ``SetGain``, ``set_gain``, ``SET_GAIN`` agree."""
    return name.replace("_", "").replace("-", "").lower()


@dataclass(frozen=True)
class FieldSpec:
    """One fixed-size field on the wire.

    Attributes:
        name: the field's name (a Python identifier).
        kind: ``uint``, ``int``, ``float`` or ``bool``.
        bits: width on the wire.
        low: smallest accepted value (inclusive), None for the type's own limit.
        high: largest accepted value (inclusive), None for the type's own limit.
        unit: engineering unit, e.g. ``"s"``; empty when dimensionless.
        description: one line.
    """

    name: str
    kind: str
    bits: int
    low: Value | None = None
    high: Value | None = None
    unit: str = ""
    description: str = ""

    def __post_init__(self) -> None:
        if (self.kind, self.bits) not in _FORMATS:
            raise DictionaryError(f"{self.name}: no wire type {self.kind}{self.bits}")

    @property
    def size(self) -> int:
        """Octets on the wire."""
        return self.bits // 8

    @property
    def type_name(self) -> str:
        """A short type name such as ``uint16`` or ``float32``."""
        return "bool" if self.kind == "bool" else f"{self.kind}{self.bits}"

    def limits(self) -> tuple[Value, Value]:
        """The inclusive range the field accepts: declared, or else the type's own."""
        if self.kind == "bool":
            return (False, True)
        if self.kind == "uint":
            own: tuple[Value, Value] = (0, (1 << self.bits) - 1)
        elif self.kind == "int":
            own = (-(1 << (self.bits - 1)), (1 << (self.bits - 1)) - 1)
        else:
            big = 3.4028234663852886e38 if self.bits == 32 else 1.7976931348623157e308
            own = (-big, big)
        return (
            own[0] if self.low is None else self.low,
            own[1] if self.high is None else self.high,
        )

    def check(self, value: Value) -> str | None:
        """Why `value` does not fit this field, or None when it does."""
        if self.kind == "bool":
            return None if isinstance(value, bool) else f"{self.name} must be true or false"
        if self.kind in {"uint", "int"} and (isinstance(value, bool) or not isinstance(value, int)):
            return f"{self.name} must be an integer, got {value!r}"
        if isinstance(value, float) and not math.isfinite(value):
            return f"{self.name} must be finite, got {value!r}"
        low, high = self.limits()
        if value < low:
            return f"{self.name} must be >= {low}, got {value!r}"
        if value > high:
            return f"{self.name} must be <= {high}, got {value!r}"
        return None

    def parse(self, text: str) -> Value:
        """Read a value typed by a person (``3``, ``0x10``, ``2.5``, ``true``).

        Raises:
            DictionaryError: the text is not a value of this field's kind.
        """
        folded = text.strip().lower()
        if self.kind == "bool" and folded in _TRUE | _FALSE:
            return folded in _TRUE
        try:
            if self.kind == "bool":
                raise ValueError(text)  # noqa: TRY301 -- one message for every kind
            if self.kind == "float":
                return float(text)
            return int(text, 0)
        except ValueError as exc:
            raise DictionaryError(f"{self.name}: {text!r} is not a {self.type_name} value") from exc

    def encode(self, value: Value) -> bytes:
        """The value's octets (the caller has checked it)."""
        return struct.pack(">" + _FORMATS[(self.kind, self.bits)], value)

    def decode(self, data: bytes) -> Value:
        """The value held in exactly `size` octets (a float32 as its shortest decimal)."""
        (value,) = struct.unpack(">" + _FORMATS[(self.kind, self.bits)], data)
        if self.kind == "float" and self.bits == 32:
            return shortest_float32(value)
        return value  # type: ignore[no-any-return]


def shortest_float32(value: float) -> float:
    """`value`, a float32 read into a float, as the shortest decimal with the same float32.

    A float32 holds 0.1 as 0.100000001490116; operators, archives and plots want the 0.1
    the flight meant, and it packs back to the very same octets.

    >>> shortest_float32(struct.unpack(">f", struct.pack(">f", 0.1))[0])
    0.1
    """
    if not math.isfinite(value):
        return value
    octets = struct.pack(">f", value)
    for digits in range(1, 10):  # nine significant digits tell every float32 apart
        candidate = float(f"{value:.{digits}g}")
        if struct.pack(">f", candidate) == octets:
            return candidate
    return value


def _unpack_fields(fields: tuple[FieldSpec, ...], data: bytes) -> dict[str, Value]:
    expected = sum(f.size for f in fields)
    if len(data) != expected:
        raise DictionaryError(f"need {expected} octets, got {len(data)}")
    values: dict[str, Value] = {}
    offset = 0
    for spec in fields:
        values[spec.name] = spec.decode(data[offset : offset + spec.size])
        offset += spec.size
    return values


@dataclass(frozen=True)
class CommandSpec:
    """A command an app performs through PUS 8,1 (function management).

    Attributes:
        name: upper-case name, e.g. ``SET_GAIN``.
        type_name: the declaring class, e.g. ``SetGain``.
        function_id: the command's function ID within its app (u16 on the wire).
        args: the arguments in wire order.
        description: what it does.
        service: always 8 (function management).
        subtype: always 1 (perform a function).
    """

    name: str
    type_name: str
    function_id: int
    args: tuple[FieldSpec, ...] = ()
    description: str = ""
    service: int = 8
    subtype: int = 1

    def arg(self, name: str) -> FieldSpec | None:
        """The argument called `name` (folded), or None."""
        folded = normalize_name(name)
        return next((a for a in self.args if normalize_name(a.name) == folded), None)


@dataclass(frozen=True)
class StructureSpec:
    """A housekeeping structure reported as 3,25 (structure ID u16, then the items).

    Attributes:
        sid: the structure ID within its app.
        name: upper-case name.
        fields: the items in wire order, command and error counters first.
        interval_s: default seconds between periodic reports.
        enabled: whether periodic reporting starts enabled.
    """

    sid: int
    name: str
    fields: tuple[FieldSpec, ...]
    interval_s: float
    enabled: bool

    @property
    def size(self) -> int:
        """Octets of the items (without the structure ID)."""
        return sum(f.size for f in self.fields)

    def unpack(self, data: bytes) -> dict[str, Value]:
        """Decode the items that follow the structure ID.

        Raises:
            DictionaryError: `data` is not exactly the structure's size.
        """
        return _unpack_fields(self.fields, data)

    def field(self, name: str) -> FieldSpec | None:
        """The item called `name` (folded), or None."""
        folded = normalize_name(name)
        return next((f for f in self.fields if normalize_name(f.name) == folded), None)


@dataclass(frozen=True)
class EventSpec:
    """An event, reported as 5,<severity> carrying its ID (u16) and auxiliary data.

    Attributes:
        eid: the event ID within its app.
        name: upper-case name.
        severity: ``INFO``, ``LOW``, ``MEDIUM`` or ``HIGH``.
        subtype: the 5,x report subtype (1..4, the severity's number).
        description: what it means and what its auxiliary data holds.
    """

    eid: int
    name: str
    severity: str
    subtype: int
    description: str = ""


@dataclass(frozen=True)
class ParameterSpec:
    """A parameter read with 20,1 (reported in 20,2) and set with 20,3.

    Attributes:
        pid: the parameter ID within its app (u16 on the wire).
        value: name, type, range and unit of the value.
        default: the value before any set.
    """

    pid: int
    value: FieldSpec
    default: Value

    @property
    def name(self) -> str:
        """The parameter's name."""
        return self.value.name


@dataclass(frozen=True)
class AppSpec:
    """Everything one app instance of the mission declares.

    Attributes:
        name: the instance name in the mission.
        kind: the app kind (registry key).
        apid: the APID its telecommands go to and its telemetry comes from.
        rate_hz: the rate group it runs in.
        description: the app's purpose (its class docstring's first line).
        commands: by function ID.
        structures: by structure ID.
        events: by event ID, the base app's first.
        parameters: by parameter ID.
    """

    name: str
    kind: str
    apid: int
    rate_hz: int
    description: str
    commands: tuple[CommandSpec, ...]
    structures: tuple[StructureSpec, ...]
    events: tuple[EventSpec, ...]
    parameters: tuple[ParameterSpec, ...]

    def command(self, name: str) -> CommandSpec | None:
        """The command called `name` (``SET_GAIN``, ``SetGain`` or ``set_gain``), or None."""
        folded = normalize_name(name)
        return next((c for c in self.commands if normalize_name(c.name) == folded), None)

    def structure(self, sid: int) -> StructureSpec | None:
        """The structure with ID `sid`, or None."""
        return next((s for s in self.structures if s.sid == sid), None)

    def event(self, eid: int) -> EventSpec | None:
        """The event with ID `eid`, or None."""
        return next((e for e in self.events if e.eid == eid), None)

    def parameter(self, key: str | int) -> ParameterSpec | None:
        """The parameter with ID `key` (int) or name `key` (str, folded), or None."""
        if isinstance(key, int):
            return next((p for p in self.parameters if p.pid == key), None)
        folded = normalize_name(key)
        return next((p for p in self.parameters if normalize_name(p.name) == folded), None)


@dataclass(frozen=True)
class MissionDictionary:
    """The whole mission's dictionary: its apps' declarations and the packet formats.

    Attributes:
        mission: the mission's name.
        description: the mission's description.
        authentication: whether telecommands must be authenticated.
        links: the mission's link URLs.
        apps: by APID.
        time_format: the TM time field (``CUC 4+2``, CCSDS epoch 1958-01-01, no P-field).
    """

    mission: str
    description: str
    authentication: bool
    links: tuple[str, ...]
    apps: tuple[AppSpec, ...]
    time_format: str = "CUC 4+2, CCSDS epoch 1958-01-01 TAI, no P-field"

    def app(self, name: str) -> AppSpec | None:
        """The app instance called `name`, or None."""
        return next((a for a in self.apps if a.name == name), None)

    def app_by_apid(self, apid: int) -> AppSpec | None:
        """The app answering on `apid`, or None."""
        return next((a for a in self.apps if a.apid == apid), None)

    def find_command(self, dotted: str) -> tuple[AppSpec, CommandSpec]:
        """Resolve ``APP.COMMAND``.

        Raises:
            DictionaryError: no such app or command; the message lists what exists.
        """
        app_name, dot, command_name = dotted.partition(".")
        if not dot or not command_name:
            raise DictionaryError(f"expected APP.COMMAND, got {dotted!r}")
        app = self.app(app_name)
        if app is None:
            known = ", ".join(a.name for a in self.apps)
            raise DictionaryError(f"unknown app {app_name!r} (apps: {known})")
        command = app.command(command_name)
        if command is None:
            known = ", ".join(c.name for c in app.commands)
            raise DictionaryError(
                f"unknown command {command_name!r} of {app.name} (commands: {known})"
            )
        return app, command
