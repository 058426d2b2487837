"""One real open-bench flight per test module, and a ground session on it."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from hil.ground import Session, open_session
from tests.hil.ground.helpers import RunningFlight, running_flight


@pytest.fixture(scope="module")
def flight(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningFlight]:
    """A running `starling flight --mission open-bench` on a free port."""
    with running_flight(tmp_path_factory.mktemp("flight") / "data") as running:
        yield running


@pytest.fixture
def session(flight: RunningFlight, tmp_path: Path) -> Iterator[Session]:
    """A ground session on the flight, archiving into this test's directory."""
    opened = open_session("open-bench", link_url=flight.url, archive_path=tmp_path / "a.sqlite")
    yield opened
    opened.close()
