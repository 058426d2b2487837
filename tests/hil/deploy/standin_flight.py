"""Stand-in for `starling flight`, used only by the deploy tests.

Why a stand-in: the flight application is another issue's deliverable and is being written in
parallel; the deploy machinery (bundle, agent, launcher, health check) must be tested now. This
script behaves like the flight app on the points deploy relies on, using the *installed* bundle's
`flight.ccsds` codec: it binds ``--link udp:HOST:PORT``, says ``READY=1`` and heartbeats
``WATCHDOG=1`` on ``$NOTIFY_SOCKET``, answers a PUS 17,1 ping with TM 1,1 / 17,2 / 1,7 to the
sender, and then sends housekeeping (TM 3,25 carrying ``$STARLING_VERSION``) to the sender of
the last telecommand. ``--mode`` makes it misbehave on purpose:

- ``ok``: as above;  ``mute``: never answers (fails the health check);
- ``crash``: READY=1, then exit 1;  ``hang``: stops heartbeating after 0.5 s;  ``exit0``: exit 0.
"""

import argparse
import os
import select
import signal
import socket
import sys
import time
from pathlib import Path

HK_PERIOD = 0.2


def notify(message: str) -> None:
    address = os.environ.get("NOTIFY_SOCKET", "")
    if address:
        target = "\0" + address[1:] if address.startswith("@") else address
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.sendto(message.encode(), target)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--link", default="udp:127.0.0.1:10015")
    parser.add_argument("--mode", default="ok", choices=["ok", "mute", "crash", "hang", "exit0"])
    parser.add_argument("--record", type=Path, help="append this process's pid to FILE")
    args = parser.parse_args()
    if args.record:
        with args.record.open("a") as record:
            record.write(f"{os.getpid()}\n")
    if args.mode == "exit0":
        return 0
    if args.mode == "crash":
        notify("READY=1")
        time.sleep(0.2)
        return 1

    from flight.ccsds import CodecError, PusTc, PusTm  # noqa: PLC0415 - installed in the slot

    _, host, port = args.link.split(":")
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((host, int(port)))
    notify("READY=1")  # only once the link is up, as the flight app must
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    beat = float(os.environ.get("WATCHDOG_USEC", "0")) / 2e6
    version = os.environ.get("STARLING_VERSION", "?").encode()
    started = last_beat = last_hk = time.monotonic()
    ground = None
    while True:
        now = time.monotonic()
        if beat and now - last_beat >= beat and not (args.mode == "hang" and now - started > 0.5):
            notify("WATCHDOG=1")
            last_beat = now
        if ground is not None and now - last_hk >= HK_PERIOD:
            sock.sendto(PusTm(apid=100, service=3, subtype=25, source_data=version).pack(), ground)
            last_hk = now
        if not select.select([sock], [], [], 0.05)[0]:
            continue
        data, sender = sock.recvfrom(65536)
        try:
            tc = PusTc.unpack(data)
        except CodecError:
            continue
        if args.mode == "mute":
            continue
        ground = sender
        request_id = data[:4]
        for service, subtype, payload in ((1, 1, request_id), (17, 2, b""), (1, 7, request_id)):
            if service == 17 and (tc.service, tc.subtype) != (17, 1):
                continue
            tm = PusTm(apid=tc.apid, service=service, subtype=subtype, source_data=payload)
            sock.sendto(tm.pack(), sender)


if __name__ == "__main__":
    sys.exit(main())
