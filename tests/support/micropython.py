"""Run a script under real MicroPython (the WebAssembly port under node) from a test.

The node side is ``tools/micropython/run.mjs``; this module builds its command line, runs it
with a timeout and hands back what happened:

    result = run_micropython(
        "import flight.ccsds.pure as p; print(p.crc16(b'123456789'))",
        mounts={"/lib/flight": Path("flight")},
    )
    assert result.returncode == 0, result.stderr

A mount maps a MicroPython path to a host file or directory; directories are copied with their
``.py`` files only, single files are copied whatever their name. ``/lib`` is on ``sys.path``.
Tests call `unavailable_reason()` first and skip when it returns a reason.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "RUNNER",
    "MicroPythonUnavailableError",
    "Result",
    "run_micropython",
    "unavailable_reason",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
RUNNER = REPO_ROOT / "tools" / "micropython" / "run.mjs"
_NPM_PACKAGE = (
    REPO_ROOT
    / "tools"
    / "micropython"
    / "node_modules"
    / "@micropython"
    / "micropython-webassembly-pyscript"
)


class MicroPythonUnavailableError(RuntimeError):
    """node, the runner script or the MicroPython npm package is missing."""


@dataclass(frozen=True)
class Result:
    """What one MicroPython run produced.

    Attributes:
        returncode: 0 on success, 1 for an uncaught exception, or a SystemExit code.
        stdout: everything the script printed.
        stderr: the traceback of an uncaught exception, if any.
    """

    returncode: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        """True when the script ran to its end."""
        return self.returncode == 0


def unavailable_reason() -> str | None:
    """Say why MicroPython cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not RUNNER.is_file():
        return f"{RUNNER} is missing"
    if not (_NPM_PACKAGE / "package.json").is_file():
        return "npm package @micropython/micropython-webassembly-pyscript is not installed"
    return None


def run_micropython(
    script: str,
    mounts: Mapping[str, Path] | None = None,
    timeout: float = 30,
    *,
    heap: int | None = None,
) -> Result:
    """Run `script` under MicroPython and return its exit status and output.

    Args:
        script: MicroPython source text.
        mounts: MicroPython path -> host file or directory to copy there before the run.
        timeout: seconds before the run is killed.
        heap: MicroPython heap size in bytes (the runner's default is 16 MiB).

    Raises:
        MicroPythonUnavailableError: node or the npm package is missing.
        TimeoutError: the script ran longer than `timeout`.
    """
    reason = unavailable_reason()
    if reason is not None:
        raise MicroPythonUnavailableError(reason)
    node = shutil.which("node")
    assert node is not None  # checked by unavailable_reason()
    with tempfile.TemporaryDirectory(prefix="starling-mpy-") as tmp:
        script_path = Path(tmp) / "script.py"
        script_path.write_text(script, encoding="utf-8")
        command = [node, str(RUNNER)]
        for mp_path, host_path in (mounts or {}).items():
            host = Path(host_path).resolve()
            if not host.exists():
                raise FileNotFoundError(host)
            command += ["--mount", f"{host}={mp_path}"]
        if heap is not None:
            command += ["--heap", str(heap)]
        command.append(str(script_path))
        try:
            completed = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
                cwd=RUNNER.parent,
            )
        except subprocess.TimeoutExpired as exc:
            raise TimeoutError(f"MicroPython script ran longer than {timeout} s") from exc
    return Result(completed.returncode, completed.stdout, completed.stderr)
