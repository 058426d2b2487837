"""The rig's end of the sim control channel (`hal.backends.sim.control`).

`Stimulus` sets physical quantities and injects sensor faults into the simulated board
*inside the flight process*, over the local datagram socket the flight serves when started
with ``STARLING_SIM_CONTROL``::

    stimulus.set("tmp117", temperature_c=31.0)
    stimulus.inject("bme280", "nack", count=2)
    stimulus.clear()
"""

import json
import socket
import time
import uuid
from typing import Any

from hil.rig.errors import StimulusError, UnsupportedError
from hil.rig.units import FaultSpec

__all__ = ["Stimulus"]

_MAX_REPLY = 65536


def _address(path: str) -> str:
    return "\0" + path[1:] if path.startswith("@") else path


class Stimulus:
    """Talks to one flight's sim control channel at `path`.

    Args:
        path: the channel's address (``@name``: abstract namespace).
        timeout: seconds to wait for each answer.
    """

    def __init__(self, path: str, *, timeout: float = 2.0) -> None:
        self.path = path
        self.timeout = timeout
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._sock.bind("\0" + f"starling-rig-stimulus-{uuid.uuid4().hex}")
        self._next = 0

    def close(self) -> None:
        """Close the client socket."""
        self._sock.close()

    def request(self, op: str, **fields: Any) -> Any:
        """Send one request and return its result.

        Raises:
            UnsupportedError: nobody serves the channel (the flight was built without it).
            StimulusError: the flight refused the request, or did not answer in time.
        """
        self._next += 1
        ident = self._next
        try:
            self._sock.sendto(
                json.dumps({"id": ident, "op": op, **fields}).encode(), _address(self.path)
            )
        except (FileNotFoundError, ConnectionRefusedError) as exc:
            raise UnsupportedError(
                f"no sim control channel at {self.path}: this flight does not serve "
                f"STARLING_SIM_CONTROL (hal.backends.sim.control is not hooked into its loop)"
            ) from exc
        deadline = time.monotonic() + self.timeout
        while (left := deadline - time.monotonic()) > 0:
            self._sock.settimeout(left)
            try:
                reply = json.loads(self._sock.recv(_MAX_REPLY))
            except TimeoutError:
                break
            if reply.get("id") != ident:
                continue  # a late answer to an earlier request
            if not reply.get("ok"):
                raise StimulusError(f"{op} refused by the flight: {reply.get('error')}")
            return reply.get("result")
        raise StimulusError(f"no answer to {op} from {self.path} within {self.timeout:g} s")

    def available(self) -> bool:
        """Whether the flight serves the channel."""
        try:
            self.request("models")
        except (UnsupportedError, StimulusError):
            return False
        return True

    def models(self) -> list[str]:
        """The simulated board's model names."""
        return list(self.request("models"))

    def set(self, model: str, **quantities: Any) -> None:
        """Set physical quantities of `model` (``temperature_c=31.0``)."""
        self.request("set", model=model, values=quantities)

    def get(self, model: str, name: str) -> Any:
        """A quantity of `model`."""
        return self.request("get", model=model, name=name)

    def inject(self, model: str, fault: str, **options: Any) -> None:
        """Inject a bus fault on `model` (``nack``, ``count=2``, ...)."""
        self.request("inject", model=model, fault=fault, options=options)

    def clear(self, model: str | None = None) -> None:
        """Clear the faults of `model`, or of every bus."""
        self.request("clear", model=model)

    def health(self, **values: Any) -> None:
        """Set the simulated board health (``temperature_c=82.0``)."""
        self.request("health", values=values)

    def apply(self, fault: FaultSpec) -> None:
        """Apply an inventory fault: ``set`` sets quantities, anything else is injected."""
        if fault.fault == "set":
            self.set(fault.model, **fault.options)
        else:
            self.inject(fault.model, fault.fault, **fault.options)
