"""`starling bench flight --quick` runs against a real flight and reports every figure.

Figures are checked for presence and sign only: timings are the benchmark's business, not
the suite's.
"""

import json
from pathlib import Path

from tools.starling import cli

FIGURES = {
    "ping_p50",
    "ping_p99",
    "tc_rate",
    "tc_lost",
    "tm_rate",
    "rss",
    "first_answer",
    "idle_cpu",
}
MAY_BE_ZERO = {"tc_lost", "idle_cpu"}  # none lost; an idle flight may not use one clock tick


def test_quick_run_reports_every_figure(tmp_path: Path) -> None:
    path = tmp_path / "flight.json"
    assert cli.main(["bench", "flight", "--quick", "--json", str(path)]) == 0
    document = json.loads(path.read_text())
    assert document["benchmark"] == "flight"
    figures = document["figures"]
    assert set(figures) == FIGURES
    for name, figure in figures.items():
        assert figure["value"] >= 0, name
        if name not in MAY_BE_ZERO:
            assert figure["value"] > 0, name
        assert figure["target"] >= 0
        assert isinstance(figure["met"], bool)
    assert figures["tc_lost"]["value"] == 0
