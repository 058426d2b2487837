"""The rig's ground vocabulary, the same words on the simulator and on a board.

`RigGround` wraps the one ground client (`hil.ground.GroundClient`): every packet it
receives is archived and kept in a history with its monotonic arrival time, so a test can
wait for telemetry *since* a mark it took before acting (nothing that arrived in between is
missed) and search what came before. Every wait has a monotonic deadline; every failure
says what was expected and what was seen::

    start = ground.mark()
    ground.send_and_assert_command("sample.SET_GAIN", {"gain": 3})
    ground.await_tlm(hk("sample", "SAMPLE_HK", gain=3), start=start, timeout=12)
    ground.assert_event_count(1, event("sample", "GAIN_SET"), start=start)
"""

import time
from collections.abc import Mapping
from dataclasses import dataclass

from flight.core import FailureCode
from flight.dictionary import MissionDictionary
from hil.ground import (
    Archive,
    Decoded,
    FramedGroundLink,
    GroundClient,
    GroundLink,
    Outcome,
    Request,
    VerificationFailedError,
    function_request,
    hk_report_request,
    params_get_request,
    params_set_request,
    ping_request,
    resolve_app,
    time_report_request,
)
from hil.rig.errors import RigError
from hil.rig.links import RigEncoder
from hil.rig.predicates import Predicate

__all__ = ["RigGround", "Seen"]

Item = int | float | bool | str
_SHOWN = 5
_LINE = 100  # characters of each packet shown in a failure message
_QUEUED = 0.002  # s: reads what is queued in the socket without waiting for more


@dataclass(frozen=True)
class Seen:
    """One received packet and its monotonic arrival time."""

    at: float
    decoded: Decoded


class _RecordingClient(GroundClient):
    """The ground client, remembering when each telecommand left (monotonic)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.sent: list[tuple[float, bytes]] = []

    def send_packet(self, packet: bytes, label: str) -> None:
        """Send and record the time."""
        self.sent.append((time.monotonic(), packet))
        super().send_packet(packet, label)


class RigGround:
    """Commands and watches one unit.

    Args:
        dictionary: the mission's dictionary.
        link: the ground end of the link.
        archive: where every packet sent and received is recorded.
        encoder: the link's encoder, when raw units are to be injected (`send_raw`).
    """

    def __init__(
        self,
        dictionary: MissionDictionary,
        link: GroundLink,
        archive: Archive | None,
        *,
        encoder: RigEncoder | None = None,
    ) -> None:
        self.dictionary = dictionary
        self.encoder = encoder
        self.link = link
        self.archive = archive
        self.client = _RecordingClient(dictionary, link, archive)
        self.history: list[Seen] = []
        self.client.listeners.append(lambda d: self.history.append(Seen(time.monotonic(), d)))

    @property
    def core_apid(self) -> int:
        """The core app's APID."""
        core = next((a for a in self.dictionary.apps if a.kind == "core"), None)
        return core.apid if core is not None else self.dictionary.apps[0].apid

    def sent_since(
        self, start: float, *, apid: int | None = None, service: tuple[int, int] | None = None
    ) -> list[float]:
        """When telecommands (to `apid`, of (service, subtype)) left since `start`."""
        return [
            at
            for at, packet in self.client.sent
            if at >= start
            and (apid is None or int.from_bytes(packet[0:2], "big") & 0x7FF == apid)
            and (service is None or (packet[7], packet[8]) == service)
        ]

    def mark(self, *, settle: float = 0.0) -> float:
        """Now, on the clock `start=` arguments use, after taking in what already arrived.

        Packets wait in the socket until read, so the history's arrival times are read
        times: reading everything queued first keeps packets from before the mark out of
        what comes after it. With `settle`, also wait until nothing has arrived for `settle`
        seconds (events of an earlier command reach the ground up to one service tick late).
        """
        # A deadline already passed reads nothing: give queued packets a moment.
        settle = max(settle, _QUEUED)
        quiet_until = time.monotonic() + settle
        while self.client.poll(quiet_until) is not None:
            quiet_until = time.monotonic() + settle
        return time.monotonic()

    def close_archive(self) -> None:
        """Commit and close the archive (receiving goes on without one)."""
        if self.archive is not None:
            self.archive.close()
            self.archive = None
            self.client.archive = None

    def close(self) -> None:
        """Close the link and the archive."""
        self.link.close()
        if self.archive is not None:
            self.archive.close()

    # -- commands ----------------------------------------------------------------------------

    def request(self, name: str, args: Mapping[str, object] | None = None) -> Request:
        """The 8,1 request for ``APP.COMMAND`` with `args` (values of any type, as text)."""
        text = {
            key: str(value).lower() if isinstance(value, bool) else str(value)
            for key, value in (args or {}).items()
        }
        return function_request(self.dictionary, name, text)

    def execute(
        self, request: Request, *, timeout: float = 5.0, reply: tuple[int, int] | None = None
    ) -> Outcome:
        """Send `request`, wait for its completion (and `reply`); raise on a failure report."""
        return self.client.execute(request, timeout=timeout, reply=reply)

    def send_raw(self, unit: bytes) -> None:
        """Send `unit` over the link exactly as given (a forged or replayed unit; on a framed
        link, a whole TC frame).

        Raises:
            RigError: the ground was built without a `RigEncoder`.
        """
        if isinstance(self.link, FramedGroundLink):
            self.link.transmit_raw(unit)
            return
        if self.encoder is None:
            raise RigError("this ground cannot send raw units (no RigEncoder)")
        self.encoder.verbatim(unit)
        self.link.send(unit)

    def send_and_assert_command(
        self,
        command: str | Request,
        args: Mapping[str, object] | None = None,
        *,
        timeout: float = 5.0,
    ) -> Outcome:
        """Send a command and assert it was accepted, started and completed.

        Raises:
            AssertionError: a failure report (its code named), or no completion in time.
        """
        request = command if isinstance(command, Request) else self.request(command, args)
        try:
            outcome = self.client.execute(request, timeout=timeout)
        except VerificationFailedError as exc:
            raise AssertionError(f"{request.label}: expected completion, got {exc}") from exc
        stages = [r.values.get("stage") for r in outcome.reports]
        for stage in ("acceptance", "start", "completion"):
            assert stage in stages, f"{request.label}: no {stage} report (got {stages})"
        return outcome

    def send_and_assert_failure(
        self,
        command: str | Request,
        code: FailureCode,
        *,
        stage: str | None = None,
        args: Mapping[str, object] | None = None,
        timeout: float = 5.0,
    ) -> VerificationFailedError:
        """Send a command and assert it fails with `code` (at `stage`, when given)."""
        request = command if isinstance(command, Request) else self.request(command, args)
        try:
            self.client.execute(request, timeout=timeout)
        except VerificationFailedError as exc:
            failure = exc
        else:
            raise AssertionError(f"{request.label}: expected failure {code.name}, it completed")
        if failure.code != code or (stage is not None and failure.stage != stage):
            where = f" at {stage}" if stage is not None else ""
            raise AssertionError(f"{request.label}: expected {code.name}{where}, got {failure}")
        return failure

    # -- telemetry ---------------------------------------------------------------------------

    def search(
        self, predicate: Predicate, *, start: float | None = None, end: float | None = None
    ) -> list[Decoded]:
        """Packets already received that match, arrived in [`start`, `end`] (monotonic)."""
        return [
            s.decoded
            for s in self.history
            if (start is None or s.at >= start)
            and (end is None or s.at <= end)
            and predicate(s.decoded)
        ]

    def await_tlm(
        self, predicate: Predicate, *, start: float | None = None, timeout: float = 5.0
    ) -> Decoded:
        """The first packet since `start` (now when None) that matches `predicate`.

        Raises:
            AssertionError: none within `timeout` seconds; says what was expected and seen.
        """
        return self.await_tlm_count(predicate, 1, start=start, timeout=timeout)[0]

    def await_tlm_count(
        self, predicate: Predicate, count: int, *, start: float | None = None, timeout: float = 5.0
    ) -> list[Decoded]:
        """The first `count` packets since `start` that match (waiting up to `timeout` s).

        Raises:
            AssertionError: fewer within `timeout` seconds.
        """
        start = time.monotonic() if start is None else start
        deadline = time.monotonic() + timeout
        while True:
            found = self.search(predicate, start=start)
            if len(found) >= count:
                return found[:count]
            if self.client.poll(deadline) is None:
                raise AssertionError(self._explain(predicate, count, found, start, timeout))

    def assert_event_count(
        self, count: int, predicate: Predicate, *, start: float | None = None, timeout: float = 2.0
    ) -> list[Decoded]:
        """Exactly `count` matching events since `start`: wait for them, then `timeout`
        seconds more for any extra one (0 waits for nothing more).

        Raises:
            AssertionError: fewer or more.
        """
        start = time.monotonic() if start is None else start
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.search(predicate, start=start)) > count:
                break
            self.client.poll(deadline)
        found = self.search(predicate, start=start)
        assert len(found) == count, (
            f"expected {count} x {predicate}, got {len(found)}: "
            + "; ".join(f"{d.app}: {d.text}" for d in found[:_SHOWN])
        )
        return found

    def drain(self, seconds: float = 0.2) -> None:
        """Take in whatever arrives for `seconds` (into the history and archive)."""
        self.client.collect(seconds)

    def _explain(
        self, predicate: Predicate, count: int, found: list[Decoded], start: float, timeout: float
    ) -> str:
        recent = [s.decoded for s in self.history if s.at >= start][-_SHOWN:]
        seen = "; ".join(f"{d.app} {d.text}"[:_LINE] for d in recent) or "nothing"
        have = f" (only {len(found)})" if count > 1 else ""
        return f"expected {count} x {predicate} within {timeout:g} s{have}; last received: {seen}"

    # -- shorthands --------------------------------------------------------------------------

    def ping(self, app: str = "core", *, timeout: float = 5.0) -> Outcome:
        """17,1 to `app`, asserting the pong."""
        return self.client.execute(
            ping_request(resolve_app(self.dictionary, app)), timeout=timeout, reply=(17, 2)
        )

    def housekeeping(self, app: str, structure: str, *, timeout: float = 5.0) -> dict[str, Item]:
        """A one-shot report (3,27) of `app`'s `structure`, decoded."""
        spec = resolve_app(self.dictionary, app)
        sid = next((s.sid for s in spec.structures if s.name == structure), None)
        assert sid is not None, f"{app} has no structure {structure}"
        outcome = self.client.execute(
            hk_report_request(spec, [sid]), timeout=timeout, reply=(3, 25)
        )
        report = next(
            r
            for r in outcome.replies
            if r.kind == "housekeeping" and r.name == structure and r.tm.apid == spec.apid
        )
        return dict(report.values)

    def parameters(self, app: str, *, timeout: float = 5.0) -> dict[str, Item]:
        """Every parameter of `app` (20,1 -> 20,2)."""
        spec = resolve_app(self.dictionary, app)
        outcome = self.client.execute(params_get_request(spec, []), timeout=timeout, reply=(20, 2))
        report = outcome.reply(20, 2)
        assert report is not None
        return dict(report.values)

    def set_parameters(self, app: str, **values: object) -> Outcome:
        """20,3 setting `values`, asserting completion."""
        spec = resolve_app(self.dictionary, app)
        request = params_set_request(spec, {k: str(v) for k, v in values.items()})
        return self.send_and_assert_command(request)

    def mission_time(self, *, timeout: float = 5.0) -> float:
        """The unit's mission time (Unix seconds) from a 9,128 time report."""
        outcome = self.client.execute(
            time_report_request(self.core_apid), timeout=timeout, reply=(9, 2)
        )
        report = outcome.reply(9, 2)
        assert report is not None
        return float(report.values["time"])
