"""Acceptance cases generated from the mission dictionary.

Every command gets a *good* case (each argument at its lower bound, then its upper bound,
which the dispatcher must accept and complete) and *bad* cases with the code the flight
documents for them: each argument just outside a declared range (``ARGUMENT_OUT_OF_RANGE``),
one octet too many (``BAD_LENGTH``); every app gets an undeclared function ID
(``UNKNOWN_FUNCTION``). Bad cases are encoded raw, past the ground's own checks, because the
point is what the flight does with them. Test-only commands (their description starts with
``TEST ONLY``) get no good case: they have their own tests.
"""

from dataclasses import dataclass

from flight.core import FailureCode
from flight.dictionary import AppSpec, CommandSpec, FieldSpec, MissionDictionary
from hil.ground import Request

__all__ = ["BadCase", "GoodCase", "bad_cases", "good_cases", "is_test_only", "nearby", "wire"]

Value = int | float | bool


@dataclass(frozen=True)
class GoodCase:
    """A command with valid arguments that must complete."""

    id: str
    request: Request


@dataclass(frozen=True)
class BadCase:
    """A command the flight must refuse with `code` at acceptance."""

    id: str
    request: Request
    code: FailureCode


def is_test_only(command: CommandSpec) -> bool:
    """Whether `command` exists for tests only (``TEST ONLY`` in its description)."""
    return command.description.upper().startswith("TEST ONLY")


def wire(spec: FieldSpec, value: Value) -> Value:
    """`value` as it reads back from the wire: a float32 rounds, and the ground reads it as
    the shortest decimal with the same float32 (a declared limit stays the limit: the flight
    checks ranges as the field carries them)."""
    if spec.kind != "float" or spec.bits != 32:
        return value
    return spec.decode(spec.encode(value))


def nearby(spec: FieldSpec, value: Value) -> Value:
    """A valid value next to `value` (for changing a setting by as little as can be seen)."""
    low, high = spec.limits()
    if spec.kind == "bool":
        return not value
    if spec.kind == "float":
        step = (float(high) - float(low)) / 100
        moved = float(value) + step if float(value) + step <= float(high) else float(value) - step
        return wire(spec, moved)
    return int(value) + 1 if int(value) < int(high) else int(value) - 1


def _encode(app: AppSpec, command: CommandSpec, values: list[Value], label: str) -> Request:
    data = command.function_id.to_bytes(2, "big") + b"".join(
        spec.encode(value) for spec, value in zip(command.args, values, strict=True)
    )
    return Request(app.apid, command.service, command.subtype, data, label)


def _outside(spec: FieldSpec) -> list[tuple[str, Value]]:
    """Values just outside the declared range that still fit the wire type."""
    if spec.kind not in {"uint", "int"}:
        return []  # float ranges and booleans have no integer neighbours to test
    low, high = spec.limits()
    own_low = 0 if spec.kind == "uint" else -(1 << (spec.bits - 1))
    own_high = (1 << spec.bits) - 1 if spec.kind == "uint" else (1 << (spec.bits - 1)) - 1
    found: list[tuple[str, Value]] = []
    if int(low) > own_low:
        found.append(("below", int(low) - 1))
    if int(high) < own_high:
        found.append(("above", int(high) + 1))
    return found


def good_cases(dictionary: MissionDictionary) -> list[GoodCase]:
    """Every non-test command at its lowest and highest valid arguments."""
    cases = []
    for app in dictionary.apps:
        for command in app.commands:
            if is_test_only(command):
                continue
            label = f"{app.name}.{command.name}"
            lows = [wire(spec, spec.limits()[0]) for spec in command.args]
            cases.append(GoodCase(label, _encode(app, command, lows, label)))
            highs = [wire(spec, spec.limits()[1]) for spec in command.args]
            if highs != lows:
                cases.append(GoodCase(f"{label}-max", _encode(app, command, highs, label)))
    return cases


def bad_cases(dictionary: MissionDictionary) -> list[BadCase]:
    """Out-of-range arguments, wrong lengths and undeclared function IDs."""
    cases = []
    for app in dictionary.apps:
        for command in app.commands:
            label = f"{app.name}.{command.name}"
            valid = [wire(spec, spec.limits()[0]) for spec in command.args]
            for index, spec in enumerate(command.args):
                for side, value in _outside(spec):
                    values = [*valid[:index], value, *valid[index + 1 :]]
                    cases.append(
                        BadCase(
                            f"{label}-{spec.name}-{side}",
                            _encode(app, command, values, label),
                            FailureCode.ARGUMENT_OUT_OF_RANGE,
                        )
                    )
            request = _encode(app, command, valid, label)
            longer = Request(request.apid, 8, 1, request.app_data + b"\x00", label)
            cases.append(BadCase(f"{label}-too-long", longer, FailureCode.BAD_LENGTH))
        if app.commands:
            unused = max(c.function_id for c in app.commands) + 1
            data = (unused & 0xFFFF).to_bytes(2, "big")
            label = f"{app.name} function {unused}"
            cases.append(
                BadCase(
                    f"{app.name}-unknown-function",
                    Request(app.apid, 8, 1, data, label),
                    FailureCode.UNKNOWN_FUNCTION,
                )
            )
    return cases
