"""The dispatcher: typed commands, exact lengths, declared ranges, one place."""

from dataclasses import dataclass

import construct
import pytest

from flight.core import (
    App,
    AppContext,
    Arg,
    Command,
    CommandRejectedError,
    DeclarationError,
    Dispatcher,
    FailureCode,
    SimulatedClock,
    SoftwareBus,
    decode_args,
    encode_args,
    handles,
)


@dataclass(frozen=True)
class SetRate(Command):
    CODE = 3
    ARGS = (Arg("rate_hz", construct.Int16ub, 1, 50), Arg("scale", construct.Float32b, 0.0, 2.0))
    rate_hz: int
    scale: float


class Pump(App):
    COMMANDS = (SetRate,)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.handled: list[SetRate] = []

    @handles(SetRate)
    def set_rate(self, command: SetRate) -> None:
        self.handled.append(command)


def _pump() -> Pump:
    return Pump(AppContext("pump", 9, SimulatedClock(), SoftwareBus()))


def test_valid_arguments_become_a_typed_command() -> None:
    pump = _pump()
    command, handler = pump.dispatcher.decode(
        3, encode_args(SetRate.ARGS, {"rate_hz": 50, "scale": 1.5})
    )
    assert command == SetRate(rate_hz=50, scale=1.5)
    handler(command)
    assert pump.handled == [command]


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"rate_hz": 0, "scale": 1.0}, FailureCode.ARGUMENT_OUT_OF_RANGE),
        ({"rate_hz": 51, "scale": 1.0}, FailureCode.ARGUMENT_OUT_OF_RANGE),
        ({"rate_hz": 10, "scale": 2.5}, FailureCode.ARGUMENT_OUT_OF_RANGE),
        ({"rate_hz": 10, "scale": float("nan")}, FailureCode.ARGUMENT_OUT_OF_RANGE),
    ],
)
def test_out_of_range_is_rejected_before_any_handler(
    values: dict[str, float], code: FailureCode
) -> None:
    pump = _pump()
    with pytest.raises(CommandRejectedError) as caught:
        pump.dispatcher.decode(3, encode_args(SetRate.ARGS, values))
    assert caught.value.code is code
    assert pump.handled == []


@pytest.mark.parametrize("data", [b"", b"\x00\x05", b"\x00\x05" + b"\x00" * 5])
def test_wrong_length_is_rejected(data: bytes) -> None:
    with pytest.raises(CommandRejectedError) as caught:
        _pump().dispatcher.decode(3, data)
    assert caught.value.code is FailureCode.BAD_LENGTH


def test_unknown_function_is_rejected() -> None:
    with pytest.raises(CommandRejectedError) as caught:
        _pump().dispatcher.decode(4, b"")
    assert caught.value.code is FailureCode.UNKNOWN_FUNCTION


def test_duplicate_function_ids_are_a_declaration_error() -> None:
    @dataclass(frozen=True)
    class Other(Command):
        CODE = 3

    with pytest.raises(DeclarationError, match="share function ID 3"):
        Dispatcher("x", [(SetRate, print), (Other, print)])


def test_args_must_match_the_fields() -> None:
    @dataclass(frozen=True)
    class Wrong(Command):
        CODE = 1
        ARGS = (Arg("a", construct.Int8ub),)
        b: int

    with pytest.raises(DeclarationError, match="differ from its fields"):
        Dispatcher("x", [(Wrong, print)])


def test_a_declared_command_needs_a_handler() -> None:
    class Lazy(App):
        COMMANDS = (SetRate,)

    with pytest.raises(DeclarationError, match="no @handles"):
        Lazy(AppContext("lazy", 1, SimulatedClock(), SoftwareBus()))


def test_decode_args_returns_checked_values() -> None:
    args = (Arg("level", construct.Int8ub, 1, 3),)
    assert decode_args(args, b"\x02") == {"level": 2}
