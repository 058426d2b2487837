"""Factory runs: the acceptance suite against many units in parallel, a JUnit file each.

Each unit runs in its own ``pytest`` process (``--dut-inventory FILE --dut-serial SN``), so
one unit that hangs, crashes or fails to start cannot take another down; up to `jobs` run at
once. The result of each comes from its JUnit XML; `hil.rig.report` writes the summary.
"""

import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from hil.rig.units import DutSpec

__all__ = ["SUITE", "UnitResult", "plugin_args", "run_units"]

SUITE = Path(__file__).resolve().parent.parent / "suites" / "acceptance"
UNIT_TIMEOUT = 600.0
_PLUGIN = "hil.rig.plugin"


@dataclass(frozen=True)
class UnitResult:
    """How one unit did.

    Attributes:
        unit: the unit.
        passed: whether every test passed (skips allowed) and pytest exited 0.
        tests: tests run; failures, errors, skipped: as JUnit counts them.
        duration: wall seconds.
        junit: its JUnit file.
        workdir: its rig directory (archive, flight log).
        problems: the first failure messages, one line each.
        status: pytest's exit status.
    """

    unit: DutSpec
    passed: bool
    tests: int
    failures: int
    errors: int
    skipped: int
    duration: float
    junit: Path
    workdir: Path
    problems: tuple[str, ...]
    status: int

    @property
    def archive(self) -> Path:
        """Its TC/TM archive."""
        return self.workdir / "archive.sqlite"


def plugin_args() -> list[str]:
    """``-p hil.rig.plugin`` unless the ``pytest11`` entry point already loads it."""
    registered = any(ep.value == _PLUGIN for ep in metadata.entry_points(group="pytest11"))
    return [] if registered else ["-p", _PLUGIN]


def _read_junit(path: Path) -> tuple[int, int, int, int, list[str]]:
    try:
        root = ET.parse(path).getroot()  # noqa: S314 -- our own pytest's output
    except (OSError, ET.ParseError):
        return 0, 0, 0, 0, [f"no readable JUnit file at {path}"]
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    counts = [
        sum(int(s.get(k, 0)) for s in suites) for k in ("tests", "failures", "errors", "skipped")
    ]
    # one line per distinct message: a unit that never started fails every test alike
    by_message: dict[str, list[str]] = {}
    for case in root.iter("testcase"):
        for bad in (*case.findall("failure"), *case.findall("error")):
            message = (bad.get("message") or bad.text or "").strip().splitlines()
            by_message.setdefault(message[0] if message else bad.tag, []).append(
                str(case.get("name"))
            )
    problems = [
        f"{names[0]}" + (f" (and {len(names) - 1} more)" if len(names) > 1 else "") + f": {text}"
        for text, names in by_message.items()
    ]
    return counts[0], counts[1], counts[2], counts[3], problems


def run_unit(
    unit: DutSpec,
    inventory: Path,
    out: Path,
    junit_dir: Path,
    *,
    extra: list[str] | None = None,
    timeout: float = UNIT_TIMEOUT,
) -> UnitResult:
    """Run the suite against `unit` (listed in `inventory`) in its own pytest process."""
    workdir = out / unit.serial
    workdir.mkdir(parents=True, exist_ok=True)
    junit = junit_dir / f"{unit.serial}.xml"
    argv = [
        *(sys.executable, "-m", "pytest", str(SUITE), *plugin_args()),
        *("--dut-inventory", str(inventory), "--dut-serial", unit.serial),
        *(
            "--rig-dir",
            str(workdir),
            f"--junitxml={junit}",
            "-o",
            f"junit_suite_name={unit.serial}",
        ),
        *("-q", "-p", "no:cacheprovider", "--rootdir", str(SUITE.parent.parent.parent)),
        *(extra or []),
    ]
    started = time.monotonic()
    with (workdir / "pytest.log").open("wb") as log:
        try:
            status = subprocess.run(  # noqa: S603 -- our own interpreter and suite
                argv,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                check=False,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            ).returncode
        except subprocess.TimeoutExpired:
            status = -1
    duration = time.monotonic() - started
    tests, failures, errors, skipped, problems = _read_junit(junit)
    if status == -1:
        problems.insert(0, f"the suite did not finish within {timeout:g} s")
    passed = status == 0 and failures == 0 and errors == 0 and tests > 0
    if status not in {0, 1, -1} and not problems:
        problems.append(f"pytest exited with status {status}; see {workdir / 'pytest.log'}")
    return UnitResult(
        unit,
        passed,
        tests,
        failures,
        errors,
        skipped,
        duration,
        junit,
        workdir,
        tuple(problems[:5]),
        status,
    )


def run_units(
    units: list[DutSpec],
    inventory: Path,
    out: Path,
    junit_dir: Path,
    *,
    jobs: int = 1,
    extra: list[str] | None = None,
    timeout: float = UNIT_TIMEOUT,
) -> list[UnitResult]:
    """Run the suite against every unit, `jobs` at a time; results in inventory order."""
    junit_dir.mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [
            pool.submit(run_unit, unit, inventory, out, junit_dir, extra=extra, timeout=timeout)
            for unit in units
        ]
        return [future.result() for future in futures]
