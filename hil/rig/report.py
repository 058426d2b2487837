"""The factory run's summary: per-unit pass/fail, durations, problems, key telemetry plots.

Markdown (``summary.md``) next to one PNG per unit of a key housekeeping item from its
archive (the payload's detector temperature when the mission flies one, else the sample
app's level, else the core app's telecommand count).
"""

import time
from pathlib import Path

from hil.ground import Archive, GroundError, Selection, plot_series
from hil.rig.factory import UnitResult

__all__ = ["KEY_TELEMETRY", "write_summary"]

KEY_TELEMETRY = (
    ("payload", "detector_temperature_c"),
    ("sample", "level"),
    ("core", "tc_received"),
)


def _plot(result: UnitResult, out: Path) -> str:
    if not result.archive.is_file():
        return "no archive"
    try:
        archive = Archive(result.archive)
    except GroundError as exc:
        return f"archive unreadable: {exc}"
    try:
        have = set(archive.parameters())
        key = next((item for item in KEY_TELEMETRY if item in have), None)
        if key is None:
            return "no key telemetry archived"
        app, name = key
        png = out / f"{result.unit.serial}-{app}.{name}.png"
        series = archive.series(app, name, Selection())
        plot_series(series, f"{result.unit.serial} {app}.{name}", png)
    except GroundError as exc:
        return f"no plot: {exc}"
    finally:
        archive.close()
    return f"![{app}.{name}]({png.name})"


def write_summary(results: list[UnitResult], out: Path, *, wall: float) -> Path:
    """Write ``summary.md`` into `out` (and the plots); return its path."""
    out.mkdir(parents=True, exist_ok=True)
    failed = [r for r in results if not r.passed]
    lines = [
        "# Acceptance run",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M:%S')}: {len(results)} units, "
        f"{len(results) - len(failed)} passed, {len(failed)} failed, wall time {wall:.1f} s.",
        "",
        "| unit | DUT | mission | result | tests | failed | errors | skipped | duration |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        verdict = "PASS" if r.passed else "**FAIL**"
        lines.append(
            f"| {r.unit.serial} | {r.unit.text} | {Path(r.unit.mission).name} | {verdict} | "
            f"{r.tests} | {r.failures} | {r.errors} | {r.skipped} | {r.duration:.1f} s |"
        )
    for r in results:
        lines += ["", f"## {r.unit.serial}", "", f"JUnit: `{r.junit}`; archive: `{r.archive}`"]
        if r.problems:
            lines += ["", *(f"- {p}" for p in r.problems)]
        lines += ["", _plot(r, out)]
    path = out / "summary.md"
    path.write_text("\n".join(lines) + "\n")
    return path
