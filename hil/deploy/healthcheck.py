"""Is the freshly started flight service alive? Ask it over its link, as the ground would.

The default check sends a PUS-C 17,1 ping (TC on APID 100) over UDP, repeats it until a
TM 17,2 comes back or the deadline passes, then waits for housekeeping (TM 3,25), which the
application sends to whoever sent the last telecommand. `command_check` runs any local program
instead (exit status 0 means healthy), for links and missions the ping cannot reach.
"""

import asyncio
import contextlib
import os
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from flight.ccsds import CodecError, PusTc, PusTm
from hil.deploy.inventory import Unit

__all__ = ["HealthCheck", "HealthReport", "command_check", "pus_ping_check"]

PING_APID = 100
_PING_INTERVAL = 0.5


@dataclass(frozen=True)
class HealthReport:
    """Outcome of one health check.

    Attributes:
        ok: The service answered as required.
        detail: What was seen or missed, for the operator.
        ping_rtt: Seconds from the first ping sent to the 17,2 received, if one came.
        housekeeping: Housekeeping packets received.
        last_housekeeping: Source data of the last housekeeping packet.
    """

    ok: bool
    detail: str
    ping_rtt: float | None = None
    housekeeping: int = 0
    last_housekeeping: bytes = b""


HealthCheck = Callable[[Unit], Awaitable[HealthReport]]


class _Inbox(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.queue: asyncio.Queue[bytes] = asyncio.Queue()

    def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        del addr
        self.queue.put_nowait(data)

    def error_received(self, exc: Exception) -> None:
        del exc  # ICMP port unreachable while the service is still starting: keep pinging


async def pus_ping_check(
    host: str,
    port: int,
    *,
    apid: int = PING_APID,
    timeout: float = 10.0,
    require_housekeeping: bool = True,
) -> HealthReport:
    """Ping a PUS service over UDP; require TM 17,2 and, optionally, housekeeping.

    Args:
        host: Where the flight application listens.
        port: Its UDP port.
        apid: APID of the application answering service 17.
        timeout: Seconds for the whole check.
        require_housekeeping: Also require a TM 3,25 after the ping.
    """
    loop = asyncio.get_running_loop()
    transport, inbox = await loop.create_datagram_endpoint(
        _Inbox,
        local_addr=("0.0.0.0" if ":" not in host else "::", 0),  # noqa: S104 - ephemeral
    )
    started = time.monotonic()
    deadline = started + timeout
    rtt: float | None = None
    hk_count, last_hk, next_ping, seq = 0, b"", started, 0
    try:
        while (now := time.monotonic()) < deadline:
            if rtt is None and now >= next_ping:
                ping = PusTc(apid=apid, service=17, subtype=1, seq_count=seq & 0x3FFF)
                transport.sendto(ping.pack(), (host, port))
                seq, next_ping = seq + 1, now + _PING_INTERVAL
            wait = min(deadline, next_ping if rtt is None else deadline) - now
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(wait, 0.01)):
                    data = await inbox.queue.get()
                    try:
                        tm = PusTm.unpack(data)
                    except CodecError:
                        continue
                    if (tm.service, tm.subtype) == (17, 2) and rtt is None:
                        rtt = time.monotonic() - started
                    elif (tm.service, tm.subtype) == (3, 25):
                        hk_count, last_hk = hk_count + 1, tm.source_data
            if rtt is not None and (hk_count or not require_housekeeping):
                return HealthReport(
                    True, f"ping {rtt * 1e3:.0f} ms, {hk_count} HK", rtt, hk_count, last_hk
                )
    finally:
        transport.close()
    missed = "no ping reply (TM 17,2)" if rtt is None else "no housekeeping (TM 3,25)"
    return HealthReport(False, f"{missed} within {timeout:g} s", rtt, hk_count, last_hk)


def command_check(argv: Sequence[str], timeout: float = 60.0) -> HealthCheck:
    """A health check that runs `argv` locally; exit status 0 means healthy.

    The unit is described to the program in ``STARLING_UNIT_SERIAL``, ``STARLING_UNIT_HOST``,
    ``STARLING_UNIT_LINK`` and ``STARLING_UNIT_HEALTH_LINK``.
    """

    async def check(unit: Unit) -> HealthReport:
        host, port = unit.ground_link()
        env = dict(
            os.environ,
            STARLING_UNIT_SERIAL=unit.serial,
            STARLING_UNIT_HOST=unit.host,
            STARLING_UNIT_LINK=unit.link,
            STARLING_UNIT_HEALTH_LINK=f"udp:{host}:{port}",
        )
        process = await asyncio.create_subprocess_exec(
            *argv, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
        )
        try:
            async with asyncio.timeout(timeout):
                output, _ = await process.communicate()
        except TimeoutError:
            process.kill()
            await process.wait()
            return HealthReport(False, f"health command timed out after {timeout:g} s")
        text = output.decode(errors="replace").strip()[-500:]
        return HealthReport(process.returncode == 0, text or f"exit {process.returncode}")

    return check
