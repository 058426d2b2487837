"""Reach a board over OpenSSH and run the deploy agent there.

Each step is one ``ssh`` process running ``PYTHON -c AGENT_SOURCE COMMAND ...`` on the board, so
the agent needs no installation and always matches the ground's version. A push is a single
session: the bundle streams into the agent's stdin, which stores it under a temporary name until
size and SHA-256 match, then verifies and installs it; the per-chunk callback drives the progress
display, and ``bwlimit`` paces the stream for narrow links. The system ``ssh`` is used (not a
Python SSH stack) so operators' keys, agents, known_hosts and jump hosts work as everywhere else.
"""

import asyncio
import contextlib
import hashlib
import json
import shlex
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hil.deploy.assets import agent_program
from hil.deploy.errors import RemoteError, TransportError
from hil.deploy.inventory import Unit

__all__ = ["AgentClient", "EventCallback", "ProgressCallback"]

EventCallback = Callable[[dict[str, Any]], None]
ProgressCallback = Callable[[int, int], None]

_CHUNK = 1 << 15
_STDERR_TAIL = 2000


def _ssh_argv(unit: Unit, remote: str) -> list[str]:
    argv = ["ssh", "-p", str(unit.port), "-l", unit.user, "-T"]
    for option in (
        "BatchMode=yes",
        "ConnectTimeout=10",
        "ServerAliveInterval=5",
        "ServerAliveCountMax=3",
        "LogLevel=ERROR",
    ):
        argv += ["-o", option]
    if unit.ssh_key is not None:
        argv += ["-i", str(unit.ssh_key), "-o", "IdentitiesOnly=yes"]
    if unit.known_hosts is not None:
        argv += ["-o", f"UserKnownHostsFile={unit.known_hosts}", "-o", "StrictHostKeyChecking=yes"]
    return [*argv, *unit.ssh_options, "--", unit.host, remote]


class AgentClient:
    """Runs agent commands on one unit.

    Args:
        unit: The board.
        timeout: Seconds any one step may take before its ssh process is killed.
    """

    def __init__(self, unit: Unit, timeout: float = 300.0) -> None:
        self.unit = unit
        self.timeout = timeout
        self._source = agent_program()

    def _remote(self, command: str, options: list[str]) -> str:
        argv = [self.unit.python, "-c", self._source, command, "--prefix", self.unit.prefix]
        return shlex.join([*argv, "--service", self.unit.service, *options])

    async def call(
        self,
        command: str,
        options: list[str] | None = None,
        stdin: bytes = b"",
        on_event: EventCallback | None = None,
    ) -> dict[str, Any]:
        """Run one agent command and return its result.

        Raises:
            RemoteError: the agent refused (its ``kind`` says why).
            TransportError: ssh failed or the step timed out.
        """
        process = await self._spawn(command, options or [])
        try:
            async with asyncio.timeout(self.timeout):
                assert process.stdin is not None
                process.stdin.write(stdin)
                await process.stdin.drain()
                process.stdin.close()
                return await self._finish(process, command, on_event)
        except TimeoutError as exc:
            raise TransportError("timed out", unit=self.unit.serial, step=command) from exc
        finally:
            await _reap(process)

    async def push(
        self,
        bundle: Path,
        identity: bytes,
        options: list[str],
        *,
        on_progress: ProgressCallback | None = None,
        on_event: EventCallback | None = None,
        bwlimit: int = 0,
    ) -> dict[str, Any]:
        """Stream `bundle` to the agent's ``push`` command (receive, verify, install, switch).

        Args:
            bundle: The local bundle file.
            identity: The unit identity as one line of JSON.
            options: Further agent options (``--restart``, ``--ready-timeout``).
            on_progress: Called with (bytes sent, total) after every chunk.
            on_event: Called with each stage the agent reports.
            bwlimit: Bytes per second to stay under; 0 for no limit.

        Raises:
            RemoteError: the agent refused (transfer, signature, checksum, install ...).
            TransportError: ssh failed, the connection dropped, or the step timed out.
        """
        data = bundle.read_bytes()
        options = [*options, "--name", bundle.name, "--size", str(len(data))]
        options += ["--sha256", hashlib.sha256(data).hexdigest()]
        process = await self._spawn("push", options)
        started = time.monotonic()
        try:
            async with asyncio.timeout(self.timeout):
                assert process.stdin is not None  # spawned with a pipe
                process.stdin.write(identity.replace(b"\n", b" ") + b"\n")
                for offset in range(0, len(data), _CHUNK):
                    process.stdin.write(data[offset : offset + _CHUNK])
                    await process.stdin.drain()
                    sent = min(offset + _CHUNK, len(data))
                    if on_progress is not None:
                        on_progress(sent, len(data))
                    if bwlimit > 0:
                        await asyncio.sleep(max(0.0, sent / bwlimit - (time.monotonic() - started)))
                process.stdin.close()
                return await self._finish(process, "push", on_event)
        except TimeoutError as exc:
            raise TransportError("timed out", unit=self.unit.serial, step="push") from exc
        except (BrokenPipeError, ConnectionResetError) as exc:
            raise TransportError(
                "connection lost",
                unit=self.unit.serial,
                step="push",
                detail=await _stderr(process),
            ) from exc
        finally:
            await _reap(process)

    async def _spawn(self, command: str, options: list[str]) -> asyncio.subprocess.Process:
        try:
            return await asyncio.create_subprocess_exec(
                *_ssh_argv(self.unit, self._remote(command, options)),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
        except OSError as exc:
            raise TransportError(
                "cannot run ssh", unit=self.unit.serial, step=command, detail=str(exc)
            ) from exc

    async def _finish(
        self, process: asyncio.subprocess.Process, step: str, on_event: EventCallback | None
    ) -> dict[str, Any]:
        assert process.stdout is not None
        final: dict[str, Any] | None = None
        async for raw in process.stdout:
            try:
                event: dict[str, Any] = json.loads(raw)
            except ValueError:
                continue  # a stray line from the board's shell profile
            if event.get("event") == "stage" and on_event is not None:
                on_event(event)
            elif event.get("event") in ("result", "error"):
                final = event
        status = await process.wait()
        if final is not None and final["event"] == "error":
            raise RemoteError(
                str(final.get("message")),
                unit=self.unit.serial,
                step=step,
                kind=str(final.get("kind")),
            )
        if final is None or status != 0:
            raise TransportError(
                f"ssh exited with status {status}",
                unit=self.unit.serial,
                step=step,
                detail=await _stderr(process),
            )
        final.pop("event")
        return final


async def _stderr(process: asyncio.subprocess.Process) -> str:
    if process.stderr is None:
        return ""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(2):
            return (await process.stderr.read()).decode(errors="replace")[-_STDERR_TAIL:].strip()
    return ""


async def _reap(process: asyncio.subprocess.Process) -> None:
    """Kill the ssh process if it still runs (timeout, cancellation) and wait for it."""
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
