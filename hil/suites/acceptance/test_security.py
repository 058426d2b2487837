"""Forged and replayed telecommands are refused, reported and counted (authenticated missions).

The units go over the real link from the real ground socket, past the signer
(`RigGround.send_raw`): a MAC with one bit flipped, then a genuine unit twice. On a framed
link the unit is a whole TC frame (a BD frame, which FARM-1 would pass in any state), secured
in the frame itself.
"""

from dataclasses import replace

import pytest

from flight.ccsds.frames import TcFrame
from hil.ground import FramedGroundLink
from hil.rig import Rig, RigGround, event


def _genuine_and_forged(rig: Rig, ground: RigGround, packet: bytes) -> tuple[bytes, bytes]:
    """The sealed unit carrying `packet`, and a copy with one bit of its MAC flipped."""
    if isinstance(ground.link, FramedGroundLink):
        config = ground.link.config
        bare = TcFrame(config.scid, config.vcid, 0, packet, bypass=True)
        frame = rig.encoder.inner.encode_frame(bare)
        flipped = replace(frame, data=frame.data[:-1] + bytes([frame.data[-1] ^ 0x01]))
        return frame.pack(), flipped.pack()  # each with a good FECF
    sealed = rig.encoder.inner.encode(packet)
    return sealed, sealed[:-1] + bytes([sealed[-1] ^ 0x01])


def test_forged_and_replayed_commands_are_refused(rig: Rig, ground: RigGround) -> None:
    if not rig.mission.authentication:
        pytest.skip(f"mission {rig.mission.name} is unauthenticated: run with --dut-mission demo")
    noop = ground.client.pack(ground.request("core.NOOP"))
    before = ground.housekeeping("core", "LINK_HK")
    start = ground.mark()
    sealed, forged = _genuine_and_forged(rig, ground, noop)
    ground.send_raw(forged)
    ground.send_raw(sealed)  # the genuine one, once
    ground.send_raw(sealed)  # and its replay
    ground.await_tlm(event("core", "AUTH_BAD_MAC"), start=start, timeout=3)
    ground.await_tlm(event("core", "AUTH_REPLAY"), start=start, timeout=3)
    after = ground.housekeeping("core", "LINK_HK")
    assert int(after["auth_bad_mac"]) - int(before["auth_bad_mac"]) == 1, (before, after)
    assert int(after["auth_replayed"]) - int(before["auth_replayed"]) == 1, (before, after)
