"""Fixtures that run the codec tests on every backend that imports.

`codec` is parametrized over the pure twin ("python") and, once it builds, the C backend
("c"). While a test holds it, the high-level API (`PusTc`, `split_packets`, `crc16`, ...)
runs on that backend: every `flight.ccsds` module that bound the selected backend as its
`codec` global gets the fixture's backend instead.

`assert_codec(codec, raw, obj)` is the one round-trip check (STYLE.md): ``obj.pack() == raw``
and ``type(obj).unpack(raw) == obj`` on the given backend, or on every backend when `codec`
is None, with `raw` also given as a bytearray and a memoryview.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

import pytest

import flight.ccsds
from flight.ccsds import pure

# Modules whose `codec` global the high-level API calls through; if a refactor moves that
# global, the switch below must learn about it, so its absence fails loudly.
_SWITCHED = ("flight.ccsds", "flight.ccsds.header", "flight.ccsds.cuc", "flight.ccsds.pus")
_SWITCHED += ("flight.ccsds.stream", "flight.ccsds.selection")


def _load_backends() -> tuple[dict[str, ModuleType], str | None]:
    backends = {"python": pure}
    try:
        cbackend = importlib.import_module("flight.ccsds.cbackend")
    except ImportError as exc:
        return backends, f"the C backend does not import: {exc}"
    backends["c"] = cbackend
    return backends, None


BACKENDS, C_UNAVAILABLE = _load_backends()


@contextmanager
def active_backend(backend: ModuleType) -> Iterator[ModuleType]:
    """Run the high-level `flight.ccsds` API on `backend` inside the block."""
    known = tuple(BACKENDS.values())
    saved: list[tuple[ModuleType, Any]] = []
    for name, module in list(sys.modules.items()):
        if name != "flight.ccsds" and not name.startswith("flight.ccsds."):
            continue
        current = getattr(module, "codec", None)
        if isinstance(current, ModuleType) and current in known:
            saved.append((module, current))
    missing = set(_SWITCHED) - {module.__name__ for module, _ in saved}
    assert not missing, f"these modules no longer hold a `codec` global: {sorted(missing)}"
    try:
        for module, _ in saved:
            module.codec = backend  # type: ignore[attr-defined]
        yield backend
    finally:
        for module, previous in saved:
            module.codec = previous  # type: ignore[attr-defined]


@pytest.fixture(params=list(BACKENDS), ids=list(BACKENDS))
def codec(request: pytest.FixtureRequest) -> Iterator[ModuleType]:
    """The backend module under test; the high-level API runs on it for the test's duration."""
    with active_backend(BACKENDS[request.param]) as backend:
        yield backend


@pytest.fixture
def c_backend() -> ModuleType:
    """The C backend, or a skip naming why it is unavailable."""
    if C_UNAVAILABLE is not None:
        pytest.skip(C_UNAVAILABLE)
    return BACKENDS["c"]


def check_codec(codec: ModuleType | None, raw: bytes, obj: Any, **unpack_kwargs: Any) -> None:
    """Assert that `obj` packs to `raw` and `raw` unpacks to `obj`.

    Args:
        codec: the backend to check on; None checks on every backend that imports.
        raw: the expected packed octets.
        obj: an immutable codec value (`SpacePacketHeader`, `PusTc`, `PusTm`, `CucTime`).
        **unpack_kwargs: passed to ``type(obj).unpack`` (e.g. the CUC format of a `PusTm`).
    """
    backends = list(BACKENDS.values()) if codec is None else [codec]
    for backend in backends:
        with active_backend(backend):
            packed = obj.pack()
            assert type(packed) is bytes, backend.NAME
            assert packed.hex() == raw.hex(), f"pack on {backend.NAME}"
            for form in (bytes(raw), bytearray(raw), memoryview(raw)):
                decoded = type(obj).unpack(form, **unpack_kwargs)
                assert decoded == obj, f"unpack of {type(form).__name__} on {backend.NAME}"
                assert decoded.pack() == raw


@pytest.fixture(name="assert_codec")
def assert_codec_fixture() -> Callable[..., None]:
    """The round-trip helper, as a fixture so test modules need not import conftest."""
    return check_codec


def pytest_report_header() -> list[str]:
    """Say which codec backends the run covers."""
    lines = [f"starling codec backends under test: {', '.join(BACKENDS)}"]
    if C_UNAVAILABLE is not None:
        lines.append(C_UNAVAILABLE)
    lines.append(f"flight.ccsds.backend (process default): {flight.ccsds.backend}")
    return lines
