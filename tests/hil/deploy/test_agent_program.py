"""The agent ships as one script: its modules in order, without their imports of each other."""

import json
import subprocess
import sys
from pathlib import Path

from hil.deploy.assets import AGENT_MODULES, agent_program, asset


def test_the_program_holds_every_module_and_no_import_of_one() -> None:
    program = agent_program()
    assert "from hil." not in program
    assert "import hil" not in program
    for name in AGENT_MODULES:
        assert asset(name).read_text().splitlines()[0] in program


def test_the_program_runs_where_no_starling_is_installed(tmp_path: Path) -> None:
    """``python -S``: no site-packages, so nothing of the project can be imported."""
    result = subprocess.run(
        [sys.executable, "-S", "-c", agent_program(), "status", "--prefix", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    last = json.loads(result.stdout.splitlines()[-1])
    assert last["event"] == "result"
    assert last["active"] is None
