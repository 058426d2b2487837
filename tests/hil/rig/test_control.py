"""The sim control channel over a real socket: the rig's `Stimulus` drives a SimBoard."""

import threading
import uuid
from collections.abc import Callable, Iterator

import pytest

from hal.backends.sim.board import SimBoard
from hal.backends.sim.control import SimControl
from hal.boards.sim import SPEC
from hal.health import SimHealth
from hil.rig import Stimulus, StimulusError, UnsupportedError


@pytest.fixture
def served() -> Iterator[tuple[SimBoard, SimHealth, Stimulus, SimControl]]:
    """A SimBoard served on an abstract socket by a loop thread, and a client."""
    board, health = SimBoard(SPEC), SimHealth()
    path = f"@starling-test-control-{uuid.uuid4().hex}"
    control = SimControl(board, path, health=health)
    stop = threading.Event()

    def loop() -> None:  # what the flight's executive does with add_reader
        import select  # noqa: PLC0415

        while not stop.is_set():
            if select.select([control], [], [], 0.05)[0]:
                control.on_readable()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    client = Stimulus(path, timeout=1.0)
    yield board, health, client, control
    stop.set()
    thread.join(1)
    client.close()
    control.close()


def test_set_get_inject_clear(served: tuple[SimBoard, SimHealth, Stimulus, SimControl]) -> None:
    board, health, stimulus, control = served
    assert "tmp117" in stimulus.models()
    stimulus.set("tmp117", temperature_c=31.5)
    assert board.model("tmp117").get("temperature_c") == 31.5  # type: ignore[attr-defined]
    assert stimulus.get("tmp117", "temperature_c") == 31.5
    stimulus.inject("bme280", "nack", count=2)
    stimulus.clear("bme280")
    stimulus.clear()
    stimulus.health(temperature_c=82.0)
    assert health.temperature_c == 82.0
    assert control.served == 7
    assert control.refused == 0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.set("nope", x=1), "no model 'nope'"),
        (lambda s: s.set("tmp117", colour=1), "no quantity 'colour'"),
        (lambda s: s.inject("bme280", "explode"), "explode"),
        (lambda s: s.request("format_disk"), "unknown op"),
        (lambda s: s.health(cpu=1), "no number 'cpu'"),
    ],
)
def test_bad_requests_are_refused_with_a_reason(
    served: tuple[SimBoard, SimHealth, Stimulus, SimControl],
    call: Callable[[Stimulus], object],
    message: str,
) -> None:
    _, _, stimulus, control = served
    with pytest.raises(StimulusError, match=message):
        call(stimulus)
    assert control.refused == 1
    assert stimulus.models()  # and the channel still serves


def test_garbage_never_raises(served: tuple[SimBoard, SimHealth, Stimulus, SimControl]) -> None:
    _, _, _, control = served
    for junk in (b"", b"\xff\xfe", b"[1, 2]", b"{" * 5000, b'{"op": "set", "model": 3}'):
        assert control.handle(junk)["ok"] is False


def test_no_channel_is_unsupported() -> None:
    client = Stimulus(f"@starling-nobody-{uuid.uuid4().hex}", timeout=0.2)
    with pytest.raises(UnsupportedError, match="STARLING_SIM_CONTROL"):
        client.models()
    assert not client.available()
    client.close()
