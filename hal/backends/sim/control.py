"""The sim control channel: a SimBoard's stimulus API over a local datagram socket.

The HIL rig runs the flight as a separate process; this lets it reach into that process's
simulated board. The flight's loop polls the socket (`fileno` + `on_readable`) like a link,
so a request runs on the loop's thread between steps and never races the apps. CPython only
(like ``urls``): MicroPython has no AF_UNIX.

One JSON object per datagram, answered to the sender (which binds its own socket)::

    {"id": 1, "op": "set", "model": "tmp117", "values": {"temperature_c": 31.0}}
    {"id": 2, "op": "inject", "model": "bme280", "fault": "nack", "options": {"count": 2}}
    {"id": 3, "op": "clear", "model": "bme280"}          # "model": null clears every bus
    {"id": 4, "op": "get", "model": "tmp117", "name": "temperature_c"}
    {"id": 5, "op": "models"}
    {"id": 6, "op": "health", "values": {"temperature_c": 82.0}}   # SimHealth attributes
    -> {"id": 1, "ok": true, "result": null}  or  {"id": 1, "ok": false, "error": "..."}

Requests come only from the local machine (an abstract or filesystem Unix socket, the file
made 0600); values are JSON data, never code. A bad request is answered with an error and
counted: nothing raises out of `on_readable`.
"""

import contextlib
import json
import os
import socket

from hal.backends.sim.board import SimBoard
from hal.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ENV_VAR", "MAX_REQUEST", "SimControl"]

ENV_VAR = "STARLING_SIM_CONTROL"
MAX_REQUEST = 4096
_READS_PER_WAKE = 16
_OPS = ("set", "inject", "clear", "get", "models", "health")


def _address(path: str) -> str:
    """``@name`` is the abstract namespace; anything else a filesystem path."""
    return "\0" + path[1:] if path.startswith("@") else path


class SimControl:
    """Serves one SimBoard's stimulus API on `path` (``@name`` for the abstract namespace).

    Args:
        board: the simulated board.
        path: the socket's address.
        health: an object whose attributes the ``health`` op sets (``SimHealth``), or None.

    Attributes:
        served: requests answered ok.
        refused: requests answered with an error (malformed, unknown op, model or fault).
    """

    def __init__(self, board: SimBoard, path: str, *, health: object = None) -> None:
        self.board = board
        self.health = health
        self.path = path
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        try:
            self._sock.bind(_address(path))
            if not path.startswith("@"):
                os.chmod(path, 0o600)
        except OSError as exc:
            self._sock.close()
            raise ConfigError(f"cannot serve sim control on {path}: {exc}") from exc
        self._sock.setblocking(False)
        self.served = 0
        self.refused = 0

    def fileno(self) -> int:
        """The socket's descriptor, for the loop's selector."""
        return self._sock.fileno()

    def on_readable(self) -> None:
        """Answer the waiting requests (a bounded number per wake)."""
        for _ in range(_READS_PER_WAKE):
            try:
                data, sender = self._sock.recvfrom(MAX_REQUEST + 1)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return
            reply = self.handle(data)
            if sender:
                with contextlib.suppress(OSError):  # the client went away; it times out
                    self._sock.sendto(json.dumps(reply).encode(), sender)

    def handle(self, data: bytes) -> "dict[str, Any]":
        """The reply to one request datagram (never raises)."""
        ident: object = None
        try:
            request = _parse(data)
            ident = request.get("id")
            result = self._run(request)
        except (ConfigError, ValueError, TypeError, KeyError) as exc:
            self.refused += 1
            return {"id": ident, "ok": False, "error": f"{type(exc).__name__}: {exc}"}
        self.served += 1
        return {"id": ident, "ok": True, "result": result}

    def _run(self, request: "dict[str, Any]") -> object:
        op = request.get("op")
        board = self.board
        if op == "models":
            return board.models()
        if op == "set":
            model = board.model(_text(request, "model"))
            model.set(**_mapping(request, "values"))  # type: ignore[attr-defined]
            return None
        if op == "get":
            model = board.model(_text(request, "model"))
            return model.get(_text(request, "name"))  # type: ignore[attr-defined]
        if op == "inject":
            board.inject(
                _text(request, "model"), _text(request, "fault"), **_mapping(request, "options")
            )
            return None
        if op == "clear":
            name = request.get("model")
            board.clear_faults(None if name is None else _text(request, "model"))
            return None
        if op == "health":
            self._set_health(_mapping(request, "values"))
            return None
        raise ConfigError(f"unknown op {op!r} (known: {', '.join(_OPS)})")

    def _set_health(self, values: "dict[str, Any]") -> None:
        if self.health is None:
            raise ConfigError("this board has no simulated health source")
        for name, value in values.items():
            current = getattr(self.health, name, ()) if not name.startswith("_") else ()
            if not (current is None or isinstance(current, (int, float))):
                raise ConfigError(f"the health source has no number {name!r}")
            setattr(self.health, name, value)

    def close(self) -> None:
        """Close the socket (and remove its file)."""
        self._sock.close()
        if not self.path.startswith("@"):
            with contextlib.suppress(OSError):
                os.unlink(self.path)


def _parse(data: bytes) -> "dict[str, Any]":
    if len(data) > MAX_REQUEST:
        raise ConfigError(f"request over {MAX_REQUEST} octets")
    request = json.loads(data)
    if not isinstance(request, dict):
        raise ConfigError("a request is a JSON object")
    return request


def _text(request: "dict[str, Any]", key: str) -> str:
    value = request.get(key)
    if not isinstance(value, str):
        raise ConfigError(f"{key!r} must be a string")
    return value


def _mapping(request: "dict[str, Any]", key: str) -> "dict[str, Any]":
    value = request.get(key, {})
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise ConfigError(f"{key!r} must be an object")
    return value
