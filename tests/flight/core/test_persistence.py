"""Power-safe A/B storage: newest valid copy wins; torn or corrupt copies are ignored."""

import errno
import os
from pathlib import Path

import construct
import pytest

from flight.core import (
    App,
    AppContext,
    Arg,
    DurabilityError,
    Parameter,
    ParameterStore,
    SimulatedClock,
    SoftwareBus,
    Store,
)


def test_saves_alternate_between_a_and_b_with_rising_sequence(tmp_path: Path) -> None:
    store = Store(tmp_path, "state")
    for n in range(5):
        store.save(f"v{n}".encode())
    assert store.sequence == 5
    assert store.path("a").exists()
    assert store.path("b").exists()
    reloaded = Store(tmp_path, "state")
    assert reloaded.load() == b"v4"
    assert reloaded.sequence == 5
    assert not list(tmp_path.glob(".*.tmp"))


def test_newest_valid_copy_wins_over_a_corrupted_newer_one(tmp_path: Path) -> None:
    store = Store(tmp_path, "state")
    store.save(b"old")
    store.save(b"new")  # lands in b
    data = bytearray(store.path("b").read_bytes())
    data[-6] ^= 0x01  # flip one payload bit: the CRC no longer matches
    store.path("b").write_bytes(bytes(data))
    assert Store(tmp_path, "state").load() == b"old"


@pytest.mark.parametrize("keep", [0, 3, 10, 22, 25])
def test_truncated_copy_is_ignored(tmp_path: Path, keep: int) -> None:
    store = Store(tmp_path, "state")
    store.save(b"old")
    store.save(b"newer state")
    store.path("b").write_bytes(store.path("b").read_bytes()[:keep])
    assert Store(tmp_path, "state").load() == b"old"


def test_no_valid_copy_loads_nothing_and_next_save_starts_over(tmp_path: Path) -> None:
    (tmp_path / "state.a").write_bytes(b"garbage")
    store = Store(tmp_path, "state")
    assert store.load() is None
    store.save(b"fresh")
    assert Store(tmp_path, "state").load() == b"fresh"


def test_save_after_boot_never_overwrites_the_newest_copy(tmp_path: Path) -> None:
    first = Store(tmp_path, "state")
    first.save(b"one")
    first.save(b"two")
    booted = Store(tmp_path, "state")
    assert booted.load() == b"two"
    newest = booted.path("b").read_bytes()
    booted.save(b"three")
    assert booted.path("b").read_bytes() == newest  # three went to a


def _failing_fsync(fail_on: int) -> tuple[list[int], object]:
    calls: list[int] = []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == fail_on:
            raise OSError(errno.EIO, "injected I/O error")
        os.fsync(fd)

    return calls, fsync


@pytest.mark.parametrize(("fail_on", "step"), [(1, "fsync"), (2, "fsync_dir")])
def test_fsync_error_is_a_failure_and_keeps_the_old_state(
    tmp_path: Path, fail_on: int, step: str
) -> None:
    Store(tmp_path, "state").save(b"old")
    _, fsync = _failing_fsync(fail_on)
    store = Store(tmp_path, "state", fsync=fsync)  # type: ignore[arg-type]
    store.load()
    with pytest.raises(DurabilityError) as caught:
        store.save(b"new")
    assert caught.value.step == step
    assert isinstance(caught.value.__cause__, OSError)
    assert store.sequence == 1  # not advanced: the new state is not considered stored
    assert not list(tmp_path.glob(".*.tmp"))
    # Whatever reached the disk, boot finds the old state or the new one, never anything else.
    assert Store(tmp_path, "state").load() in {b"old", b"new"}


class Tunable(App):
    PARAMETERS = (Parameter(1, Arg("gain", construct.Int8ub, 1, 16), 4),)


def _app() -> Tunable:
    return Tunable(AppContext("tunable", 5, SimulatedClock(), SoftwareBus()))


def test_parameter_commit_stores_before_apps_see_the_value(tmp_path: Path) -> None:
    app = _app()
    params = ParameterStore(Store(tmp_path, "parameters"), [app])
    params.commit([(app, 1, 9)])
    assert app.param("gain") == 9
    rebooted = _app()
    assert ParameterStore(Store(tmp_path, "parameters"), [rebooted]).restore() == 1
    assert rebooted.param("gain") == 9


def test_failed_parameter_commit_changes_nothing(tmp_path: Path) -> None:
    app = _app()
    _, fsync = _failing_fsync(1)
    params = ParameterStore(Store(tmp_path, "parameters", fsync=fsync), [app])  # type: ignore[arg-type]
    with pytest.raises(DurabilityError):
        params.commit([(app, 1, 9)])
    assert app.param("gain") == 4
    assert params.failures == 1


def test_stored_value_out_of_its_declared_range_keeps_the_default(tmp_path: Path) -> None:
    Store(tmp_path, "parameters").save(b'{"tunable": {"gain": 200}}')
    app = _app()
    assert ParameterStore(Store(tmp_path, "parameters"), [app]).restore() == 0
    assert app.param("gain") == 4
