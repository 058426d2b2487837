"""Forged and replayed telecommands are refused, reported and counted (authenticated missions).

The units go over the real link from the real ground socket, past the signer
(`RigGround.send_raw`): a MAC with one bit flipped, then a genuine unit twice.
"""

import pytest

from hil.rig import Rig, RigGround, event


def test_forged_and_replayed_commands_are_refused(rig: Rig, ground: RigGround) -> None:
    if not rig.mission.authentication:
        pytest.skip(f"mission {rig.mission.name} is unauthenticated: run with --dut-mission demo")
    noop = ground.client.pack(ground.request("core.NOOP"))
    before = ground.housekeeping("core", "LINK_HK")
    start = ground.mark()
    sealed = rig.encoder.inner.encode(noop)
    forged = bytearray(sealed)
    forged[-1] ^= 0x01  # one bit of the MAC
    ground.send_raw(bytes(forged))
    ground.send_raw(sealed)  # the genuine one, once
    ground.send_raw(sealed)  # and its replay
    ground.await_tlm(event("core", "AUTH_BAD_MAC"), start=start, timeout=3)
    ground.await_tlm(event("core", "AUTH_REPLAY"), start=start, timeout=3)
    after = ground.housekeeping("core", "LINK_HK")
    assert int(after["auth_bad_mac"]) - int(before["auth_bad_mac"]) == 1, (before, after)
    assert int(after["auth_replayed"]) - int(before["auth_replayed"]) == 1, (before, after)
