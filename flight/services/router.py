"""The telecommand path: decode, route by APID and service, verify, execute.

Every telecommand gets a verification outcome. A packet the codec refuses, an unknown APID,
an unknown service or subtype, or application data that fails its declared length or range
gets an acceptance failure (1,2) with its `FailureCode`; an app that is failed or disabled
gets a start failure (1,4); a handler that refuses or crashes gets a completion failure
(1,8). Nothing arriving from a link raises out of `handle`.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from flight.ccsds import CodecError, PusTc
from flight.core.app import App
from flight.core.errors import CommandRejectedError, FailureCode
from flight.core.executive import Executive
from flight.services.verification import Verifier, request_id

__all__ = ["Action", "PusRouter", "Request", "Service"]

log = logging.getLogger(__name__)

Action = Callable[[], None]


@dataclass(frozen=True)
class Request:
    """A decoded telecommand and the app it addresses."""

    tc: PusTc
    app: App
    req_id: bytes


class Service(Protocol):
    """A PUS service: checks a request at acceptance and returns what executes it."""

    service: int
    subtypes: frozenset[int]

    def accept(self, request: Request) -> Action:
        """Decode and check `request`; raise `CommandRejectedError` to refuse it."""
        ...


class PusRouter:
    """Routes telecommands to services on behalf of the apps on their APIDs.

    Args:
        executive: runs actions with failure containment and knows which apps are available.
        verifier: sends the service 1 reports.
        core: the app that answers for packets no other app can (malformed, unknown APID).
        require_authentication: refuse every telecommand with `UNAUTHENTICATED` (the mission
            wants authentication and no authenticating link layer is in front of the router).
    """

    def __init__(
        self,
        executive: Executive,
        verifier: Verifier,
        core: App,
        *,
        require_authentication: bool = False,
    ) -> None:
        self.executive = executive
        self.verifier = verifier
        self.core = core
        self.require_authentication = require_authentication
        self.apps: dict[int, App] = {core.apid: core}
        self.services: dict[int, Service] = {}
        self.received = 0
        self.rejected = 0
        self.completed = 0
        self.failed = 0

    def add_app(self, app: App) -> None:
        """Route telecommands on `app.apid` to services acting for `app`."""
        self.apps[app.apid] = app

    def add_service(self, service: Service) -> None:
        """Offer `service` to every app."""
        self.services[service.service] = service

    def _reject(self, app: App, req: bytes, code: FailureCode, data: bytes = b"") -> None:
        self.rejected += 1
        app.count_rejection(code)
        self.verifier.acceptance_failed(app.apid, req, code, data)

    def handle(self, packet: bytes) -> None:
        """Process one telecommand packet from a link."""
        self.received += 1
        try:
            tc = PusTc.unpack(packet)
        except CodecError as exc:
            self._malformed(packet, exc)
            return
        request = Request(tc, self.apps.get(tc.apid, self.core), request_id(packet))
        try:
            action = self._accept(request)
        except CommandRejectedError as rejection:
            log.info("rejected %d,%d on APID %d: %s", tc.service, tc.subtype, tc.apid, rejection)
            self._reject(request.app, request.req_id, rejection.code, rejection.data)
            return
        self.verifier.accepted(request.app.apid, request.req_id, tc.ack_flags)
        self._execute(request, action)

    def _malformed(self, packet: bytes, exc: CodecError) -> None:
        log.info("malformed telecommand: %s", exc)
        if len(packet) < 4:
            self.rejected += 1
            self.core.count_rejection(FailureCode.MALFORMED_PACKET)
            return
        # The header may still name a known app; the report then goes out on its APID.
        apid = int.from_bytes(packet[0:2], "big") & 0x7FF
        where = exc.offset if 0 <= exc.offset <= 0xFFFF else 0xFFFF
        app = self.apps.get(apid, self.core)
        self._reject(
            app, request_id(packet), FailureCode.MALFORMED_PACKET, where.to_bytes(2, "big")
        )

    def _accept(self, request: Request) -> Action:
        tc = request.tc
        if tc.apid not in self.apps:
            raise CommandRejectedError(
                FailureCode.UNKNOWN_APID, f"APID {tc.apid}", data=tc.apid.to_bytes(2, "big")
            )
        if self.require_authentication:
            raise CommandRejectedError(FailureCode.UNAUTHENTICATED)
        service = self.services.get(tc.service)
        if service is None or tc.subtype not in service.subtypes:
            raise CommandRejectedError(
                FailureCode.UNKNOWN_SERVICE, data=bytes((tc.service, tc.subtype))
            )
        return service.accept(request)

    def _execute(self, request: Request, action: Action) -> None:
        app, req, flags = request.app, request.req_id, request.tc.ack_flags
        if not self.executive.is_available(app):
            self.failed += 1
            app.count_rejection(FailureCode.APP_UNAVAILABLE)
            self.verifier.start_failed(app.apid, req, FailureCode.APP_UNAVAILABLE)
            return
        self.verifier.started(app.apid, req, flags)
        try:
            self.executive.execute(app, action)
        except CommandRejectedError as failure:
            log.info("%s failed a telecommand: %s", app.name, failure)
            self.failed += 1
            app.count_rejection(failure.code)
            self.verifier.completion_failed(app.apid, req, failure.code, failure.data)
            return
        self.completed += 1
        app.count_success()
        self.verifier.completed(app.apid, req, flags)
