"""PUS service 20, on-board parameter management: report (20,1 -> 20,2) and set (20,3).

Application data of 20,1: N (u8), then N parameter IDs (u16). The report 20,2 carries N,
then each ID followed by its value in its declared format. 20,3 carries N, then each ID
followed by the new value. A set is all or nothing: every value is range-checked at
acceptance, then the whole snapshot is stored durably before any app sees the change.
"""

from flight.core.app import App
from flight.core.declarations import Value
from flight.core.dispatch import decode_args, encode_args
from flight.core.errors import CommandRejectedError, FailureCode, PersistenceError
from flight.core.parameters import ParameterStore
from flight.services.downlink import Downlink
from flight.services.reader import AppDataReader
from flight.services.router import Action, Request

__all__ = ["PARAMETER_ID_OCTETS", "ParameterService"]

PARAMETER_ID_OCTETS = 2


def _parameter(app: App, pid: int) -> None:
    if pid not in app.parameters:
        raise CommandRejectedError(
            FailureCode.UNKNOWN_PARAMETER, f"{app.name} has no parameter {pid}"
        )


class ParameterService:
    """Reports and sets the addressed app's parameters."""

    service = 20
    subtypes = frozenset({1, 3})

    def __init__(self, downlink: Downlink, store: ParameterStore) -> None:
        self._downlink = downlink
        self._store = store

    def accept(self, request: Request) -> Action:
        """Decode and check the IDs (and values, for a set)."""
        app = request.app
        reader = AppDataReader(request.tc.app_data)
        count = reader.uint(1)
        if request.tc.subtype == 1:
            pids = [reader.uint(PARAMETER_ID_OCTETS) for _ in range(count)]
            reader.finish()
            for pid in pids:
                _parameter(app, pid)
            return lambda: self._report(app, pids)
        changes: list[tuple[App, int, Value]] = []
        for _ in range(count):
            pid = reader.uint(PARAMETER_ID_OCTETS)
            _parameter(app, pid)
            arg = app.parameters[pid].arg
            value = decode_args((arg,), reader.take(arg.size), what=arg.name)[arg.name]
            changes.append((app, pid, value))
        reader.finish()
        return lambda: self._set(changes)

    def _report(self, app: App, pids: list[int]) -> None:
        data = bytearray(len(pids).to_bytes(1, "big"))
        for pid in pids:
            arg = app.parameters[pid].arg
            data += pid.to_bytes(PARAMETER_ID_OCTETS, "big")
            data += encode_args((arg,), {arg.name: app.param(arg.name)})
        self._downlink.send(app.apid, 20, 2, bytes(data))

    def _set(self, changes: list[tuple[App, int, Value]]) -> None:
        try:
            self._store.commit(changes)
        except PersistenceError as exc:
            raise CommandRejectedError(FailureCode.PERSISTENCE_FAILED, str(exc)) from exc
