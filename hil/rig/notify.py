"""A stand-in for systemd's notification socket: what the flight says, and when.

systemd is not PID 1 on a test machine, so the rig binds a datagram socket in the abstract
namespace, hands it to the flight as ``NOTIFY_SOCKET`` (with ``WATCHDOG_USEC``), and records
every message with its monotonic arrival time from a background thread.
"""

import socket
import threading
import time
import uuid
from dataclasses import dataclass

__all__ = ["Notification", "NotifyListener"]


@dataclass(frozen=True)
class Notification:
    """One datagram from the flight (``READY=1``, ``WATCHDOG=1``, ``STATUS=...``)."""

    at: float
    message: str


class NotifyListener:
    """Collects sd_notify messages on an abstract socket until closed.

    Attributes:
        address: the ``NOTIFY_SOCKET`` value (``@name``) to give the flight.
    """

    def __init__(self) -> None:
        name = f"starling-rig-notify-{uuid.uuid4().hex}"
        self.address = "@" + name
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._sock.bind("\0" + name)
        self._sock.settimeout(0.1)
        self._lock = threading.Lock()
        self._seen: list[Notification] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rig-notify", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data = self._sock.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._seen.append(Notification(time.monotonic(), data.decode(errors="replace")))

    def since(self, start: float) -> list[Notification]:
        """Every message that arrived at or after `start` (monotonic seconds)."""
        with self._lock:
            return [n for n in self._seen if n.at >= start]

    def close(self) -> None:
        """Stop listening."""
        self._stop.set()
        self._thread.join(1.0)
        self._sock.close()
