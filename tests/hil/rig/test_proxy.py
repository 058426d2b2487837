"""The link proxy on real UDP sockets: passes everything, then does exactly the damage it counts."""

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from hil.rig import Faults, LinkProxy


@pytest.fixture
def echo() -> Iterator[str]:
    """A UDP echo server (the 'unit') on a free port."""
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    server.settimeout(0.1)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                data, sender = server.recvfrom(65536)
            except TimeoutError:
                continue
            server.sendto(data, sender)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"udp:127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join(1)
    server.close()


def _exchange(proxy: LinkProxy, count: int) -> list[bytes]:
    host, _, port = proxy.url.removeprefix("udp:").rpartition(":")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as ground:
        for index in range(count):
            ground.sendto(index.to_bytes(2, "big") * 8, (host, int(port)))
        got = []
        deadline = time.monotonic() + 1.0
        while (left := deadline - time.monotonic()) > 0:
            ground.settimeout(left)
            try:
                got.append(ground.recv(65536))
            except TimeoutError:
                break
    return got


def test_without_faults_everything_passes_in_order(echo: str) -> None:
    with LinkProxy(echo) as proxy:
        got = _exchange(proxy, 50)
        assert got == [i.to_bytes(2, "big") * 8 for i in range(50)]
        assert proxy.snapshot()["uplink"]["delivered"] == 50
        assert proxy.snapshot()["downlink"]["delivered"] == 50


def test_faults_are_counted_exactly_and_seeded(echo: str) -> None:
    runs = []
    for _ in range(2):
        with LinkProxy(echo, seed=11) as proxy:
            proxy.configure(uplink=Faults(drop=0.2, flip=0.3, duplicate=0.2, reorder=0.2))
            got = _exchange(proxy, 200)
            proxy.settle()
            up = proxy.snapshot()["uplink"]
            sent = [i.to_bytes(2, "big") * 8 for i in range(200)]
            assert up["received"] == 200
            assert up["delivered"] == 200 - up["dropped"] + up["duplicated"] == len(got)
            damaged = [g for g in got if g not in sent]
            assert len(damaged) == up["flipped"] > 0
            for bad in damaged:  # exactly one bit differs from some sent datagram
                assert any(
                    bin(
                        int.from_bytes(bytes(a ^ b for a, b in zip(bad, s, strict=True)), "big")
                    ).count("1")
                    == 1
                    for s in sent
                )
            assert up["reordered"] > 0
            assert [g for g in got if g in sent] != sorted(
                {g for g in got if g in sent}, key=sent.index
            )
            runs.append((up, got))
    assert runs[0] == runs[1], "the same seed did different damage"


def test_delay_holds_datagrams(echo: str) -> None:
    with LinkProxy(echo) as proxy:
        proxy.configure(downlink=Faults(delay=0.3))
        started = time.monotonic()
        assert len(_exchange(proxy, 1)) == 1
        assert proxy.snapshot()["downlink"]["delivered"] == 1
        assert time.monotonic() - started >= 0.3


def test_bad_faults_are_refused() -> None:
    with pytest.raises(ValueError, match="probability"):
        Faults(drop=1.5)
    with pytest.raises(ValueError, match="udp"):
        LinkProxy("serial:/dev/ttyUSB0")
