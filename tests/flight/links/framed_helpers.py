"""Shared by the framed-link tests: a board endpoint on a test clock, and what goes up to it."""

import os
from collections.abc import Callable
from pathlib import Path

from flight.ccsds import PusTc
from flight.ccsds.frames import TcFrame, cltu_encode
from flight.core import Store
from flight.links import CommandGuard, FrameAuthenticator, FramedEndpoint, FramingConfig, Signer

SCID, VCID = 0x1AB, 0
KEY = bytes(range(32))
CONFIG = FramingConfig(scid=SCID, vcid=VCID, frame_length=128, idle_s=2.0)


def ping(n: int) -> bytes:
    """A ping telecommand, numbered `n`."""
    return PusTc(apid=101, service=17, subtype=1, seq_count=n).pack()


def cltu(seq: int, data: bytes, *, bypass: bool = False, scid: int = SCID) -> bytes:
    """A bare (unsecured) TC frame with N(S) `seq`, CLTU-encoded."""
    return cltu_encode(TcFrame(scid, VCID, seq, data, bypass=bypass).pack())


class Board:
    """A `FramedEndpoint` collecting what it delivers, on a clock the test moves."""

    def __init__(
        self,
        config: FramingConfig = CONFIG,
        *,
        stream: bool = False,
        authenticator: FrameAuthenticator | None = None,
    ) -> None:
        self.now = 0.0
        self.delivered: list[bytes] = []
        self.endpoint = FramedEndpoint(
            config,
            self._deliver,
            stream=stream,
            clock=lambda: self.now,
            authenticator=authenticator,
        )

    def _deliver(self, unit: bytes) -> bool:
        self.delivered.append(unit)
        return True


class SecuredBoard(Board):
    """A `Board` whose endpoint authenticates every frame with a real `CommandGuard`."""

    def __init__(self, directory: Path, fsync: Callable[[int], None] = os.fsync) -> None:
        self.guard = CommandGuard({1: KEY}, Store(directory, "anti-replay", fsync=fsync))
        super().__init__(authenticator=self.guard)


def sealed(frame: TcFrame, signer: Signer) -> bytes:
    """`frame` secured by `signer`, CLTU-encoded."""
    return cltu_encode(signer.encode_frame(frame).pack())
