"""The `rig` fixture: a flight with the payload and health apps (see payload/rig.py)."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.flight.apps.payload.rig import Rig, flying


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    with flying(tmp_path) as harness:
        yield harness
