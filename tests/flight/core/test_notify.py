"""sd_notify: datagrams to a real NOTIFY_SOCKET listener, by path and in the abstract namespace."""

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from flight.core import SystemdNotifier


@pytest.fixture
def listener(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    path = tmp_path / "notify"
    sock.bind(str(path))
    sock.settimeout(2.0)
    yield sock, str(path)
    sock.close()


def test_messages_reach_a_path_socket(listener: tuple[socket.socket, str]) -> None:
    sock, path = listener
    notifier = SystemdNotifier.from_environ({"NOTIFY_SOCKET": path})
    assert notifier is not None
    assert notifier.notify(READY="1", STATUS="flying\nfast")
    assert sock.recv(4096) == b"READY=1\nSTATUS=flying fast"
    assert notifier.watchdog_interval is None
    notifier.close()


def test_abstract_namespace_socket() -> None:
    name = f"starling-test-{uuid.uuid4().hex}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind("\0" + name)
        sock.settimeout(2.0)
        notifier = SystemdNotifier.from_environ(
            {"NOTIFY_SOCKET": "@" + name, "WATCHDOG_USEC": "3000000"}
        )
        assert notifier is not None
        assert notifier.watchdog_interval == 1.5
        notifier.notify(WATCHDOG="1")
        assert sock.recv(4096) == b"WATCHDOG=1"
        notifier.close()


def test_environment_rules(tmp_path: Path) -> None:
    assert SystemdNotifier.from_environ({}) is None
    assert SystemdNotifier.from_environ({"NOTIFY_SOCKET": "relative"}) is None
    other = SystemdNotifier.from_environ(
        {"NOTIFY_SOCKET": "/x", "WATCHDOG_USEC": "1000000", "WATCHDOG_PID": str(os.getpid() + 1)}
    )
    assert other is not None
    assert other.watchdog_interval is None  # meant for another process
    other.close()
    mine = SystemdNotifier.from_environ(
        {"NOTIFY_SOCKET": "/x", "WATCHDOG_USEC": "1000000", "WATCHDOG_PID": str(os.getpid())}
    )
    assert mine is not None
    assert mine.watchdog_interval == 0.5
    assert not mine.notify(READY="1")  # nobody listens at /x: counted, not raised
    assert mine.errors == 1
    mine.close()
