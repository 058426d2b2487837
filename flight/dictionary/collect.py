"""Collect the mission dictionary from the declarations of every app the mission runs.

The apps are looked up in the app registry by kind, exactly as `build_flight` does, and only
their class-level declarations are read: nothing is instantiated, nothing is started. The
result is checked for duplicate IDs before it is returned.
"""

import inspect
from typing import Any

import construct

from flight.apps.registry import REGISTRY
from flight.core import BASE_EVENTS, App, Arg, Command, EventDef, Housekeeping, Mission, Parameter
from flight.dictionary.checks import check_unique
from flight.dictionary.errors import DictionaryError
from flight.dictionary.model import (
    AppSpec,
    CommandSpec,
    EventSpec,
    FieldSpec,
    MissionDictionary,
    ParameterSpec,
    StructureSpec,
)

__all__ = ["build_dictionary", "field_spec"]

_KIND_BY_FORMAT = {"B": "uint", "H": "uint", "I": "uint", "L": "uint", "Q": "uint"}
_KIND_BY_FORMAT |= {"b": "int", "h": "int", "i": "int", "l": "int", "q": "int"}
_KIND_BY_FORMAT |= {"e": "float", "f": "float", "d": "float"}


def _first_line(obj: Any) -> str:
    doc = inspect.getdoc(obj) or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def _snake_upper(name: str) -> str:
    out = []
    for index, char in enumerate(name):
        if char.isupper() and index and not name[index - 1].isupper():
            out.append("_")
        out.append(char.upper())
    return "".join(out)


def field_spec(arg: Arg) -> FieldSpec:
    """The wire description of a declared `Arg`.

    Raises:
        DictionaryError: the field is not a big-endian integer, IEEE float or flag.
    """
    fmt = arg.fmt
    if fmt is construct.Flag:
        kind, bits = "bool", 8
    elif isinstance(fmt, construct.FormatField) and fmt.fmtstr[:1] in {">", "!"}:
        kind = _KIND_BY_FORMAT.get(fmt.fmtstr[1:], "")
        bits = 8 * int(fmt.sizeof())
    else:
        kind, bits = "", 0
    if not kind:
        raise DictionaryError(f"{arg.name}: {fmt!r} is not a big-endian number or flag")
    return FieldSpec(arg.name, kind, bits, arg.low, arg.high, arg.unit, arg.description)


def _command(command: type[Command]) -> CommandSpec:
    return CommandSpec(
        name=_snake_upper(command.__name__),
        type_name=command.__name__,
        function_id=command.CODE,
        args=tuple(field_spec(arg) for arg in command.ARGS),
        description=_first_line(command),
    )


def _structure(hk: Housekeeping) -> StructureSpec:
    return StructureSpec(
        hk.sid, hk.name, tuple(field_spec(a) for a in hk.fields), hk.interval, hk.enabled
    )


def _event(event: EventDef) -> EventSpec:
    severity = event.severity
    return EventSpec(event.eid, event.name, severity.name, int(severity), event.description)


def _parameter(parameter: Parameter) -> ParameterSpec:
    return ParameterSpec(parameter.pid, field_spec(parameter.arg), parameter.default)


def _app(name: str, kind: type[App], kind_name: str, apid: int, rate_hz: int) -> AppSpec:
    return AppSpec(
        name=name,
        kind=kind_name,
        apid=apid,
        rate_hz=rate_hz,
        description=_first_line(kind),
        commands=tuple(sorted((_command(c) for c in kind.COMMANDS), key=lambda c: c.function_id)),
        structures=tuple(sorted((_structure(h) for h in kind.TELEMETRY), key=lambda s: s.sid)),
        events=tuple(_event(e) for e in (*BASE_EVENTS, *kind.EVENTS)),
        parameters=tuple(sorted((_parameter(p) for p in kind.PARAMETERS), key=lambda p: p.pid)),
    )


def build_dictionary(
    mission: Mission, registry: dict[str, type[App]] | None = None
) -> MissionDictionary:
    """The dictionary of `mission`: every app it runs, by APID.

    Args:
        mission: the loaded mission.
        registry: app kinds by name (the flight registry when None; tests pass their own).

    Raises:
        DictionaryError: an unknown app kind or an undescribable field.
        DuplicateIdError: an ID that must be unique is not.
    """
    kinds = REGISTRY if registry is None else registry
    apps = []
    for config in mission.apps:
        kind = kinds.get(config.kind)
        if kind is None:
            raise DictionaryError(f"{config.name}: unknown app kind {config.kind!r}")
        apps.append(_app(config.name, kind, config.kind, config.apid, config.rate_hz))
    dictionary = MissionDictionary(
        mission=mission.name,
        description=mission.description,
        authentication=mission.authentication,
        links=mission.links,
        apps=tuple(sorted(apps, key=lambda a: a.apid)),
    )
    check_unique(dictionary)
    return dictionary
