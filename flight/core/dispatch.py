"""The one dispatcher: turns raw argument bytes into a typed, range-checked command.

It checks the function ID, the exact length and every argument's range against the app's
declarations, so handlers receive a command object they never need to validate again. Any
refusal is a `CommandRejectedError` carrying the `FailureCode` the verification report sends.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import construct

from flight.core.declarations import Arg, Command, Value, check_range
from flight.core.errors import CommandRejectedError, DeclarationError, FailureCode

__all__ = ["Dispatcher", "Handler", "decode_args", "encode_args"]

Handler = Callable[[Any], None]


def _struct(args: Sequence[Arg]) -> Any:
    return construct.Struct(*(arg.name / arg.fmt for arg in args))


def decode_args(args: Sequence[Arg], data: bytes, *, what: str = "arguments") -> dict[str, Value]:
    """Decode `data` holding exactly `args` and range-check each value.

    Raises:
        CommandRejectedError: `BAD_LENGTH` or `ARGUMENT_OUT_OF_RANGE`.
    """
    expected = sum(arg.size for arg in args)
    if len(data) != expected:
        raise CommandRejectedError(
            FailureCode.BAD_LENGTH, f"{what} need {expected} octets, got {len(data)}"
        )
    parsed = _struct(args).parse(data)
    values: dict[str, Value] = {}
    for arg in args:
        value = parsed[arg.name]
        reason = check_range(arg, value)
        if reason is not None:
            raise CommandRejectedError(FailureCode.ARGUMENT_OUT_OF_RANGE, reason)
        values[arg.name] = value
    return values


def encode_args(args: Sequence[Arg], values: dict[str, Value]) -> bytes:
    """Encode `values` as `args` in wire order (the ground side of `decode_args`)."""
    return bytes(_struct(args).build(values))


@dataclass(frozen=True)
class _Route:
    command: type[Command]
    handler: Handler


class Dispatcher:
    """Decodes and checks an app's commands by function ID.

    Args:
        app_name: for messages.
        routes: each declared command type with the handler that executes it.

    Raises:
        DeclarationError: a duplicate function ID, or `ARGS` that disagree with the fields.
    """

    def __init__(self, app_name: str, routes: Iterable[tuple[type[Command], Handler]]) -> None:
        self.app_name = app_name
        self._routes: dict[int, _Route] = {}
        for command, handler in routes:
            code = command.CODE
            if code in self._routes:
                other = self._routes[code].command.__name__
                raise DeclarationError(
                    f"{app_name}: {command.__name__} and {other} share function ID {code}"
                )
            names = tuple(arg.name for arg in command.ARGS)
            if names != command.field_names():
                raise DeclarationError(
                    f"{app_name}: {command.__name__} ARGS {names} differ from its fields "
                    f"{command.field_names()}"
                )
            for arg in command.ARGS:
                arg.size  # noqa: B018 -- raises now if a field is not fixed-size
            self._routes[code] = _Route(command, handler)

    @property
    def commands(self) -> tuple[type[Command], ...]:
        """The declared command types, by function ID."""
        return tuple(self._routes[code].command for code in sorted(self._routes))

    def decode(self, function_id: int, data: bytes) -> tuple[Command, Handler]:
        """Return the typed command and its handler for `function_id` with argument `data`.

        Raises:
            CommandRejectedError: `UNKNOWN_FUNCTION`, `BAD_LENGTH` or `ARGUMENT_OUT_OF_RANGE`.
        """
        route = self._routes.get(function_id)
        if route is None:
            raise CommandRejectedError(
                FailureCode.UNKNOWN_FUNCTION, f"{self.app_name} has no function {function_id}"
            )
        values = decode_args(route.command.ARGS, data, what=route.command.__name__)
        return route.command(**values), route.handler
