"""A factory run: four simulated units in parallel pass, two broken ones fail alone.

Real flight subprocesses, real UDP through real proxies, the full acceptance suite per unit.
One broken unit's link URL points nowhere; the other has a sensor fault configured that its
flight cannot take (a fault on a model the board does not have, or no control channel).
"""

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

GOOD = ["SN-0001", "SN-0002", "SN-0003", "SN-0004"]
BROKEN = ["SN-NOWHERE", "SN-FAULTY"]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path_factory.mktemp("factory")
    inventory = out / "units.toml"
    inventory.write_text(
        "".join(f'[[unit]]\nserial = "{sn}"\ndut = "sim"\n' for sn in GOOD)
        # an unauthenticated bench unit, so what fails is the link, not a missing key
        + '[[unit]]\nserial = "SN-NOWHERE"\ndut = "udp:127.0.0.1:9"\nmission = "open-bench"\n'
        + '[[unit]]\nserial = "SN-FAULTY"\ndut = "sim"\n'
        # a unit with a dead sensor (its BME280 never acknowledges) must not pass acceptance
        + '[[unit.faults]]\nmodel = "bme280"\nfault = "nack"\n'
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tools.starling.hil",
            "run",
            "--inventory",
            str(inventory),
            "-j",
            "4",
            "--out",
            str(out / "run"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return done, out / "run"


def test_every_unit_gets_a_junit_file_and_the_summary_lists_them(
    run: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    done, out = run
    junits = sorted(p.stem for p in (out / "junit").glob("*.xml"))
    assert junits == sorted(GOOD + BROKEN), done.stdout + done.stderr
    for serial in GOOD:
        root = ET.parse(out / "junit" / f"{serial}.xml").getroot()
        suite = root if root.tag == "testsuite" else root.find("testsuite")
        assert suite is not None
        assert int(suite.get("tests", 0)) > 40
        assert int(suite.get("failures", 0)) == int(suite.get("errors", 0)) == 0
    summary = (out / "summary.md").read_text()
    for serial in GOOD:
        assert f"| {serial} | sim | demo | PASS |" in summary
        plots = list(out.glob(f"{serial}-*.png"))  # its key telemetry
        assert plots, f"no plot for {serial}"
        assert plots[0].stat().st_size > 1000
    for serial in BROKEN:
        assert f"| {serial} |" in summary
        assert "**FAIL**" in summary


def test_only_the_broken_units_fail_and_the_exit_status_says_so(
    run: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    done, _ = run
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for serial in GOOD:
        assert any(line.startswith(f"PASS {serial}") for line in lines), done.stdout
    for serial in BROKEN:
        assert any(line.startswith(f"FAIL {serial}") for line in lines), done.stdout
    assert "did not answer a ping" in done.stdout  # SN-NOWHERE, readably
    assert "test_every_sensor_answers_once_powered" in done.stdout  # SN-FAULTY, readably
    assert "bme280_errors == 0" in done.stdout
    assert "4 passed, 2 failed" in done.stdout
