"""Telecommands encoded from the mission dictionary, checked completely before anything is sent.

A `Request` is what to send (APID, service, subtype, application data) and a label for
messages; the client gives it a sequence count and packs it. The layouts follow the flight's
services (ECSS-E-ST-70-41C PUS-C): 8,1 function ID u16 + arguments; 17,1 empty; 20,1 N u8 +
N IDs u16; 20,3 N u8 + N x (ID u16, value); 3,27 N u8 + N structure IDs u16; 9,128 empty;
9,129 CUC 4+2; 11,4 N u8 + N x (CUC 4+2 release time, whole TC packet); 11,5 N u8 + N request
IDs (4 octets); 11,16 / 11,17 empty.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flight.ccsds import CucTime
from flight.core import CCSDS_EPOCH_OFFSET
from flight.dictionary import (
    AppSpec,
    DictionaryError,
    FieldSpec,
    MissionDictionary,
    ParameterSpec,
)
from hil.ground.errors import CommandError

__all__ = [
    "Request",
    "function_request",
    "hk_report_request",
    "params_get_request",
    "params_set_request",
    "parse_assignments",
    "ping_request",
    "resolve_app",
    "schedule_delete_request",
    "schedule_insert_request",
    "schedule_report_request",
    "time_report_request",
    "time_set_request",
    "unix_to_cuc",
]


@dataclass(frozen=True)
class Request:
    """One telecommand to send.

    Attributes:
        apid: the addressed app's APID.
        service: PUS service type.
        subtype: PUS message subtype.
        app_data: the application data.
        label: what it is, for messages (``sample.SET_GAIN``).
    """

    apid: int
    service: int
    subtype: int
    app_data: bytes
    label: str


def parse_assignments(words: Sequence[str]) -> dict[str, str]:
    """``["gain=3", "mode=1"]`` -> ``{"gain": "3", "mode": "1"}``.

    Raises:
        CommandError: a word is not NAME=VALUE, or a name repeats.
    """
    values: dict[str, str] = {}
    for word in words:
        name, eq, value = word.partition("=")
        if not eq or not name:
            raise CommandError(f"expected NAME=VALUE, got {word!r}")
        if name in values:
            raise CommandError(f"{name} given twice")
        values[name] = value
    return values


def resolve_app(dictionary: MissionDictionary, name: str) -> AppSpec:
    """The app called `name`.

    Raises:
        CommandError: no such app; the message lists the apps.
    """
    app = dictionary.app(name)
    if app is None:
        known = ", ".join(a.name for a in dictionary.apps)
        raise CommandError(f"unknown app {name!r} (apps: {known})")
    return app


def _value(spec: FieldSpec, text: str, where: str) -> bytes:
    try:
        value = spec.parse(text)
    except DictionaryError as exc:
        raise CommandError(f"{where}: {exc}") from exc
    problem = spec.check(value)
    if problem is not None:
        raise CommandError(f"{where}: {problem}")
    return spec.encode(value)


def function_request(
    dictionary: MissionDictionary, dotted: str, assignments: dict[str, str]
) -> Request:
    """8,1 for ``APP.COMMAND`` with its arguments given as text.

    Raises:
        CommandError: unknown app or command; a missing, extra, malformed or out-of-range
            argument. The message names every argument the command takes.
    """
    try:
        app, command = dictionary.find_command(dotted)
    except DictionaryError as exc:
        raise CommandError(str(exc)) from exc
    label = f"{app.name}.{command.name}"
    wanted = ", ".join(f"{a.name}={a.type_name}" for a in command.args) or "no arguments"
    given = dict(assignments)
    data = bytearray(command.function_id.to_bytes(2, "big"))
    for spec in command.args:
        key = next((k for k in given if command.arg(k) is spec), None)
        if key is None:
            raise CommandError(f"{label}: missing argument {spec.name} (takes {wanted})")
        data += _value(spec, given.pop(key), label)
    if given:
        raise CommandError(f"{label}: unexpected argument {sorted(given)[0]} (takes {wanted})")
    return Request(app.apid, command.service, command.subtype, bytes(data), label)


def ping_request(app: AppSpec) -> Request:
    """17,1 to `app`."""
    return Request(app.apid, 17, 1, b"", f"{app.name} ping")


def hk_report_request(app: AppSpec, sids: Iterable[int] | None = None) -> Request:
    """3,27: one-shot reports of `sids` (every structure of `app` when None)."""
    chosen = [s.sid for s in app.structures] if sids is None else list(sids)
    data = bytes([len(chosen)]) + b"".join(sid.to_bytes(2, "big") for sid in chosen)
    return Request(app.apid, 3, 27, data, f"{app.name} housekeeping report")


def params_get_request(app: AppSpec, names: Sequence[str]) -> Request:
    """20,1 for the named parameters (every parameter of `app` when `names` is empty).

    Raises:
        CommandError: an unknown parameter.
    """
    specs = [_parameter(app, n) for n in names] if names else list(app.parameters)
    if not specs:
        raise CommandError(f"{app.name} has no parameters")
    data = bytes([len(specs)]) + b"".join(p.pid.to_bytes(2, "big") for p in specs)
    return Request(app.apid, 20, 1, data, f"{app.name} parameter report")


def params_set_request(app: AppSpec, assignments: dict[str, str]) -> Request:
    """20,3 setting each named parameter, checked against its type and range.

    Raises:
        CommandError: no assignment, an unknown parameter or a bad value.
    """
    if not assignments:
        raise CommandError("nothing to set; give NAME=VALUE")
    data = bytearray([len(assignments)])
    for name, text in assignments.items():
        spec = _parameter(app, name)
        data += spec.pid.to_bytes(2, "big") + _value(spec.value, text, f"{app.name}.{name}")
    return Request(app.apid, 20, 3, bytes(data), f"{app.name} parameter set")


def _parameter(app: AppSpec, name: str) -> ParameterSpec:
    spec = app.parameter(name)
    if spec is None:
        known = ", ".join(p.name for p in app.parameters) or "none"
        raise CommandError(f"{app.name} has no parameter {name!r} (parameters: {known})")
    return spec


def unix_to_cuc(unix_seconds: float) -> bytes:
    """CUC 4+2 octets (no P-field) of a Unix time, on the CCSDS epoch."""
    return CucTime.from_seconds(unix_seconds + CCSDS_EPOCH_OFFSET).pack()


def time_report_request(apid: int) -> Request:
    """9,128: report the mission time now (answered by 9,2)."""
    return Request(apid, 9, 128, b"", "time report")


def time_set_request(apid: int, unix_seconds: float) -> Request:
    """9,129: the mission time is `unix_seconds` now."""
    return Request(apid, 9, 129, unix_to_cuc(unix_seconds), "time set")


def schedule_insert_request(apid: int, release_unix: float, packet: bytes) -> Request:
    """11,4 with one activity: `packet` released at `release_unix` (mission time)."""
    data = b"\x01" + unix_to_cuc(release_unix) + packet
    return Request(apid, 11, 4, data, "schedule insert")


def schedule_delete_request(apid: int, request_ids: Sequence[bytes]) -> Request:
    """11,5 deleting the activities with these request IDs (4 octets each).

    Raises:
        CommandError: a request ID that is not 4 octets, or none at all.
    """
    if not request_ids or any(len(r) != 4 for r in request_ids):
        raise CommandError("request IDs are 4 octets (8 hex digits) each")
    return Request(apid, 11, 5, bytes([len(request_ids)]) + b"".join(request_ids), "delete")


def schedule_report_request(apid: int, *, detail: bool = True) -> Request:
    """11,16 (detail, answered by 11,10) or 11,17 (summary, answered by 11,13)."""
    return Request(apid, 11, 16 if detail else 17, b"", "schedule report")
