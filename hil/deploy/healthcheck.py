"""Is the freshly started flight service alive? Ask it over its link, as the ground would.

The default check sends a PUS-C 17,1 ping (TC on APID 100) over UDP, repeats it until a
TM 17,2 comes back or the deadline passes, then waits for housekeeping (TM 3,25), which the
application sends to whoever sent the last telecommand. When the mission authenticates
telecommands, every ping is sealed by `ground_signer`: the unit's own key (the inventory's
``auth_key``, which push installs on the board) and a sequence number kept per unit on the
ground. `command_check` runs any local program instead (exit status 0 means healthy), for
links and missions the ping cannot reach.
"""

import asyncio
import contextlib
import os
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from flight.ccsds import CodecError, PusTc, PusTm
from flight.core.mission import Mission
from flight.core.persistence import Store
from flight.links.errors import KeyFileError as FlightKeyFileError
from flight.links.security import Signer
from flight.links.security_keys import load_key
from hil.deploy.errors import InventoryError, KeyFileError
from hil.deploy.inventory import Unit

__all__ = [
    "Encoder",
    "HealthCheck",
    "HealthReport",
    "command_check",
    "ground_signer",
    "load_unit_key",
    "pus_ping_check",
]

PING_APID = 100
_PING_INTERVAL = 0.5
# 3,27 for one structure, SID 1: the core app's CORE_HK, on the APID that answers the ping
_ONE_SHOT_CORE_HK = bytes([1]) + (1).to_bytes(2, "big")


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


HealthCheck = Callable[[Unit, Mission], Awaitable[HealthReport]]
"""Checks `Unit` running `Mission` (the mission of the release it checks)."""

Encoder = Callable[[bytes], bytes]
"""Turns a telecommand into what goes on the link (`Signer.encode` seals it)."""


def load_unit_key(unit: Unit) -> bytes:
    """The unit's telecommand key (``auth_key``: 64 hex digits, mode 0600).

    Raises:
        InventoryError: the unit has no ``auth_key``.
        KeyFileError: the file fails `load_key`'s checks.
    """
    if unit.auth_key is None:
        raise InventoryError("an authenticated mission needs the unit's auth_key", unit=unit.serial)
    try:
        return load_key(unit.auth_key)
    except FlightKeyFileError as exc:
        raise KeyFileError(str(exc), path=unit.auth_key) from exc


def ground_signer(unit: Unit, mission: Mission) -> Signer | None:
    """The signer for telecommands to `unit` running `mission`; None when it needs none.

    Signs under the mission's SPI with the unit's key; the sequence number lives in
    ``unit.ground_state_dir()`` (see `Unit.ground_state_dir`).

    Raises:
        InventoryError, KeyFileError: see `load_unit_key`.
    """
    if not mission.authentication:
        return None
    spi = mission.security.spi
    return Signer(spi, load_unit_key(unit), Store(unit.ground_state_dir(), f"sequence-{spi}"))


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
    encode: Encoder | None = None,
) -> HealthReport:
    """Ping a PUS service over UDP; require TM 17,2 and, optionally, housekeeping.

    Args:
        host: Where the flight application listens.
        port: Its UDP port.
        apid: APID of the application answering service 17.
        timeout: Seconds for the whole check.
        require_housekeeping: Also require a TM 3,25 after the ping; once the ping is
            answered the check asks for one (3,27 for structure 1 on `apid`, the core app's
            CORE_HK), so a long housekeeping interval cannot fail it.
        encode: Applied to each ping before it is sent (e.g. `Signer.encode` for an
            authenticated mission); None sends plain telecommands.

    Raises:
        DurabilityError: `encode` could not store its sequence number (nothing was sent).
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
                raw = ping.pack()
                transport.sendto(raw if encode is None else encode(raw), (host, port))
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
                        if require_housekeeping and not hk_count:
                            ask = PusTc(apid=apid, service=3, subtype=27, seq_count=seq & 0x3FFF,
                                        app_data=_ONE_SHOT_CORE_HK).pack()  # fmt: skip
                            transport.sendto(ask if encode is None else encode(ask), (host, port))
                            seq += 1
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
    ``STARLING_UNIT_LINK``, ``STARLING_UNIT_HEALTH_LINK`` and ``STARLING_UNIT_MISSION``.
    """

    async def check(unit: Unit, mission: Mission) -> HealthReport:
        host, port = unit.ground_link()
        env = dict(
            os.environ,
            STARLING_UNIT_MISSION=mission.name,
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
