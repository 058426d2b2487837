"""PUS service 17, test: are-you-alive (TC 17,1 answered by TM 17,2)."""

from flight.services.downlink import Downlink
from flight.services.reader import AppDataReader
from flight.services.router import Action, Request

__all__ = ["TestService"]


class TestService:
    """Answers 17,1 with 17,2 from the addressed app's APID."""

    service = 17
    subtypes = frozenset({1})

    def __init__(self, downlink: Downlink) -> None:
        self._downlink = downlink

    def accept(self, request: Request) -> Action:
        """A ping carries no application data."""
        AppDataReader(request.tc.app_data).finish()
        apid = request.app.apid
        return lambda: self._send(apid)

    def _send(self, apid: int) -> None:
        self._downlink.send(apid, 17, 2)
