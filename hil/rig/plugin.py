"""The rig's pytest plugin: ``--dut`` and the `dut`, `ground`, `stimulus` and `link` fixtures.

Register it through the ``pytest11`` entry point (or ``-p hil.rig.plugin``). The same test
file runs against the simulator by default and a real board with an option::

    pytest hil/suites/acceptance                          # --dut sim
    pytest hil/suites/acceptance --dut pty
    pytest hil/suites/acceptance --dut udp:192.168.7.2:10015 --dut-serial SN-0042

Nothing starts unless a test asks for a fixture. One unit serves the whole session; its
telecommands and telemetry, and each test's outcome, are recorded in the rig archive.
"""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hil.ground import load_dictionary
from hil.rig.dut import Dut
from hil.rig.errors import RigError, UnsupportedError
from hil.rig.generate import bad_cases, good_cases
from hil.rig.ground import RigGround
from hil.rig.proxy import FaultyLink
from hil.rig.record import SessionRecorder
from hil.rig.rig import Rig
from hil.rig.stimulus import Stimulus
from hil.rig.units import DEFAULT_MISSION, DutSpec, load_inventory, parse_dut

__all__ = ["dut", "ground", "link", "rig", "stimulus"]

# The session's recorder, for the report hook (which gets no fixtures).
_RECORDERS: list[SessionRecorder] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--dut`` and the unit's identity."""
    group = parser.getgroup("starling", "Starling HIL rig")
    group.addoption(
        "--dut",
        default="sim",
        metavar="DUT",
        help="sim, pty, udp:HOST:PORT or serial:DEVICE[@BAUD], with ?framing=cop1&... for a "
        "framed unit (default: sim)",
    )
    group.addoption(
        "--dut-mission",
        default=DEFAULT_MISSION,
        metavar="NAME|FILE",
        help=f"the mission the unit flies (default: {DEFAULT_MISSION})",
    )
    group.addoption("--dut-serial", default=None, metavar="SN", help="the unit's serial number")
    group.addoption(
        "--dut-keys",
        default=None,
        type=Path,
        metavar="DIR",
        help="the unit's key directory (authenticated missions)",
    )
    group.addoption(
        "--dut-relay",
        default=None,
        metavar="GPIO_URL",
        help="bench power relay line, e.g. linux:/dev/gpiochip0:17",
    )
    group.addoption(
        "--dut-inventory",
        default=None,
        type=Path,
        metavar="FILE",
        help="take the unit --dut-serial from this inventory (units.toml)",
    )
    group.addoption(
        "--rig-dir",
        default=None,
        type=Path,
        metavar="DIR",
        help="the unit's working directory (default: a pytest temporary one)",
    )
    group.addoption(
        "--rig-archive",
        default=None,
        type=Path,
        metavar="FILE",
        help="record TC/TM here (default: RIG_DIR/archive.sqlite)",
    )
    group.addoption(
        "--rig-seed",
        default=0,
        type=int,
        metavar="N",
        help="seed of the link fault proxy (default: 0)",
    )


def dut_spec(config: pytest.Config) -> DutSpec:
    """The unit the options name (from the inventory when one is given)."""
    inventory = config.getoption("--dut-inventory")
    if inventory is not None:
        serial = config.getoption("--dut-serial")
        units = {unit.serial: unit for unit in load_inventory(inventory)}
        if serial not in units:
            raise pytest.UsageError(f"{inventory} lists no unit {serial!r}")
        return units[serial]
    return parse_dut(
        config.getoption("--dut"),
        mission=config.getoption("--dut-mission"),
        serial=config.getoption("--dut-serial"),
        keys=config.getoption("--dut-keys"),
        relay=config.getoption("--dut-relay"),
    )


@pytest.fixture(scope="session")
def rig(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    """The unit under test with its ground, started once for the session."""
    config = request.config
    spec = dut_spec(config)
    workdir = config.getoption("--rig-dir") or tmp_path_factory.mktemp(f"rig-{spec.serial}")
    started = Rig(
        spec,
        workdir,
        seed=config.getoption("--rig-seed"),
        archive=config.getoption("--rig-archive"),
    )
    try:
        started.start()
    except RigError:
        started.close()
        raise
    recorder = SessionRecorder(
        started.archive_path,
        serial=spec.serial,
        dut=spec.text,
        mission=spec.mission,
        seed=started.seed,
    )
    _RECORDERS.append(recorder)
    yield started
    _RECORDERS.remove(recorder)
    recorder.close()
    started.close()


@pytest.fixture(scope="session")
def dut(rig: Rig) -> Dut:
    """The unit: `start`, `stop`, `power_cycle`, `identity` (serial number, keys)."""
    return rig.dut


@pytest.fixture(scope="session")
def ground(rig: Rig) -> RigGround:
    """The ground: `send_and_assert_command`, `await_tlm`, `assert_event_count`, `search`."""
    return rig.ground


@pytest.fixture
def stimulus(rig: Rig) -> Iterator[Stimulus]:
    """Physical values and sensor faults of the simulated board inside the unit's process.

    Skips on real hardware and on flights that do not serve the sim control channel; after
    the test, clears the faults it injected and keeps the unit's own (inventory) faults.
    """
    if rig.stimulus is None:
        pytest.skip(f"{rig.spec.text} is real hardware: no simulated board to stimulate")
    try:
        rig.stimulus.models()
    except UnsupportedError as exc:
        pytest.skip(str(exc))
    yield rig.stimulus
    rig.stimulus.clear()
    rig.apply_configured_faults()


@pytest.fixture
def link(rig: Rig) -> Iterator[FaultyLink]:
    """The unit's link, damaged on request: the proxy on a UDP link, the ground's end of a
    pty serial pair; faults are cleared after the test."""
    faulty: FaultyLink | None = rig.proxy if rig.proxy is not None else rig.dut.pty
    if faulty is None:
        pytest.skip(f"{rig.dut.url}: the rig damages UDP and pty links only; not this one")
    with rig.disturbing():
        yield faulty
        faulty.clear()
        faulty.settle()
        rig.ground.drain(0.3)  # late, duplicated telemetry lands in this test's history


def pytest_configure(config: pytest.Config) -> None:
    """Register the rig's markers."""
    config.addinivalue_line("markers", "rig_early: run before the other rig tests")
    config.addinivalue_line(
        "markers", "rig_late: run after the other rig tests (uses the session's telemetry)"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Early tests first, late tests last, the rest in file order."""

    def rank(item: pytest.Item) -> int:
        if item.get_closest_marker("rig_early"):
            return 0
        return 2 if item.get_closest_marker("rig_late") else 1

    items.sort(key=rank)  # stable: file order within each rank


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize `good_case` and `bad_case` from the mission's dictionary."""
    wanted = {"good_case", "bad_case"} & set(metafunc.fixturenames)
    if not wanted:
        return
    dictionary = load_dictionary(dut_spec(metafunc.config).mission)[1]
    if "good_case" in wanted:
        good = good_cases(dictionary)
        metafunc.parametrize("good_case", good, ids=[c.id for c in good])
    if "bad_case" in wanted:
        bad = bad_cases(dictionary)
        metafunc.parametrize("bad_case", bad, ids=[c.id for c in bad])


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Record each test's outcome (its call phase, or a failed setup) in the rig archive."""
    if not _RECORDERS or not (report.when == "call" or (report.failed and report.when == "setup")):
        return
    detail = str(report.longrepr)[-2000:] if report.failed else ""
    _RECORDERS[-1].test(report.nodeid, report.outcome, time.time() - report.duration, detail)
